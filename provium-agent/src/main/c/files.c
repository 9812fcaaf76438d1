#include "files.h"

#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int files_init(struct files *fs)
{
	memset(&fs->upload, 0, sizeof fs->upload);
	fs->upload.fd = -1;
	fs->chunk = malloc(DATA_MAX_CHUNK);
	return fs->chunk == NULL ? -1 : 0;
}

void files_destroy(struct files *fs)
{
	files_abandon(fs);
	free(fs->chunk);
	fs->chunk = NULL;
}

int files_copy_path(char *dst, const unsigned char *src, uint32_t len)
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

/*
 * open(2) that a cancelled request stops: a FIFO without a peer blocks in open until the router's
 * signal interrupts it. -1 with errno set (ECANCELED when the request was cancelled).
 */
static int open_cancellable(struct request *r, const char *path, int flags, mode_t mode)
{
	for (;;) {
		int fd = open(path, flags, mode);

		if (fd >= 0 || errno != EINTR)
			return fd;
		if (request_stopped(r) != STOP_NONE) {
			errno = ECANCELED;
			return -1;
		}
	}
}

static void upload_fail(struct upload *upload, int err, const char *step)
{
	if (upload->err == 0) {
		upload->err = err;
		upload->step = step;
	}
}

/* Creates the file with exactly `mode` (no umask), or truncates an existing one keeping its mode. */
static int open_for_writing(struct request *r, struct upload *upload, const char *path, mode_t mode)
{
	int fd = open_cancellable(r, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, mode);

	if (fd >= 0) {
		if (fchmod(fd, mode) < 0)
			upload_fail(upload, errno, "chmod");
		return fd;
	}
	if (errno != EEXIST) {
		upload_fail(upload, errno, "open");
		return -1;
	}
	fd = open_cancellable(r, path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0);
	if (fd < 0)
		upload_fail(upload, errno, "open");
	return fd;
}

/* write(2) of every byte, stopped by a cancel: -1 with errno set (ECANCELED when cancelled). */
static int write_cancellable(struct request *r, int fd, const unsigned char *data, size_t length)
{
	while (length > 0) {
		ssize_t n = write(fd, data, length);

		if (n < 0 && errno == EINTR && request_stopped(r) != STOP_NONE) {
			errno = ECANCELED;
			return -1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		length -= (size_t)n;
	}
	return 0;
}

static int finish_upload(struct upload *upload, struct request *r)
{
	unsigned char buf[8];
	struct encoder e = { .buf = buf, .cap = sizeof buf };

	if (upload->fd >= 0 && close(upload->fd) < 0)
		upload_fail(upload, errno, "close");
	upload->fd = -1;
	upload->open = 0;
	if (upload->err == ECANCELED)
		return reply_cancelled(r, "WRITE_FILE");
	if (upload->err != 0)
		return reply_error_to(r, upload->id, E_OS_ERROR, upload->err, "%s %s: %s", upload->step, upload->path,
				      strerror(upload->err));
	enc_u64(&e, upload->total);
	return reply(r, T_DONE, 0, e.buf, e.len);
}

static int abandon_previous(struct files *fs, struct request *r)
{
	struct upload *upload = &fs->upload;

	if (!upload->open)
		return 0;
	files_abandon(fs);
	return reply_error_to(r, upload->id, E_UNEXPECTED, 0,
			      "WRITE_FILE %s abandoned: another WRITE_FILE arrived before its empty DATA frame",
			      upload->path);
}

int files_write_begin(struct files *fs, struct request *r)
{
	const struct frame *f = r->f;
	struct upload *upload = &fs->upload;
	struct decoder d;
	unsigned char *path;
	uint32_t mode, length;

	dec_init(&d, f);
	mode = dec_u32(&d);
	dec_bytes(&d, &path, &length);
	if (dec_finish(&d) != 0)
		return reply_error(r, E_MALFORMED, 0, "WRITE_FILE payload must be u32 mode then str path (%u bytes given)",
				   f->length);
	if (memchr(path, '\0', length) != NULL)
		return reply_error(r, E_MALFORMED, 0, "WRITE_FILE path contains a NUL byte");
	if (abandon_previous(fs, r) < 0)
		return -1;
	upload->open = 1;
	upload->id = f->id;
	upload->err = 0;
	upload->total = 0;
	if (files_copy_path(upload->path, path, length) < 0)
		upload_fail(upload, errno, "open");
	else
		upload->fd = open_for_writing(r, upload, upload->path, mode & 07777);
	if (upload->err == ECANCELED)
		return files_cancel_upload(fs, r);
	return 0;
}

int files_write_data(struct files *fs, struct request *r)
{
	const struct frame *f = r->f;
	struct upload *upload = &fs->upload;

	if (!upload->open || f->id != upload->id)
		return reply_error(r, E_UNEXPECTED, 0, "DATA for request %u but no WRITE_FILE of that request is open",
				   f->id);
	if (f->length == 0)
		return finish_upload(upload, r);
	if (upload->err != 0)
		return 0;
	if (write_cancellable(r, upload->fd, f->payload, f->length) < 0) {
		upload_fail(upload, errno, "write");
		return upload->err == ECANCELED ? files_cancel_upload(fs, r) : 0;
	}
	upload->total += f->length;
	return 0;
}

int files_cancel_upload(struct files *fs, struct request *r)
{
	struct upload *upload = &fs->upload;

	if (!upload->open || r->cancels == NULL || !cancels_has(r->cancels, upload->id))
		return 0;
	files_abandon(fs);
	cancels_forget(r->cancels, upload->id);
	return reply_error_to(r, upload->id, E_CANCELLED, 0,
			      "WRITE_FILE %s (request %u on channel %u) was cancelled by the host; the file is incomplete",
			      upload->path, upload->id, r->f->channel);
}

void files_abandon(struct files *fs)
{
	struct upload *upload = &fs->upload;

	if (upload->fd >= 0)
		close(upload->fd);
	upload->fd = -1;
	upload->open = 0;
}

/* ERROR OS_ERROR for errno (CANCELLED for ECANCELED), naming the failed step and the path. */
static int send_os_error(const struct request *r, const char *step, const char *path)
{
	int err = errno;

	if (err == ECANCELED)
		return reply_cancelled(r, "READ_FILE");
	return reply_error(r, E_OS_ERROR, err, "%s %s: %s", step, path, strerror(err));
}

/* Sends the file in chunks; a cancel is noticed between chunks and in a read that blocks. */
static int send_file(struct files *fs, struct request *r, int fd, const char *path)
{
	unsigned char *chunk = fs->chunk;
	unsigned char buf[8];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	uint64_t total = 0;

	for (;;) {
		ssize_t n;

		if (request_stopped(r) != STOP_NONE)
			return reply_cancelled(r, "READ_FILE");
		n = read(fd, chunk, DATA_MAX_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return send_os_error(r, "read", path);
		if (n == 0)
			break;
		if (reply(r, T_DATA_OUT, FRAME_FLAG_MORE, chunk, (size_t)n) < 0)
			return -1;
		total += (uint64_t)n;
	}
	enc_u64(&e, total);
	return reply(r, T_DONE, 0, e.buf, e.len);
}

int files_read(struct files *fs, struct request *r)
{
	const struct frame *f = r->f;
	char path[PATH_MAX];
	struct decoder d;
	unsigned char *raw;
	uint32_t length;
	int fd, result;

	dec_init(&d, f);
	dec_bytes(&d, &raw, &length);
	if (dec_finish(&d) != 0)
		return reply_error(r, E_MALFORMED, 0, "READ_FILE payload must be str path (%u bytes given)", f->length);
	if (memchr(raw, '\0', length) != NULL)
		return reply_error(r, E_MALFORMED, 0, "READ_FILE path contains a NUL byte");
	if (files_copy_path(path, raw, length) < 0)
		return send_os_error(r, "open", path);
	fd = open_cancellable(r, path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
	if (fd < 0)
		return send_os_error(r, "open", path);
	result = send_file(fs, r, fd, path);
	close(fd);
	return result;
}
