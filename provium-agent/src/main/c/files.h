/* WRITE_FILE (streamed in DATA frames) and READ_FILE (answered in DATA chunks). */
#ifndef PROVIUM_FILES_H
#define PROVIUM_FILES_H

#include "protocol.h"

#include <limits.h>

struct server;

/* A server's WRITE_FILE whose closing empty DATA frame has not arrived yet. */
struct upload {
	int open;
	uint16_t channel;
	uint32_t id;
	int fd;			/* -1 when opening failed */
	int err;		/* first failure: errno and the step that failed */
	const char *step;
	uint64_t total;
	char path[PATH_MAX];
};

/* Each returns -1 when the connection failed, else 0. */
int files_write_begin(struct server *s, const struct frame *f);
int files_write_data(struct server *s, const struct frame *f);
int files_read(struct server *s, const struct frame *f);

/* Closes an unfinished upload when the connection ends. */
void files_abandon(struct server *s);

/* Copies a `str` path into a C string; -1 with errno ENAMETOOLONG when it does not fit. */
int files_copy_path(char *dst, const unsigned char *src, uint32_t len);

#endif
