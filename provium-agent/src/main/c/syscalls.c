#include "syscalls.h"


#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BUFFER_RETURN 0x01

struct buffer {
	uint32_t size;
	uint8_t flags;
	unsigned char *data;
	uint32_t length;
	size_t offset;		/* in the arena */
};

struct patch {
	uint8_t buffer;
	uint32_t offset;
	uint8_t target;
};

struct call {
	const char *name;
	uint64_t number;
	uint8_t argc;
	uint64_t args[SYSCALL_MAX_ARGS];
	int arg_buffer[SYSCALL_MAX_ARGS];	/* -1: a plain integer */
	uint8_t buffers;
	struct buffer buffer[SYSCALL_MAX_BUFFERS];
	uint16_t patches;
	struct patch patch[SYSCALL_MAX_PATCHES];
	size_t arena_used;
};

/* Formats the reason the request is refused into `why`; returns -1 for chaining. */
static int refuse(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int refuse(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -1;
}

static int decode_buffers(struct call *c, struct decoder *d, char *why, size_t size)
{
	uint8_t i;

	c->buffers = dec_u8(d);
	if (c->buffers > SYSCALL_MAX_BUFFERS)
		return refuse(why, size, "%s has %u buffers; at most %d", c->name, c->buffers, SYSCALL_MAX_BUFFERS);
	for (i = 0; i < c->buffers && !d->bad; i++) {
		struct buffer *b = &c->buffer[i];

		b->size = dec_u32(d);
		b->flags = dec_u8(d);
		dec_bytes(d, &b->data, &b->length);
		if (!d->bad && b->length > b->size)
			return refuse(why, size, "%s buffer %u holds %u bytes of data, more than its size of %u",
				      c->name, i, b->length, b->size);
		b->offset = c->arena_used;
		c->arena_used += ((size_t)b->size + SYSCALL_ALIGN - 1) / SYSCALL_ALIGN * SYSCALL_ALIGN;
		if (c->arena_used > SYSCALL_ARENA_SIZE)
			return refuse(why, size, "%s buffers need over %zu bytes (each rounded up to %d), more than the %u-byte limit",
				      c->name, c->arena_used, SYSCALL_ALIGN, (unsigned)SYSCALL_ARENA_SIZE);
	}
	return 0;
}

static int decode_pointers(struct call *c, struct decoder *d, char *why, size_t size)
{
	uint8_t count = dec_u8(d), i;

	if (count > SYSCALL_MAX_ARGS)
		return refuse(why, size, "%s has %u argument pointers; at most %d", c->name, count, SYSCALL_MAX_ARGS);
	for (i = 0; i < count && !d->bad; i++) {
		uint8_t arg = dec_u8(d), buffer = dec_u8(d);

		if (d->bad)
			break;
		if (arg >= c->argc)
			return refuse(why, size, "%s puts buffer %u into argument %u, but it has %u arguments",
				      c->name, buffer, arg, c->argc);
		if (buffer >= c->buffers)
			return refuse(why, size, "%s puts buffer %u into argument %u, but it has %u buffers",
				      c->name, buffer, arg, c->buffers);
		if (c->arg_buffer[arg] >= 0)
			return refuse(why, size, "%s puts two buffers into argument %u", c->name, arg);
		c->arg_buffer[arg] = buffer;
	}
	return 0;
}

static int decode_patches(struct call *c, struct decoder *d, char *why, size_t size)
{
	uint16_t i;

	c->patches = dec_u16(d);
	if (c->patches > SYSCALL_MAX_PATCHES)
		return refuse(why, size, "%s has %u pointer patches; at most %d", c->name, c->patches,
			      SYSCALL_MAX_PATCHES);
	for (i = 0; i < c->patches && !d->bad; i++) {
		struct patch *p = &c->patch[i];

		p->buffer = dec_u8(d);
		p->offset = dec_u32(d);
		p->target = dec_u8(d);
		if (d->bad)
			break;
		if (p->buffer >= c->buffers || p->target >= c->buffers)
			return refuse(why, size, "%s pointer patch %u links buffer %u to buffer %u, but it has %u buffers",
				      c->name, i, p->buffer, p->target, c->buffers);
		if ((uint64_t)p->offset + 8 > c->buffer[p->buffer].size)
			return refuse(why, size, "%s pointer patch %u: offset %u + 8 bytes is beyond the %u bytes of buffer %u",
				      c->name, i, p->offset, c->buffer[p->buffer].size, p->buffer);
	}
	return 0;
}

/* 0 when the payload is a valid call; else -1 with the reason in `why`. */
static int decode(struct call *c, const struct frame *f, char *why, size_t size)
{
	struct decoder d;
	uint8_t i;

	dec_init(&d, f);
	c->number = f->type == T_SYSCALL ? dec_u64(&d) : (uint64_t)SYS_ioctl;
	c->argc = dec_u8(&d);
	if (c->argc > SYSCALL_MAX_ARGS)
		return refuse(why, size, "%s has %u arguments; at most %d", c->name, c->argc, SYSCALL_MAX_ARGS);
	for (i = 0; i < SYSCALL_MAX_ARGS; i++) {
		c->args[i] = i < c->argc ? dec_u64(&d) : 0;
		c->arg_buffer[i] = -1;
	}
	if (decode_buffers(c, &d, why, size) < 0 || decode_pointers(c, &d, why, size) < 0 ||
	    decode_patches(c, &d, why, size) < 0)
		return -1;
	if (dec_finish(&d) != 0)
		return refuse(why, size, "%s payload is cut short or has bytes left over (%u bytes given; see PROTOCOL.md)",
			      c->name, f->length);
	return 0;
}

static uint64_t address_of(const unsigned char *arena, const struct buffer *b)
{
	return (uint64_t)(uintptr_t)(arena + b->offset);
}

/* Lays the buffers out in the arena and resolves every pointer. */
static void prepare(struct call *c, unsigned char *arena)
{
	int i;

	for (i = 0; i < c->buffers; i++) {
		struct buffer *b = &c->buffer[i];

		memcpy(arena + b->offset, b->data, b->length);
		memset(arena + b->offset + b->length, 0, b->size - b->length);
	}
	for (i = 0; i < c->patches; i++) {
		uint64_t address = address_of(arena, &c->buffer[c->patch[i].target]);

		memcpy(arena + c->buffer[c->patch[i].buffer].offset + c->patch[i].offset, &address, sizeof address);
	}
	for (i = 0; i < c->argc; i++) {
		if (c->arg_buffer[i] >= 0)
			c->args[i] = address_of(arena, &c->buffer[c->arg_buffer[i]]);
	}
}

static int64_t invoke(const struct call *c)
{
	long result;

	errno = 0;
	result = syscall((long)c->number, (long)c->args[0], (long)c->args[1], (long)c->args[2],
			 (long)c->args[3], (long)c->args[4], (long)c->args[5]);
	/* glibc turns the kernel's -4095..-1 into -1 and errno: undo that. */
	return result == -1 ? -(int64_t)errno : (int64_t)result;
}

static int send_result(const struct request *r, const unsigned char *arena, const struct call *c, int64_t result)
{
	unsigned char head[9], lengths[SYSCALL_MAX_BUFFERS][4];
	struct encoder e = { .buf = head, .cap = sizeof head };
	struct iovec iov[1 + 2 * SYSCALL_MAX_BUFFERS];
	int i, n = 1, count = 0;

	for (i = 0; i < c->buffers; i++) {
		const struct buffer *b = &c->buffer[i];
		struct encoder le = { .buf = lengths[count], .cap = 4 };

		if (!(b->flags & BUFFER_RETURN))
			continue;
		enc_u32(&le, b->size);
		iov[n].iov_base = lengths[count];
		iov[n++].iov_len = 4;
		iov[n].iov_base = (void *)(arena + b->offset);
		iov[n++].iov_len = b->size;
		count++;
	}
	enc_u64(&e, (uint64_t)result);
	enc_u8(&e, (uint8_t)count);
	iov[0].iov_base = head;
	iov[0].iov_len = e.len;
	return reply_iov(r, T_SYSCALL_RESULT, 0, iov, n);
}

int syscalls_request(unsigned char **arena, struct request *r)
{
	struct call c;
	char why[256];
	int64_t result;

	memset(&c, 0, sizeof c);
	c.name = r->f->type == T_SYSCALL ? "SYSCALL" : "IOCTL";
	if (decode(&c, r->f, why, sizeof why) < 0)
		return reply_error(r, E_MALFORMED, 0, "%s", why);
	if (*arena == NULL && (*arena = malloc(SYSCALL_ARENA_SIZE)) == NULL)
		return reply_error(r, E_OS_ERROR, ENOMEM, "%s: no memory for the %u-byte buffer arena", c.name,
				   (unsigned)SYSCALL_ARENA_SIZE);
	prepare(&c, *arena);
	result = invoke(&c);
	if (result == -EINTR && request_stopped(r) == STOP_CANCELLED)
		return reply_error(r, E_CANCELLED, 0,
				   "%s %llu (request %u on channel %u) was cancelled by the host: the call was interrupted (-EINTR)",
				   c.name, (unsigned long long)c.number, r->f->id, r->f->channel);
	return send_result(r, *arena, &c, result);
}
