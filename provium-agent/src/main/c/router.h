/*
 * The agent's main loop: starts the server of channel 0 in its own thread, then reads the host's
 * frames and forwards each to the server of its channel, so that a busy channel (a long EXEC, a
 * blocking system call) never holds up the others. Servers write their replies to the host
 * themselves and send the router back the request id of each final reply, so that the requests of a
 * worker that ends by itself can be answered here, as bad input is. CANCEL is served here too: the
 * server it concerns may be the one stuck.
 */
#ifndef PROVIUM_ROUTER_H
#define PROVIUM_ROUTER_H

#include "protocol.h"

/*
 * Starts channel 0's server and routes until the input ends (SERVE_INPUT_ENDED, after channel 0 served
 * it all), SHUTDOWN was answered (SERVE_SHUTDOWN), or the agent cannot go on (SERVE_FAILED: the
 * connection failed, or channel 0's thread ended by itself). It never ends the agent itself: main does.
 */
int router_run(const struct conn *c);

#endif
