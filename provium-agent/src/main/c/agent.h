/* How the agent ends, from whichever thread ends it. */
#ifndef PROVIUM_AGENT_H
#define PROVIUM_AGENT_H

/*
 * Ends the agent for `end` (a serve_end): as the guest's init it powers the machine off; on the host
 * it kills every command, job and forked worker it started, then exits (1 for SERVE_FAILED). A
 * second caller waits for the first.
 */
_Noreturn void agent_finish(int end);

#endif
