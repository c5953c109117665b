# ipc-tools build settings: edit here, or override on the make command line.
PREFIX    = /usr/local
MANPREFIX = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  = $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR = $(PREFIX)/share/fish/vendor_completions.d

CC       = cc
BSD_CFLAGS = `pkg-config --cflags libbsd-overlay`
# libbsd's archive, not its shared object: loading it costs a quarter of
# a small command's start-up; glibc stays dynamic
BSD_LIBS   = -Wl,-Bstatic -lbsd -lmd -Wl,-Bdynamic
# a distribution's flags (dpkg-buildflags, CFLAGS=... on the command
# line) are kept, and ours added to them; warnings are errors only in
# development: a package build sets WERROR= empty
CFLAGS  ?= -O2 -g
WERROR   = -Werror
override CPPFLAGS += -D_GNU_SOURCE $(BSD_CFLAGS)
override CFLAGS   += -std=c11 -Wall -Wextra $(WERROR)
LDLIBS   = $(BSD_LIBS) -lrt

# make SANITIZE=1: AddressSanitizer and UndefinedBehaviorSanitizer
SAN_CFLAGS  = -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
SAN_LDFLAGS = -fsanitize=address,undefined

# make fuzz: libFuzzer targets, built with clang; FUZZ_TIME seconds each
FUZZ_CC     = clang
FUZZ_CFLAGS = -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_TIME   = 30
