/* ipc-shm: what its rooms share; lib/ipc.h is the library's. */
#ifndef IPC_SHM_H
#define IPC_SHM_H

#include <sys/stat.h>

#include "ipc.h"

#define WINDOW		(1 << 20)	/* each copy's bound: memory stays flat */
#define SHRANK		(-2)		/* the object ended before the range */

struct shmflavour;

/* the object a send or recv works on */
struct obj {
	const struct shmflavour *fl;	/* what kind of object it is */
	const char *name;		/* as messages show it */
	char pname[NAME_BUF];		/* POSIX: /NAME */
	int fd;				/* POSIX, -F: open on it */
	int id;				/* -S: the segment */
	char *base;			/* -S: attached whole */
	uintmax_t size;
};

/* what send writes when it has no operands: stdin, or a copy of it */
struct src {
	int fd;
	uintmax_t off, len;
};

/* desc.c: a descriptor's bytes, for POSIX objects and files alike */
void	 nospace(const char *, int, uintmax_t, const char *)
	    __attribute__((noreturn));
int	 reserve(int, uintmax_t, uintmax_t);
int	 desc_grow(struct obj *, uintmax_t);
int	 desc_reserve(struct obj *, uintmax_t, uintmax_t);
int	 desc_take(struct obj *, uintmax_t, size_t, size_t *);
int	 desc_put(struct obj *, uintmax_t, const char *, size_t);
int	 desc_fill(struct obj *, uintmax_t, const struct src *);
int	 desc_out(struct obj *, uintmax_t, uintmax_t);
void	 desc_close(struct obj *);

/* named.c: POSIX objects and files, made, opened, removed, shown */
extern const struct col pcols[], fcols[];
extern const struct posix_kind pxkind;
int	 px_create(const char *, uintmax_t);
void	 px_open(struct obj *, const char *, int);
void	 px_check(const char *);
int	 px_rm(const char *);
int	 fl_create(const char *, uintmax_t);
void	 fl_open(struct obj *, const char *, int);
void	 fl_check(const char *);
int	 fl_rm(const char *);
void	 fl_stat(struct table *, const char *, const struct deadline *);
void	 fl_ls(struct table *);

/* segment.c: System V segments (-S), the same operations */
extern const struct col scols[];
int	 sv_create(const char *, uintmax_t);
void	 sv_open(struct obj *, const char *, int);
void	 sv_check(const char *);
int	 sv_grow(struct obj *, uintmax_t);
int	 sv_reserve(struct obj *, uintmax_t, uintmax_t);
int	 sv_take(struct obj *, uintmax_t, size_t, size_t *);
int	 sv_put(struct obj *, uintmax_t, const char *, size_t);
int	 sv_fill(struct obj *, uintmax_t, const struct src *);
int	 sv_out(struct obj *, uintmax_t, uintmax_t);
void	 sv_close(struct obj *);
int	 sv_rm(const char *);
void	 sv_stat(struct table *, const char *, const struct deadline *);
void	 sv_ls(struct table *);

#endif
