/* WRITE_FILE (streamed in DATA frames) and READ_FILE (answered in DATA chunks). */
#ifndef PROVIUM_FILES_H
#define PROVIUM_FILES_H

#include "request.h"

#include <limits.h>

/* A server's WRITE_FILE whose closing empty DATA frame has not arrived yet. */
struct upload {
	int open;
	uint32_t id;
	int fd;			/* -1 when opening failed */
	int err;		/* first failure: errno and the step that failed */
	const char *step;
	uint64_t total;
	char path[PATH_MAX];
};

/* The file requests' state in one server. */
struct files {
	struct upload upload;
	unsigned char *chunk;	/* DATA_MAX_CHUNK bytes for READ_FILE */
};

/* 0, or -1 when out of memory. */
int files_init(struct files *fs);
void files_destroy(struct files *fs);

/* Each returns -1 when the connection failed, else 0. */
int files_write_begin(struct files *fs, struct request *r);
int files_write_data(struct files *fs, struct request *r);
int files_read(struct files *fs, struct request *r);

/*
 * The server found CANCELs while it waited for its next frame: an open upload they name is abandoned
 * and answered CANCELLED (its later DATA frames are UNEXPECTED). -1 when the connection failed.
 */
int files_cancel_upload(struct files *fs, struct request *r);

/* Closes an unfinished upload when the connection ends. */
void files_abandon(struct files *fs);

/* Copies a `str` path into a C string; -1 with errno ENAMETOOLONG when it does not fit. */
int files_copy_path(char *dst, const unsigned char *src, uint32_t len);

#endif
