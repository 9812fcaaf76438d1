/* The Provium agent wire protocol (PROTOCOL.md): frames, their reader and writer, payload encoding. */
#ifndef PROVIUM_PROTOCOL_H
#define PROVIUM_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

/* The one place the protocol version is defined; the Makefile copies it into agent.properties. */
#define PROVIUM_PROTOCOL_VERSION 1

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
	T_HELLO_OK = 0x81,
	T_OUTPUT = 0x82,
	T_EXIT = 0x83,
	T_DATA_OUT = 0x84,
	T_DONE = 0x85,
	T_OK = 0x86,
	T_PONG = 0x87,
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
	E_UNEXPECTED = 9
};

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
	 * Points into the reader's buffer, valid until the next frame_read. The byte after the payload
	 * belongs to that buffer too, so a forked child may NUL-terminate a trailing string in place.
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
	READ_FAILED	/* the input cannot be read any more */
};

/* Reads the next frame or event; waits as long as needed, reaping children meanwhile. */
int frame_read(const struct conn *c, struct frame *f);

/* Sends one frame; -1 when the connection cannot be written any more (logged). */
int frame_send(const struct conn *c, uint8_t type, uint8_t flags, uint16_t channel, uint32_t id,
	       const void *payload, size_t length);

/* Sends an ERROR frame whose message is formatted like printf. */
int frame_send_error(const struct conn *c, uint16_t channel, uint32_t id, uint16_t code, int err,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

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
uint32_t dec_u32(struct decoder *d);
/* A `bytes`/`str` field: *s points into the payload (not NUL-terminated). */
void dec_bytes(struct decoder *d, unsigned char **s, uint32_t *len);
/* 0 when every field was present and nothing is left over. */
int dec_finish(const struct decoder *d);

uint32_t crc32_ieee(const unsigned char *p, size_t len);

#endif
