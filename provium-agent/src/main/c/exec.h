/* EXEC: runs /bin/sh -c in its own process group and streams its output. */
#ifndef PROVIUM_EXEC_H
#define PROVIUM_EXEC_H

#include "protocol.h"

/* Answers one EXEC request; -1 when the connection failed. */
int exec_request(const struct conn *c, struct frame *f);

#endif
