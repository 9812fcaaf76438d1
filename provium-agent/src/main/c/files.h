/* WRITE_FILE (streamed in DATA frames) and READ_FILE (answered in DATA chunks). */
#ifndef PROVIUM_FILES_H
#define PROVIUM_FILES_H

#include "protocol.h"

/* Each returns -1 when the connection failed, else 0. */
int files_write_begin(const struct conn *c, const struct frame *f);
int files_write_data(const struct conn *c, const struct frame *f);
int files_read(const struct conn *c, const struct frame *f);

/* Closes an unfinished upload when the connection ends. */
void files_abandon(void);

#endif
