/* DMESG: the kernel's log buffer, read by the agent itself (klogctl), in DATA chunks. */
#ifndef PROVIUM_KMSG_H
#define PROVIUM_KMSG_H

#include "request.h"

/* The most of the kernel log one DMESG reads: its newest bytes when the buffer is larger. */
#define KMSG_MAX (FRAME_MAX_PAYLOAD)

int kmsg_request(struct request *r);

#endif
