#include "kmsg.h"


#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* Drops the "<level>" that starts every record, as dmesg(1) does; returns the new length. */
static size_t strip_levels(char *log, size_t length)
{
	size_t in = 0, out = 0;

	while (in < length) {
		if (log[in] == '<') {
			size_t end = in + 1;

			while (end < length && log[end] >= '0' && log[end] <= '9')
				end++;
			if (end < length && end > in + 1 && log[end] == '>')
				in = end + 1;
		}
		while (in < length) {
			char c = log[in++];

			log[out++] = c;
			if (c == '\n')
				break;
		}
	}
	return out;
}

static int send_log(struct request *r, const char *log, size_t length)
{
	unsigned char buf[8];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	size_t sent = 0;

	while (sent < length) {
		size_t n = length - sent < DATA_MAX_CHUNK ? length - sent : DATA_MAX_CHUNK;

		if (request_stopped(r) != STOP_NONE)
			return reply_cancelled(r, "DMESG");
		if (reply(r, T_DATA_OUT, FRAME_FLAG_MORE, log + sent, n) < 0)
			return -1;
		sent += n;
	}
	enc_u64(&e, length);
	return reply(r, T_DONE, 0, e.buf, e.len);
}

int kmsg_request(struct request *r)
{
	const struct frame *f = r->f;
	int size, length, result;
	char *log;

	if (f->length != 0)
		return reply_error(r, E_MALFORMED, 0,
				   "DMESG payload must be empty (%u bytes given)", f->length);
	size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (size < 0)
		return reply_error(r, E_OS_ERROR, errno,
				   "klogctl(SYSLOG_ACTION_SIZE_BUFFER): %s", strerror(errno));
	if (size > (int)KMSG_MAX)
		size = KMSG_MAX;
	log = malloc(size > 0 ? (size_t)size : 1);
	if (log == NULL)
		return reply_error(r, E_OS_ERROR, ENOMEM,
				   "no memory for the %d-byte kernel log", size);
	length = klogctl(SYSLOG_ACTION_READ_ALL, log, size);
	if (length < 0) {
		int err = errno;

		free(log);
		return reply_error(r, E_OS_ERROR, err,
				   "klogctl(SYSLOG_ACTION_READ_ALL): %s", strerror(err));
	}
	result = send_log(r, log, strip_levels(log, (size_t)length));
	free(log);
	return result;
}
