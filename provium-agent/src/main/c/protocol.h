/* The Provium agent wire protocol (PROTOCOL.md): frames, their reader and writer, payload encoding. */
#ifndef PROVIUM_PROTOCOL_H
#define PROVIUM_PROTOCOL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* The one place the protocol version is defined; the Makefile copies it into agent.properties. */
#define PROVIUM_PROTOCOL_VERSION 2

#define FRAME_HEADER_SIZE 20
#define FRAME_MAX_PAYLOAD (16u * 1024 * 1024)
#define OUTPUT_MAX_DATA (64u * 1024)
#define DATA_MAX_CHUNK (1024u * 1024)
#define FRAME_FLAG_MORE 0x01
/* Silence inside a started frame after which the partial frame is dropped. */
#define FRAME_SILENCE_MS 1000

enum frame_type {
	T_HELLO = 0x01,
	T_EXEC = 0x02,
	T_WRITE_FILE = 0x03,
	T_DATA_IN = 0x04,
	T_READ_FILE = 0x05,
	T_SHUTDOWN = 0x06,
	T_PING = 0x07,
	T_SYSCALL = 0x08,
	T_IOCTL = 0x09,
	T_BACKGROUND = 0x0A,
	T_JOB_WAIT = 0x0B,
	T_JOB_KILL = 0x0C,
	T_SPAWN = 0x0D,
	T_KILL_WORKER = 0x0E,
	T_DMESG = 0x0F,
	T_CANCEL = 0x10,
	T_HELLO_OK = 0x81,
	T_OUTPUT = 0x82,
	T_EXIT = 0x83,
	T_DATA_OUT = 0x84,
	T_DONE = 0x85,
	T_OK = 0x86,
	T_PONG = 0x87,
	T_SYSCALL_RESULT = 0x88,
	T_JOB_STARTED = 0x8A,
	T_JOB_STATUS = 0x8B,
	T_SPAWNED = 0x8D,
	T_CANCEL_STATUS = 0x90,
	T_ERROR = 0xFF
};

enum error_code {
	E_BAD_FRAME = 1,
	E_TOO_LARGE = 2,
	E_UNKNOWN_TYPE = 3,
	E_MALFORMED = 4,
	E_VERSION_MISMATCH = 5,
	E_OS_ERROR = 6,
	E_TRUNCATED = 7,
	E_UNKNOWN_CHANNEL = 8,
	E_UNEXPECTED = 9,
	E_NOT_FOUND = 10,
	E_LIMIT = 11,
	E_CANCELLED = 12
};

/* The first and last request types this agent serves. */
#define T_FIRST_REQUEST T_HELLO
#define T_LAST_REQUEST T_CANCEL

/* One connection to the host. */
struct conn {
	int in_fd;
	int out_fd;
	/* A virtio port: end of input or a hang-up means "no host connected yet", not the end. */
	int port;
};

struct frame {
	uint8_t type;
	uint8_t flags;
	uint16_t channel;
	uint32_t id;
	uint32_t length;
	/*
	 * Points into the reader's buffer, valid until the next frame is read. The byte after the
	 * payload belongs to that buffer too, so a forked child may NUL-terminate a trailing string in
	 * place.
	 */
	unsigned char *payload;
	/* READ_GARBAGE: bytes skipped. READ_TRUNCATED: bytes that arrived of the partial frame. */
	uint64_t count;
	/* READ_TRUNCATED: the input ended inside the frame (rather than falling silent). */
	int input_ended;
};

enum read_event {
	READ_FRAME,	/* a valid frame */
	READ_GARBAGE,	/* bytes that are not a frame were skipped; count says how many */
	READ_TOO_LARGE,	/* a valid header announced more than FRAME_MAX_PAYLOAD; header fields set */
	READ_TRUNCATED,	/* a partial frame was dropped; header fields set when the header was complete */
	READ_END,	/* end of input (never on a virtio port) */
	READ_FAILED,	/* the input cannot be read any more */
	READ_NEED_MORE,	/* nothing complete yet: wait until the input is readable or rx_timeout passes */
	READ_HANGUP	/* a virtio port without a host: wait a little, then read again */
};

/*
 * The reader of the host connection, used by the router alone: one static buffer fed by rx_fill when
 * poll says the input is readable, frames taken out by rx_next.
 */

/* The next frame or event in the bytes read so far, or READ_NEED_MORE. */
int rx_next(const struct conn *c, struct frame *f);

/* Reads what the input holds now: READ_NEED_MORE after reading some bytes, or the event that happened. */
int rx_fill(const struct conn *c, struct frame *f);

/* Gives back the frame rx_next just returned: the next rx_next returns it again. */
void rx_unread(const struct frame *f);

/* Milliseconds until the partial frame in the buffer is dropped as truncated; -1 when there is none. */
int rx_timeout(void);

/* Called when rx_timeout has passed: the event that ends the partial frame, or READ_NEED_MORE. */
int rx_expire(struct frame *f);

/* Restarts the silence clock: the input was not read for a while on purpose (backpressure). */
void rx_resume(void);

/* Fills the header fields of f from the 20 header bytes at h. */
void frame_decode_header(const unsigned char *h, struct frame *f);

/* Sets up the lock that keeps frames of threads and forked workers from interleaving. */
int frame_writer_setup(void);

/* Holds the writer's lock: no frame is being written while it is held. */
void frame_writer_lock(void);
void frame_writer_unlock(void);

/* 1 for a final reply (every reply type but OUTPUT and DATA), 0 otherwise. */
int frame_is_final(uint8_t type);

/* Sends one frame to out_fd; -1 when the connection cannot be written any more (logged). */
int frame_send(int out_fd, uint8_t type, uint8_t flags, uint16_t channel, uint32_t id,
	       const void *payload, size_t length);

/* Sends one frame whose payload is gathered from `count` vectors (at most FRAME_IOV_MAX). */
#define FRAME_IOV_MAX 160
int frame_send_iov(int out_fd, uint8_t type, uint8_t flags, uint16_t channel, uint32_t id,
		   const struct iovec *payload, int count);

/* Sends an ERROR frame whose message is formatted like printf. */
int frame_send_error(int out_fd, uint16_t channel, uint32_t id, uint16_t code, int err,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int frame_send_verror(int out_fd, uint16_t channel, uint32_t id, uint16_t code, int err,
		      const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

/* Builds a payload in a caller's buffer; overflow is remembered and reported by enc_failed. */
struct encoder {
	unsigned char *buf;
	size_t cap;
	size_t len;
	int overflow;
};

void enc_u8(struct encoder *e, uint8_t v);
void enc_u16(struct encoder *e, uint16_t v);
void enc_u32(struct encoder *e, uint32_t v);
void enc_u64(struct encoder *e, uint64_t v);
void enc_str(struct encoder *e, const char *s);

/* Reads a payload; any short read is remembered and reported by dec_finish. */
struct decoder {
	unsigned char *p;
	size_t len;
	size_t pos;
	int bad;
};

void dec_init(struct decoder *d, const struct frame *f);
uint8_t dec_u8(struct decoder *d);
uint16_t dec_u16(struct decoder *d);
uint32_t dec_u32(struct decoder *d);
uint64_t dec_u64(struct decoder *d);
/* A `bytes`/`str` field: *s points into the payload (not NUL-terminated). */
void dec_bytes(struct decoder *d, unsigned char **s, uint32_t *len);
/* 0 when every field was present and nothing is left over. */
int dec_finish(const struct decoder *d);

uint32_t crc32_ieee(const unsigned char *p, size_t len);

#endif
