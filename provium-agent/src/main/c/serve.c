#include "serve.h"

#include "exec.h"
#include "files.h"

#include <unistd.h>

#define HANDLED 0
#define CONNECTION_FAILED (-1)
#define SHUTDOWN_REQUESTED 1

static const char *const capabilities[] = { "exec", "read_file", "write_file", "shutdown", "ping" };

/* A HELLO with another version arrived: only HELLO and PING are served until a matching one. */
static int version_refused;

static int on_hello(const struct conn *c, const struct frame *f)
{
	static unsigned char buf[256];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	struct decoder d;
	uint32_t version;
	size_t i;

	dec_init(&d, f);
	version = dec_u32(&d);
	if (dec_finish(&d) != 0)
		return frame_send_error(c, f->channel, f->id, E_MALFORMED, 0,
					"HELLO payload must be a u32 protocol version (%u bytes given)", f->length);
	if (version != PROVIUM_PROTOCOL_VERSION) {
		version_refused = 1;
		return frame_send_error(c, f->channel, f->id, E_VERSION_MISMATCH, 0,
					"host speaks protocol %u, agent speaks protocol %d", version,
					PROVIUM_PROTOCOL_VERSION);
	}
	version_refused = 0;
	enc_u32(&e, PROVIUM_PROTOCOL_VERSION);
	enc_u32(&e, (uint32_t)getpid());
	enc_u16(&e, (uint16_t)(sizeof capabilities / sizeof capabilities[0]));
	for (i = 0; i < sizeof capabilities / sizeof capabilities[0]; i++)
		enc_str(&e, capabilities[i]);
	return frame_send(c, T_HELLO_OK, 0, f->channel, f->id, e.buf, e.len);
}

static int on_ping(const struct conn *c, const struct frame *f)
{
	return frame_send(c, T_PONG, 0, f->channel, f->id, f->payload, f->length);
}

static int on_shutdown(const struct conn *c, const struct frame *f)
{
	if (f->length != 0)
		return frame_send_error(c, f->channel, f->id, E_MALFORMED, 0,
					"SHUTDOWN payload must be empty (%u bytes given)", f->length);
	if (frame_send(c, T_OK, 0, f->channel, f->id, NULL, 0) < 0)
		return CONNECTION_FAILED;
	return SHUTDOWN_REQUESTED;
}

static int is_request(uint8_t type)
{
	return type >= T_HELLO && type <= T_PING;
}

static int dispatch(const struct conn *c, struct frame *f)
{
	if (f->channel != 0)
		return frame_send_error(c, f->channel, f->id, E_UNKNOWN_CHANNEL, 0, "no server on channel %u",
					f->channel);
	if (!is_request(f->type))
		return frame_send_error(c, f->channel, f->id, E_UNKNOWN_TYPE, 0,
					"frame type 0x%02x is not a request this agent knows", f->type);
	if (f->type == T_HELLO)
		return on_hello(c, f);
	if (f->type == T_PING)
		return on_ping(c, f);
	if (version_refused)
		return frame_send_error(c, f->channel, f->id, E_VERSION_MISMATCH, 0,
					"send HELLO with protocol %d first: this agent speaks protocol %d only",
					PROVIUM_PROTOCOL_VERSION, PROVIUM_PROTOCOL_VERSION);
	switch (f->type) {
	case T_EXEC:
		return exec_request(c, f);
	case T_WRITE_FILE:
		return files_write_begin(c, f);
	case T_DATA_IN:
		return files_write_data(c, f);
	case T_READ_FILE:
		return files_read(c, f);
	case T_SHUTDOWN:
		return on_shutdown(c, f);
	default:
		return frame_send_error(c, f->channel, f->id, E_UNKNOWN_TYPE, 0,
					"frame type 0x%02x is not a request this agent knows", f->type);
	}
}

/* Answers a read event that is not a frame. */
static int report(const struct conn *c, const struct frame *f, int event)
{
	if (event == READ_GARBAGE)
		return frame_send_error(c, 0, 0, E_BAD_FRAME, 0,
					"skipped %llu bytes that are not a valid frame",
					(unsigned long long)f->count);
	if (event == READ_TOO_LARGE)
		return frame_send_error(c, f->channel, f->id, E_TOO_LARGE, 0,
					"frame announces a %u-byte payload, over the %u-byte limit; header skipped",
					f->length, FRAME_MAX_PAYLOAD);
	if (f->input_ended)
		return frame_send_error(c, f->channel, f->id, E_TRUNCATED, 0,
					"frame truncated: %llu bytes arrived, then the input ended; dropped",
					(unsigned long long)f->count);
	return frame_send_error(c, f->channel, f->id, E_TRUNCATED, 0,
				"frame truncated: %llu bytes arrived, then %d ms of silence; dropped",
				(unsigned long long)f->count, FRAME_SILENCE_MS);
}

int serve(const struct conn *c)
{
	struct frame f;
	int event, result = HANDLED;

	do {
		event = frame_read(c, &f);
		if (event == READ_END || event == READ_FAILED)
			break;
		result = event == READ_FRAME ? dispatch(c, &f) : report(c, &f, event);
	} while (result == HANDLED);
	files_abandon();
	if (result == SHUTDOWN_REQUESTED)
		return SERVE_SHUTDOWN;
	if (result == CONNECTION_FAILED || event == READ_FAILED)
		return SERVE_FAILED;
	return SERVE_INPUT_ENDED;
}
