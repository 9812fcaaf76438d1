/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The user-space interface of /dev/provium-demo: its ioctls and their structs. Usable from C programs
 * and, by the numbers in the comments, from Provium's Lua tests.
 */
#ifndef PROVIUM_DEMO_H
#define PROVIUM_DEMO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PROVIUM_DEMO_MAGIC 'P'

struct provium_demo_stats {
	__u64 writes;		/* write() calls since load or the last reset */
	__u64 bytes;		/* bytes they wrote */
};

/* Upper-cases the caller's buffer in place: a struct that carries a user pointer. */
struct provium_demo_xform {
	__u64 data;		/* user pointer to the buffer */
	__u32 len;		/* its length, at most 4096 */
	__u32 changed;		/* out: bytes that changed */
};

/* 0x80105001 */
#define PROVIUM_DEMO_GET_STATS _IOR(PROVIUM_DEMO_MAGIC, 1, struct provium_demo_stats)
/* 0x00005002 */
#define PROVIUM_DEMO_RESET _IO(PROVIUM_DEMO_MAGIC, 2)
/* 0xc0105003 */
#define PROVIUM_DEMO_XFORM _IOWR(PROVIUM_DEMO_MAGIC, 3, struct provium_demo_xform)

#endif
