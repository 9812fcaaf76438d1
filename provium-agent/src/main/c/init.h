/* The duties of the guest's init: file systems, console, modules, the virtio port, power-off. */
#ifndef PROVIUM_INIT_H
#define PROVIUM_INIT_H

#define AGENT_PORT_NAME "provium.agent"
#define MODULES_LIST "/etc/provium/modules"
#define GUEST_PATH "/bin:/sbin:/usr/bin:/usr/sbin"

/*
 * Mounts /proc, /sys and /dev, opens fds 0-2, logs to the kernel, sets PATH. With
 * provium.init=PATH on the kernel command line it forks: the parent execs PATH and never returns,
 * the child returns and carries on as the agent in the background.
 */
int init_system(char *argv[]);

/* Loads the modules listed in MODULES_LIST, in order; failures are logged and skipped. */
int init_load_modules(void);

/* Opens the virtio port named AGENT_PORT_NAME, waiting for it up to ~10 s; the fd or -1. */
int init_open_port(void);

/* Syncs and powers the machine off. Never returns; exits only when not PID 1. */
_Noreturn void init_power_off(void);

#endif
