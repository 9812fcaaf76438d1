/* Logging: one line per failure, to stderr, or to the kernel log when the agent is the guest's init. */
#ifndef PROVIUM_LOG_H
#define PROVIUM_LOG_H

/* Sends later log lines to /dev/kmsg (or /dev/console when there is none). */
int log_to_kernel(void);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
