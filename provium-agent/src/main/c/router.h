/*
 * The agent's main loop: starts the server of channel 0 in its own thread, then reads the host's
 * frames and forwards each to the server of its channel, so that a busy channel (a long EXEC, a
 * blocking system call) never holds up the others. Servers write their replies to the host
 * themselves and send the router back the request id of each final reply, so that the requests of a
 * worker that ends by itself can be answered here, as bad input is.
 */
#ifndef PROVIUM_ROUTER_H
#define PROVIUM_ROUTER_H

#include "protocol.h"

/* Routes until the input ends (SERVE_INPUT_ENDED, after channel 0 finished) or fails (SERVE_FAILED). */
int router_run(const struct conn *c);

#endif
