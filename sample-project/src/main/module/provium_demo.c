// SPDX-License-Identifier: GPL-2.0
/*
 * provium_demo: a small character device, the example of a kernel module tested with Provium.
 *
 * /dev/provium-demo keeps the bytes of the last write (at most 4 KiB) and reads them back. Its ioctls
 * (provium_demo.h) report write statistics, reset them, and upper-case a caller's buffer through a
 * pointer carried in a struct. Every action leaves a line in the kernel log.
 */
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "provium_demo.h"

#define DEMO_CAPACITY 4096

static DEFINE_MUTEX(demo_lock);
static char demo_data[DEMO_CAPACITY];
static size_t demo_length;
static struct provium_demo_stats demo_stats;

static ssize_t demo_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	ssize_t ret;

	mutex_lock(&demo_lock);
	ret = simple_read_from_buffer(buf, count, pos, demo_data, demo_length);
	mutex_unlock(&demo_lock);
	return ret;
}

/* Each write replaces what the device holds; the file position does not move. */
static ssize_t demo_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	if (count > DEMO_CAPACITY)
		return -EFBIG;
	mutex_lock(&demo_lock);
	if (copy_from_user(demo_data, buf, count)) {
		mutex_unlock(&demo_lock);
		return -EFAULT;
	}
	demo_length = count;
	demo_stats.writes++;
	demo_stats.bytes += count;
	mutex_unlock(&demo_lock);
	pr_info("provium_demo: stored %zu bytes\n", count);
	return count;
}

static long demo_xform(struct provium_demo_xform __user *uarg)
{
	struct provium_demo_xform x;
	char *buf;
	u32 i;

	if (copy_from_user(&x, uarg, sizeof(x)))
		return -EFAULT;
	if (x.len > DEMO_CAPACITY)
		return -EINVAL;
	buf = memdup_user(u64_to_user_ptr(x.data), x.len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	x.changed = 0;
	for (i = 0; i < x.len; i++) {
		if (islower(buf[i])) {
			buf[i] = toupper(buf[i]);
			x.changed++;
		}
	}
	if (copy_to_user(u64_to_user_ptr(x.data), buf, x.len) || copy_to_user(uarg, &x, sizeof(x))) {
		kfree(buf);
		return -EFAULT;
	}
	kfree(buf);
	pr_info("provium_demo: upper-cased %u bytes, %u changed\n", x.len, x.changed);
	return 0;
}

static long demo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	struct provium_demo_stats stats;

	switch (cmd) {
	case PROVIUM_DEMO_GET_STATS:
		mutex_lock(&demo_lock);
		stats = demo_stats;
		mutex_unlock(&demo_lock);
		return copy_to_user(argp, &stats, sizeof(stats)) ? -EFAULT : 0;
	case PROVIUM_DEMO_RESET:
		mutex_lock(&demo_lock);
		memset(&demo_stats, 0, sizeof(demo_stats));
		demo_length = 0;
		mutex_unlock(&demo_lock);
		pr_info("provium_demo: reset\n");
		return 0;
	case PROVIUM_DEMO_XFORM:
		return demo_xform(argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations demo_fops = {
	.owner = THIS_MODULE,
	.read = demo_read,
	.write = demo_write,
	.unlocked_ioctl = demo_ioctl,
	.llseek = default_llseek,
};

static struct miscdevice demo_device = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "provium-demo",
	.fops = &demo_fops,
	.mode = 0666,
};

static int __init demo_init(void)
{
	int ret = misc_register(&demo_device);

	if (ret)
		return ret;
	pr_info("provium_demo: loaded, /dev/provium-demo is ready\n");
	return 0;
}

static void __exit demo_exit(void)
{
	misc_deregister(&demo_device);
	pr_info("provium_demo: unloaded\n");
}

module_init(demo_init);
module_exit(demo_exit);
MODULE_DESCRIPTION("A character device to show how Provium tests kernel modules");
MODULE_LICENSE("GPL");
