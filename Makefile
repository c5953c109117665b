# ipc-tools: one pattern rule builds every bin/ipc-X from cmd/ipc-X.c, or
# from every .c in the directory cmd/ipc-X/.
include config.mk

# make SANITIZE=1 builds apart (obj-san/, bin-san/), so the two never mix
O = obj
B = bin
ifeq ($(SANITIZE),1)
O = obj-san
B = bin-san
override CFLAGS  += $(SAN_CFLAGS)
override LDFLAGS += $(SAN_LDFLAGS)
endif
# make fuzz builds the library again with clang's coverage for libFuzzer
ifeq ($(FUZZ),1)
O = obj-fuzz
CC = $(FUZZ_CC)
CFLAGS  += $(FUZZ_CFLAGS)
FUZZ_MAIN = -fsanitize=fuzzer
else
FUZZ_MAIN = tests/fuzz/replay.c
endif

# the one place the version is written: every -V, the package, the tarball
VERSION := $(shell cat VERSION)
override CPPFLAGS += -DIPC_VERSION='"$(VERSION)"'

CMDS = $(sort $(patsubst cmd/%.c,%,$(wildcard cmd/ipc-*.c)) \
    $(patsubst cmd/%/,%,$(wildcard cmd/ipc-*/)))
# a command that is a directory: its objects, apart under $(O)/cmd/ipc-X/
cmdobj = $(patsubst cmd/%.c,$(O)/cmd/%.o,$(wildcard cmd/$(1)/*.c))
CMDOBJ = $(foreach c,$(CMDS),$(call cmdobj,$(c)))
BIN  = $(CMDS:%=$(B)/%)
LIBSRC = $(wildcard lib/*.c)
LIBOBJ = $(LIBSRC:lib/%.c=$(O)/%.o)
LIB  = $(O)/libipc.a
MAN1 = $(wildcard man/*.1)
MAN7 = $(wildcard man/*.7)

all: $(BIN)

# the build's dependencies, probed once a build directory (again when
# config.mk changes): one that is missing is named, with the command that
# installs it, before a compiler meets its absence (getprogname undeclared)
$(O)/deps.ok: config.mk tests/deps.sh
	@mkdir -p $(O)
	@CC='$(CC)' sh tests/deps.sh build
	@touch $@

$(O)/%.o: lib/%.c lib/ipc.h config.mk VERSION | $(O)/deps.ok
	@mkdir -p $(O)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

$(B)/%: cmd/%.c $(LIB) lib/ipc.h | $(O)/deps.ok
	@mkdir -p $(B)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Ilib $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# where there is no cmd/ipc-X.c: every .c of cmd/ipc-X/ (main.c among
# them), each compiled again when a header of that directory changes
.SECONDEXPANSION:
$(B)/%: cmd/%/main.c $$(call cmdobj,$$*) $(LIB)
	@mkdir -p $(B)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LDLIBS)

$(O)/cmd/%.o: cmd/%.c $$(wildcard $$(dir cmd/$$*)*.h) lib/ipc.h config.mk \
    VERSION | $(O)/deps.ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Ilib -c -o $@ $<

# kept, as the library's objects are: the next build compiles only what changed
.SECONDARY: $(CMDOBJ)

tests/peers/%: tests/peers/%.c
	$(CC) -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror -o $@ $< -lrt

# LD_PRELOAD shims: shared objects, not programs
SHIMS = tests/peers/shortio.so

tests/peers/%.so: tests/peers/%.c
	$(CC) -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC \
	    -o $@ $< -ldl

PEERS = $(filter-out $(SHIMS:.so=),$(patsubst %.c,%,$(wildcard \
    tests/peers/*.c))) $(SHIMS) $(O)/unit

# the library's own harness, linked with the library under test: built
# beside it, so a SANITIZE=1 build never runs the plain one's, or back
$(O)/unit: tests/unit.c $(LIB) lib/ipc.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -Ilib $(LDFLAGS) -o $@ tests/unit.c $(LIB) $(LDLIBS)

# the fuzz targets: tests/fuzz/TARGET.c, each with its corpus in
# tests/fuzz/TARGET/; linked with libFuzzer (make fuzz), or else with a
# main() that replays the corpus, which make check runs
FUZZ_SRC = $(filter-out tests/fuzz/harness.c tests/fuzz/replay.c, \
	$(wildcard tests/fuzz/*.c))
FUZZERS = $(FUZZ_SRC:tests/fuzz/%.c=$(O)/fuzz-%)
PEERS += $(FUZZERS)

$(O)/fuzz-%: tests/fuzz/%.c tests/fuzz/harness.c tests/fuzz/replay.c \
    tests/fuzz/fuzz.h $(LIB) lib/ipc.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -Ilib -Itests/fuzz $(LDFLAGS) -o $@ \
	    tests/fuzz/$*.c tests/fuzz/harness.c $(FUZZ_MAIN) $(LIB) $(LDLIBS)

fuzz:
	@sh tests/deps.sh fuzz
	@$(MAKE) -s FUZZ=1 fuzzers
	@FUZZ_TIME=$(FUZZ_TIME) sh tests/fuzz/run.sh obj-fuzz $(FUZZ_TARGETS)

fuzzers: $(FUZZERS)

deps:
	@sh tests/deps.sh

demo: deps
	@$(MAKE) -s all
	@sh tests/demo.sh

lint:
	@sh tests/lint.sh

check: deps
	@$(MAKE) -s all $(PEERS)
	@sh tests/lint.sh
	@sh tests/structure.sh $(O)
	@IPC_BIN=$(B) IPC_OBJ=$(O) sh tests/run.sh

# the contenders too, where they may be installed; a bench without one
# notes it and goes on
bench: all
	-@sh tests/deps.sh bench
	@sh bench/run.sh

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 \
	    $(DESTDIR)$(MANPREFIX)/man7 $(DESTDIR)$(BASHCOMPDIR) \
	    $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	cp -f $(BIN) $(DESTDIR)$(PREFIX)/bin/
	cp -f $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/
	cp -f $(MAN7) $(DESTDIR)$(MANPREFIX)/man7/
	cp -f completions/bash/* $(DESTDIR)$(BASHCOMPDIR)/
	cp -f completions/zsh/* $(DESTDIR)$(ZSHCOMPDIR)/
	cp -f completions/fish/* $(DESTDIR)$(FISHCOMPDIR)/

uninstall:
	for f in $(CMDS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$f; done
	for f in $(MAN1); do rm -f $(DESTDIR)$(MANPREFIX)/man1/$${f#man/}; done
	for f in $(MAN7); do rm -f $(DESTDIR)$(MANPREFIX)/man7/$${f#man/}; done
	for f in completions/bash/*; do rm -f $(DESTDIR)$(BASHCOMPDIR)/$${f##*/}; done
	for f in completions/zsh/*; do rm -f $(DESTDIR)$(ZSHCOMPDIR)/$${f##*/}; done
	for f in completions/fish/*; do rm -f $(DESTDIR)$(FISHCOMPDIR)/$${f##*/}; done

# what the suite runs besides the commands: the peers and the harness
peers: $(PEERS)

# ipc-tools-VERSION.tar.gz of what git has committed
dist:
	git archive --format=tar.gz --prefix=ipc-tools-$(VERSION)/ \
	    -o ipc-tools-$(VERSION).tar.gz HEAD
	@echo ipc-tools-$(VERSION).tar.gz

# the Debian package, built from a clean copy of the tree
deb:
	@sh tests/deb.sh

clean:
	rm -rf bin obj bin-san obj-san obj-fuzz $(PEERS) tests/unit

.PHONY: all deps demo lint check fuzz fuzzers bench install uninstall peers dist deb clean
