#include "files.h"

#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The WRITE_FILE whose closing empty DATA frame has not arrived yet. */
static struct upload {
	int open;
	uint16_t channel;
	uint32_t id;
	int fd;			/* -1 when opening failed */
	int err;		/* first failure: errno and the step that failed */
	const char *step;
	uint64_t total;
	char path[PATH_MAX];
} upload = { .fd = -1 };

/* Copies a `str` path into a C string; -1 with errno ENAMETOOLONG when it does not fit. */
static int copy_path(char *dst, const unsigned char *src, uint32_t len)
{
	if (len >= PATH_MAX) {
		memcpy(dst, src, PATH_MAX - 4);
		strcpy(dst + PATH_MAX - 4, "...");
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

static void upload_fail(int err, const char *step)
{
	if (upload.err == 0) {
		upload.err = err;
		upload.step = step;
	}
}

/* Creates the file with exactly `mode` (no umask), or truncates an existing one keeping its mode. */
static int open_for_writing(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, mode);

	if (fd >= 0) {
		if (fchmod(fd, mode) < 0)
			upload_fail(errno, "chmod");
		return fd;
	}
	if (errno != EEXIST) {
		upload_fail(errno, "open");
		return -1;
	}
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		upload_fail(errno, "open");
	return fd;
}

static int finish_upload(const struct conn *c)
{
	unsigned char buf[8];
	struct encoder e = { .buf = buf, .cap = sizeof buf };

	if (upload.fd >= 0 && close(upload.fd) < 0)
		upload_fail(errno, "close");
	upload.fd = -1;
	upload.open = 0;
	if (upload.err != 0)
		return frame_send_error(c, upload.channel, upload.id, E_OS_ERROR, upload.err, "%s %s: %s",
					upload.step, upload.path, strerror(upload.err));
	enc_u64(&e, upload.total);
	return frame_send(c, T_DONE, 0, upload.channel, upload.id, e.buf, e.len);
}

static int abandon_previous(const struct conn *c)
{
	if (!upload.open)
		return 0;
	files_abandon();
	return frame_send_error(c, upload.channel, upload.id, E_UNEXPECTED, 0,
				"WRITE_FILE %s abandoned: another WRITE_FILE arrived before its empty DATA frame",
				upload.path);
}

int files_write_begin(const struct conn *c, const struct frame *f)
{
	struct decoder d;
	unsigned char *path;
	uint32_t mode, length;

	dec_init(&d, f);
	mode = dec_u32(&d);
	dec_bytes(&d, &path, &length);
	if (dec_finish(&d) != 0)
		return frame_send_error(c, f->channel, f->id, E_MALFORMED, 0,
					"WRITE_FILE payload must be u32 mode then str path (%u bytes given)",
					f->length);
	if (memchr(path, '\0', length) != NULL)
		return frame_send_error(c, f->channel, f->id, E_MALFORMED, 0, "WRITE_FILE path contains a NUL byte");
	if (abandon_previous(c) < 0)
		return -1;
	upload.open = 1;
	upload.channel = f->channel;
	upload.id = f->id;
	upload.err = 0;
	upload.total = 0;
	if (copy_path(upload.path, path, length) < 0)
		upload_fail(errno, "open");
	else
		upload.fd = open_for_writing(upload.path, mode & 07777);
	return 0;
}

int files_write_data(const struct conn *c, const struct frame *f)
{
	if (!upload.open || f->channel != upload.channel || f->id != upload.id)
		return frame_send_error(c, f->channel, f->id, E_UNEXPECTED, 0,
					"DATA for request %u but no WRITE_FILE of that request is open", f->id);
	if (f->length == 0)
		return finish_upload(c);
	if (upload.err != 0)
		return 0;
	if (write_all(upload.fd, f->payload, f->length) < 0) {
		upload_fail(errno, "write");
		return 0;
	}
	upload.total += f->length;
	return 0;
}

void files_abandon(void)
{
	if (upload.fd >= 0)
		close(upload.fd);
	upload.fd = -1;
	upload.open = 0;
}

/* ERROR OS_ERROR for errno, naming the failed step and the path. */
static int send_os_error(const struct conn *c, const struct frame *f, const char *step, const char *path)
{
	int err = errno;

	return frame_send_error(c, f->channel, f->id, E_OS_ERROR, err, "%s %s: %s", step, path, strerror(err));
}

static int send_file(const struct conn *c, const struct frame *f, int fd, const char *path)
{
	static unsigned char chunk[DATA_MAX_CHUNK];
	unsigned char buf[8];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	uint64_t total = 0;

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return send_os_error(c, f, "read", path);
		if (n == 0)
			break;
		if (frame_send(c, T_DATA_OUT, FRAME_FLAG_MORE, f->channel, f->id, chunk, (size_t)n) < 0)
			return -1;
		total += (uint64_t)n;
	}
	enc_u64(&e, total);
	return frame_send(c, T_DONE, 0, f->channel, f->id, e.buf, e.len);
}

int files_read(const struct conn *c, const struct frame *f)
{
	static char path[PATH_MAX];
	struct decoder d;
	unsigned char *raw;
	uint32_t length;
	int fd, result;

	dec_init(&d, f);
	dec_bytes(&d, &raw, &length);
	if (dec_finish(&d) != 0)
		return frame_send_error(c, f->channel, f->id, E_MALFORMED, 0,
					"READ_FILE payload must be str path (%u bytes given)", f->length);
	if (memchr(raw, '\0', length) != NULL)
		return frame_send_error(c, f->channel, f->id, E_MALFORMED, 0, "READ_FILE path contains a NUL byte");
	if (copy_path(path, raw, length) < 0)
		return send_os_error(c, f, "open", path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return send_os_error(c, f, "open", path);
	result = send_file(c, f, fd, path);
	close(fd);
	return result;
}
