#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LOG_LINE_MAX 1024
#define KERN_ERR 3
#define KERN_INFO 6

static int log_fd = STDERR_FILENO;
static int log_kmsg;

int log_to_kernel(void)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd >= 0) {
		log_fd = fd;
		log_kmsg = 1;
		return 0;
	}
	log_error("open /dev/kmsg: %s; logging to /dev/console", strerror(errno));
	fd = open("/dev/console", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		log_error("open /dev/console: %s; logging to stderr", strerror(errno));
		return -1;
	}
	log_fd = fd;
	return 0;
}

static void log_line(int level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	size_t len = 0;
	int saved_errno = errno;
	int n;

	if (log_kmsg)
		len = (size_t)snprintf(line, sizeof line, "<%d>", level);
	len += (size_t)snprintf(line + len, sizeof line - len, "provium-agent: ");
	n = vsnprintf(line + len, sizeof line - len, fmt, ap);
	len = n < 0 ? len : len + (size_t)n;
	if (len > sizeof line - 2)
		len = sizeof line - 2;
	line[len++] = '\n';
	while (write(log_fd, line, len) < 0 && errno == EINTR)
		;
	errno = saved_errno;
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(KERN_ERR, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(KERN_INFO, fmt, ap);
	va_end(ap);
}
