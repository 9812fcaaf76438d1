/* EXEC: runs /bin/sh -c in its own process group and streams its output. */
#ifndef PROVIUM_EXEC_H
#define PROVIUM_EXEC_H

#include "request.h"

#include <sys/types.h>

/* Answers one EXEC request; -1 when the connection failed or the worker is being killed. */
int exec_request(struct request *r);

/* EXIT and JOB_STATUS flag bit 0: a signal killed the command. */
#define STATUS_SIGNALED 0x01

/*
 * Sends EXIT or JOB_STATUS (`type`), which share their payload: i32 code, u8 flags, u8 signal. When
 * the wait status `status` says a signal killed the command, STATUS_SIGNALED is added to `flags` and
 * the signal is sent; otherwise the signal is 0. -1 when the connection failed.
 */
int exec_send_status(const struct request *r, uint8_t type, int32_t code, uint8_t flags,
		     int status);

#endif
