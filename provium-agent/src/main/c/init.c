#include "init.h"

#include "children.h"
#include "io.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PORTS_DIR "/sys/class/virtio-ports"
#define PORT_WAIT_MS 10000
#define PORT_RETRY_MS 100
#define MODULES_LIST_MAX (64 * 1024)
#define INIT_OPTION "provium.init="

/* Reads a small file into buf as a C string; the length or -1. */
static ssize_t read_small_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;

	if (fd < 0)
		return -1;
	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

static int is_mounted(const char *target, long magic)
{
	struct statfs st;

	return magic != 0 && statfs(target, &st) == 0 && (long)st.f_type == magic;
}

static int mount_fs(const char *type, const char *target, unsigned long flags, const char *data, long magic)
{
	if (mkdir(target, 0755) < 0 && errno != EEXIST) {
		log_error("mkdir %s: %s", target, strerror(errno));
		return -1;
	}
	if (is_mounted(target, magic))
		return 0;
	if (mount(type, target, type, flags, data) == 0 || errno == EBUSY)
		return 0;
	log_error("mount %s on %s: %s", type, target, strerror(errno));
	return -1;
}

static int mount_filesystems(void)
{
	int failed = 0;

	failed |= mount_fs("proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, PROC_SUPER_MAGIC);
	failed |= mount_fs("sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, SYSFS_MAGIC);
	/* The root is a tmpfs too, so /dev cannot be recognised by its magic: EBUSY tells instead. */
	failed |= mount_fs("devtmpfs", "/dev", MS_NOSUID, "mode=0755", 0);
	return failed ? -1 : 0;
}

/* Finds provium.init=PATH on the kernel command line; 1 when found. */
static int find_real_init(char *path, size_t size)
{
	static char cmdline[4096];
	char *token, *save;

	if (read_small_file("/proc/cmdline", cmdline, sizeof cmdline) < 0) {
		log_error("read /proc/cmdline: %s", strerror(errno));
		return 0;
	}
	for (token = strtok_r(cmdline, " \t\n", &save); token; token = strtok_r(NULL, " \t\n", &save)) {
		if (strncmp(token, INIT_OPTION, strlen(INIT_OPTION)) == 0) {
			snprintf(path, size, "%s", token + strlen(INIT_OPTION));
			return path[0] != '\0';
		}
	}
	return 0;
}

/* PID 1 after the agent forked: becomes the real init, or at least keeps reaping. */
_Noreturn static void exec_real_init(const char *path, char *argv[])
{
	children_prepare_exec();
	argv[0] = (char *)path;
	execv(path, argv);
	log_error("exec %s: %s; reaping orphans while the agent serves", path, strerror(errno));
	for (;;) {
		if (wait(NULL) < 0 && errno == ECHILD)
			sleep_ms(1000);
	}
}

/* With provium.init=PATH: the parent execs PATH, the child returns 0 and serves. */
static int start_real_init(char *argv[])
{
	static char path[PATH_MAX];
	pid_t pid;

	if (!find_real_init(path, sizeof path))
		return 0;
	if (access(path, X_OK) != 0) {
		log_error("provium.init=%s: %s; the agent stays the init", path, strerror(errno));
		return 0;
	}
	pid = fork();
	if (pid < 0) {
		log_error("fork before exec %s: %s; the agent stays the init", path, strerror(errno));
		return 0;
	}
	if (pid > 0)
		exec_real_init(path, argv);
	if (setsid() < 0)
		log_error("setsid: %s", strerror(errno));
	log_info("serving in the background of %s", path);
	return 0;
}

int init_system(char *argv[])
{
	mount_filesystems();
	if (open_standard_fds() != 0)
		return -1;
	log_to_kernel();
	if (setenv("PATH", GUEST_PATH, 1) < 0) {
		log_error("setenv PATH: %s", strerror(errno));
		return -1;
	}
	return start_real_init(argv);
}

static int load_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		log_error("open module %s: %s", path, strerror(errno));
		return -1;
	}
	if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST) {
		log_error("finit_module %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int init_load_modules(void)
{
	static char list[MODULES_LIST_MAX];
	char *line, *save;
	ssize_t len = read_small_file(MODULES_LIST, list, sizeof list);
	int failed = 0;

	if (len < 0 && errno == ENOENT)
		return 0;
	if (len < 0) {
		log_error("read %s: %s", MODULES_LIST, strerror(errno));
		return -1;
	}
	if ((size_t)len == sizeof list - 1)
		log_error("%s is over %d bytes; the rest is ignored", MODULES_LIST, MODULES_LIST_MAX - 1);
	for (line = strtok_r(list, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		if (line[0] != '\0')
			failed |= load_module(line);
	}
	return failed ? -1 : 0;
}

/* The /dev path of the port named AGENT_PORT_NAME; 0 when found. */
static int find_port(char *dev, size_t size)
{
	DIR *dir = opendir(PORTS_DIR);
	struct dirent *entry;
	char path[PATH_MAX], name[64];
	int found = -1;

	if (dir == NULL)
		return -1;
	while (found != 0 && (entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s/name", PORTS_DIR, entry->d_name);
		if (read_small_file(path, name, sizeof name) < 0)
			continue;
		name[strcspn(name, "\n")] = '\0';
		if (strcmp(name, AGENT_PORT_NAME) == 0) {
			snprintf(dev, size, "/dev/%s", entry->d_name);
			found = 0;
		}
	}
	closedir(dir);
	return found;
}

int init_open_port(void)
{
	char dev[PATH_MAX] = "";
	int waited, err = 0;

	/* The port and its device node appear asynchronously after the modules load. */
	for (waited = 0; waited <= PORT_WAIT_MS; waited += PORT_RETRY_MS) {
		if (find_port(dev, sizeof dev) == 0) {
			int fd = open(dev, O_RDWR | O_CLOEXEC | O_NOCTTY);

			if (fd >= 0) {
				log_info("serving on %s", dev);
				return fd;
			}
			err = errno;
		}
		sleep_ms(PORT_RETRY_MS);
	}
	if (dev[0] == '\0')
		log_error("no virtio port named %s in %s after %d ms", AGENT_PORT_NAME, PORTS_DIR, PORT_WAIT_MS);
	else
		log_error("open %s: %s", dev, strerror(err));
	return -1;
}

_Noreturn void init_power_off(void)
{
	log_info("powering off");
	sync();
	if (reboot(RB_POWER_OFF) < 0)
		log_error("reboot(RB_POWER_OFF): %s", strerror(errno));
	if (getpid() != 1)
		exit(1);
	for (;;) {
		children_reap();
		sleep_ms(1000);
	}
}
