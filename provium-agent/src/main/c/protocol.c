#include "protocol.h"

#include "io.h"
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * The reader's one buffer: room for the largest frame plus read-ahead. A frame is read where it
 * starts; the bytes are moved to the front only when the frame would not fit behind them.
 */
#define RX_READ_AHEAD (64u * 1024)
#define RX_CAP (FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD + RX_READ_AHEAD)
#define NEED_MORE (-2)
#define MESSAGE_MAX 4608

static unsigned char rx[RX_CAP + 1];	/* + 1: a byte after any payload, see struct frame */
static size_t rx_start;
static size_t rx_end;
static uint64_t rx_skipped;	/* garbage bytes dropped and not reported yet */
static int64_t rx_last_input_ms;

static const unsigned char magic[4] = { 'P', 'R', 'V', 'M' };

/* ---- CRC-32 and little-endian fields ---- */

uint32_t crc32_ieee(const unsigned char *p, size_t len)
{
	static uint32_t table[256];
	uint32_t crc = 0xFFFFFFFFu;
	size_t i;

	if (table[1] == 0) {
		for (i = 0; i < 256; i++) {
			uint32_t c = (uint32_t)i;
			int k;

			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	for (i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
	return crc ^ 0xFFFFFFFFu;
}

static uint16_t get_u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* ---- reading ---- */

void frame_decode_header(const unsigned char *h, struct frame *f)
{
	f->type = h[4];
	f->flags = h[5];
	f->channel = get_u16(h + 6);
	f->id = get_u32(h + 8);
	f->length = get_u32(h + 12);
}

static void skip_garbage(size_t n)
{
	rx_start += n;
	rx_skipped += n;
}

/* Drops bytes up to the next possible magic. */
static void skip_to_next_magic(void)
{
	const unsigned char *next = memchr(rx + rx_start + 1, magic[0], rx_end - rx_start - 1);

	skip_garbage(next ? (size_t)(next - (rx + rx_start)) : rx_end - rx_start);
}

static int report_garbage(struct frame *f)
{
	f->count = rx_skipped;
	rx_skipped = 0;
	return READ_GARBAGE;
}

/* Finds a frame in the buffered bytes, or says that more bytes are needed. */
static int scan_buffer(struct frame *f)
{
	for (;;) {
		const unsigned char *h = rx + rx_start;
		size_t avail = rx_end - rx_start;

		if (avail == 0) {
			rx_start = rx_end = 0;
			return NEED_MORE;
		}
		if (memcmp(h, magic, avail < sizeof magic ? avail : sizeof magic) != 0) {
			skip_to_next_magic();
			continue;
		}
		if (avail < FRAME_HEADER_SIZE)
			return NEED_MORE;
		if (get_u32(h + 16) != crc32_ieee(h, 16)) {
			skip_to_next_magic();
			continue;
		}
		if (rx_skipped > 0)
			return report_garbage(f);
		frame_decode_header(h, f);
		if (f->length > FRAME_MAX_PAYLOAD) {
			rx_start += FRAME_HEADER_SIZE;
			return READ_TOO_LARGE;
		}
		if (avail < FRAME_HEADER_SIZE + (size_t)f->length)
			return NEED_MORE;
		f->payload = rx + rx_start + FRAME_HEADER_SIZE;
		rx_start += FRAME_HEADER_SIZE + f->length;
		return READ_FRAME;
	}
}

/* Moves the started frame to the front when the whole frame would not fit behind it. */
static void make_room(void)
{
	size_t avail = rx_end - rx_start;
	size_t need = FRAME_HEADER_SIZE;

	if (avail >= FRAME_HEADER_SIZE)
		need += get_u32(rx + rx_start + 12);
	if (rx_start + need <= RX_CAP && rx_end < RX_CAP)
		return;
	memmove(rx, rx + rx_start, avail);
	rx_start = 0;
	rx_end = avail;
}

/* Drops the partial frame whose bytes stopped arriving. */
static int drop_partial(struct frame *f)
{
	size_t avail = rx_end - rx_start;

	if (avail >= FRAME_HEADER_SIZE)
		frame_decode_header(rx + rx_start, f);
	f->count = avail;
	rx_start = rx_end = 0;
	return READ_TRUNCATED;
}

static int input_ready_now(const struct conn *c)
{
	struct pollfd p = { .fd = c->in_fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & (c->port ? POLLIN : POLLIN | POLLHUP | POLLERR));
}

int rx_next(const struct conn *c, struct frame *f)
{
	int event;

	memset(f, 0, sizeof *f);
	event = scan_buffer(f);
	if (event != NEED_MORE)
		return event;
	/* A run of garbage ends when no more input is waiting. */
	if (rx_skipped > 0 && !input_ready_now(c))
		return report_garbage(f);
	return READ_NEED_MORE;
}

void rx_unread(const struct frame *f)
{
	rx_start -= FRAME_HEADER_SIZE + (size_t)f->length;
}

int rx_fill(const struct conn *c, struct frame *f)
{
	ssize_t n;

	memset(f, 0, sizeof *f);
	make_room();
	n = read(c->in_fd, rx + rx_end, RX_CAP - rx_end);
	if (n > 0) {
		rx_end += (size_t)n;
		rx_last_input_ms = now_ms();
		return READ_NEED_MORE;
	}
	if (n == 0 && c->port)
		return READ_HANGUP;
	if (n == 0 && rx_skipped > 0)
		return report_garbage(f);
	if (n == 0 && rx_end == rx_start)
		return READ_END;
	if (n == 0) {
		f->input_ended = 1;
		return drop_partial(f);
	}
	if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
		return READ_NEED_MORE;
	log_error("read from the host: %s", strerror(errno));
	return READ_FAILED;
}

int rx_timeout(void)
{
	int64_t left;

	if (rx_end == rx_start)
		return -1;
	left = rx_last_input_ms + FRAME_SILENCE_MS - now_ms();
	return left < 0 ? 0 : (int)left;
}

int rx_expire(struct frame *f)
{
	memset(f, 0, sizeof *f);
	if (rx_timeout() != 0)
		return READ_NEED_MORE;
	return rx_skipped > 0 ? report_garbage(f) : drop_partial(f);
}

void rx_resume(void)
{
	rx_last_input_ms = now_ms();
}

/* ---- writing ---- */

/*
 * Threads and forked workers all write to the one connection: a robust, process-shared mutex in a
 * shared mapping keeps their frames whole. A worker that dies holding it leaves the mutex to the next
 * writer (EOWNERDEAD), which logs that a frame may have been cut short.
 */
static pthread_mutex_t *writer_lock;

int frame_writer_setup(void)
{
	pthread_mutexattr_t attr;
	void *shared = mmap(NULL, sizeof *writer_lock, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	crc32_ieee(magic, sizeof magic);	/* builds the table before any thread can race for it */
	if (shared == MAP_FAILED) {
		log_error("mmap for the writer lock: %s", strerror(errno));
		return -1;
	}
	writer_lock = shared;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	if (pthread_mutex_init(writer_lock, &attr) != 0) {
		log_error("pthread_mutex_init for the writer lock failed");
		return -1;
	}
	pthread_mutexattr_destroy(&attr);
	return 0;
}

void frame_writer_lock(void)
{
	if (writer_lock == NULL)
		return;
	if (pthread_mutex_lock(writer_lock) == EOWNERDEAD) {
		log_error("a worker died while writing a frame to the host; that frame may be cut short");
		pthread_mutex_consistent(writer_lock);
	}
}

void frame_writer_unlock(void)
{
	if (writer_lock != NULL)
		pthread_mutex_unlock(writer_lock);
}

int frame_is_final(uint8_t type)
{
	return type != T_OUTPUT && type != T_DATA_OUT;
}

int frame_send_iov(int out_fd, uint8_t type, uint8_t flags, uint16_t channel, uint32_t id,
		   const struct iovec *payload, int count)
{
	unsigned char h[FRAME_HEADER_SIZE];
	struct iovec iov[1 + FRAME_IOV_MAX];
	size_t length = 0;
	int i, result;

	if (count > FRAME_IOV_MAX) {
		log_error("frame of type 0x%02x has %d payload vectors, over %d", type, count, FRAME_IOV_MAX);
		return -1;
	}
	iov[0].iov_base = h;
	iov[0].iov_len = sizeof h;
	for (i = 0; i < count; i++) {
		iov[1 + i] = payload[i];
		length += payload[i].iov_len;
	}
	memcpy(h, magic, sizeof magic);
	h[4] = type;
	h[5] = flags;
	put_u16(h + 6, channel);
	put_u32(h + 8, id);
	put_u32(h + 12, (uint32_t)length);
	put_u32(h + 16, crc32_ieee(h, 16));
	frame_writer_lock();
	result = write_all_iov(out_fd, iov, 1 + count);
	frame_writer_unlock();
	if (result < 0) {
		log_error("write to the host: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int frame_send(int out_fd, uint8_t type, uint8_t flags, uint16_t channel, uint32_t id,
	       const void *payload, size_t length)
{
	struct iovec iov = { .iov_base = (void *)payload, .iov_len = length };

	return frame_send_iov(out_fd, type, flags, channel, id, &iov, length > 0 ? 1 : 0);
}

int frame_send_verror(int out_fd, uint16_t channel, uint32_t id, uint16_t code, int err,
		      const char *fmt, va_list ap)
{
	char message[MESSAGE_MAX];
	unsigned char payload[MESSAGE_MAX + 16];
	struct encoder e = { .buf = payload, .cap = sizeof payload };

	vsnprintf(message, sizeof message, fmt, ap);
	enc_u16(&e, code);
	enc_u32(&e, (uint32_t)err);
	enc_str(&e, message);
	return frame_send(out_fd, T_ERROR, 0, channel, id, e.buf, e.len);
}

int frame_send_error(int out_fd, uint16_t channel, uint32_t id, uint16_t code, int err,
		     const char *fmt, ...)
{
	va_list ap;
	int result;

	va_start(ap, fmt);
	result = frame_send_verror(out_fd, channel, id, code, err, fmt, ap);
	va_end(ap);
	return result;
}

/* ---- payload encoding ---- */

static unsigned char *enc_reserve(struct encoder *e, size_t n)
{
	unsigned char *p;

	if (e->overflow || e->cap - e->len < n) {
		e->overflow = 1;
		return NULL;
	}
	p = e->buf + e->len;
	e->len += n;
	return p;
}

void enc_u8(struct encoder *e, uint8_t v)
{
	unsigned char *p = enc_reserve(e, 1);

	if (p)
		p[0] = v;
}

void enc_u16(struct encoder *e, uint16_t v)
{
	unsigned char *p = enc_reserve(e, 2);

	if (p)
		put_u16(p, v);
}

void enc_u32(struct encoder *e, uint32_t v)
{
	unsigned char *p = enc_reserve(e, 4);

	if (p)
		put_u32(p, v);
}

void enc_u64(struct encoder *e, uint64_t v)
{
	unsigned char *p = enc_reserve(e, 8);

	if (p) {
		put_u32(p, (uint32_t)v);
		put_u32(p + 4, (uint32_t)(v >> 32));
	}
}

void enc_str(struct encoder *e, const char *s)
{
	size_t n = strlen(s);
	unsigned char *p;

	enc_u32(e, (uint32_t)n);
	p = enc_reserve(e, n);
	if (p)
		memcpy(p, s, n);
}

void dec_init(struct decoder *d, const struct frame *f)
{
	d->p = f->payload;
	d->len = f->length;
	d->pos = 0;
	d->bad = 0;
}

static unsigned char *dec_take(struct decoder *d, size_t n)
{
	unsigned char *p;

	if (d->bad || d->len - d->pos < n) {
		d->bad = 1;
		return NULL;
	}
	p = d->p + d->pos;
	d->pos += n;
	return p;
}

uint8_t dec_u8(struct decoder *d)
{
	unsigned char *p = dec_take(d, 1);

	return p ? p[0] : 0;
}

uint16_t dec_u16(struct decoder *d)
{
	unsigned char *p = dec_take(d, 2);

	return p ? get_u16(p) : 0;
}

uint32_t dec_u32(struct decoder *d)
{
	unsigned char *p = dec_take(d, 4);

	return p ? get_u32(p) : 0;
}

uint64_t dec_u64(struct decoder *d)
{
	unsigned char *p = dec_take(d, 8);

	return p ? (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32 : 0;
}

void dec_bytes(struct decoder *d, unsigned char **s, uint32_t *len)
{
	*len = dec_u32(d);
	*s = dec_take(d, *len);
	if (*s == NULL)
		*len = 0;
}

int dec_finish(const struct decoder *d)
{
	return d->bad || d->pos != d->len ? -1 : 0;
}
