/* The request loop of channel 0: reads frames, answers each request, reports bad input. */
#ifndef PROVIUM_SERVE_H
#define PROVIUM_SERVE_H

#include "protocol.h"

enum serve_end {
	SERVE_INPUT_ENDED,	/* end of input (not on a virtio port) */
	SERVE_SHUTDOWN,		/* SHUTDOWN was answered with OK */
	SERVE_FAILED		/* the connection cannot be read or written any more */
};

int serve(const struct conn *c);

#endif
