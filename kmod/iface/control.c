// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/cesium-control: FORMAT, ATTACH, DETACH, LIST. Opening it needs
 * CAP_SYS_ADMIN, and every command checks the opener's credentials again.
 */
#include <linux/capability.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <uapi/cesium.h>
#include "../engine/store.h"
#include "../io/backend.h"
#include "../io/bio_backend.h"
#include "iface.h"

/* Size of struct cesium_list_entry in ABI version 1: the least accepted. */
#define CESIUM_LIST_ENTRY_V1	64

static char *cesium_copy_path(const struct cesium_ctl_cmd *c)
{
	char *path;

	if (!c->path_len)
		return ERR_PTR(-EINVAL);
	if (c->path_len >= CESIUM_PATH_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	path = memdup_user_nul(u64_to_user_ptr(c->path_ptr), c->path_len);
	if (IS_ERR(path))
		return path;
	if (strlen(path) != c->path_len) {
		kfree(path);
		return ERR_PTR(-EINVAL);
	}
	return path;
}

static const u64 cesium_sig_uapi[] = {
	[CESIUM_SIGNATURE_NONE] = CESIUM_SIG_NONE,
	[CESIUM_SIGNATURE_CESIUM] = CESIUM_SIG_CESIUM,
	[CESIUM_SIGNATURE_PARTITIONS] = CESIUM_SIG_PARTITION_TABLE,
	[CESIUM_SIGNATURE_EXT] = CESIUM_SIG_EXT,
	[CESIUM_SIGNATURE_XFS] = CESIUM_SIG_XFS,
	[CESIUM_SIGNATURE_BTRFS] = CESIUM_SIG_BTRFS,
	[CESIUM_SIGNATURE_SWAP] = CESIUM_SIG_SWAP,
};

/* Exclusive-open holder of a device being formatted. */
static int cesium_format_holder;

static long cesium_cmd_format(const struct cesium_ctl_cmd *c, const char *path)
{
	u64 __user *result = (u64 __user *)u64_to_user_ptr(c->result_ptr);
	enum cesium_signature sig = CESIUM_SIGNATURE_NONE;
	struct cesium_backend *be;
	int ret;

	/*
	 * The signature is written back on success too: make sure it can be
	 * before the device is touched, so that a format that happened is
	 * never reported as -EFAULT.
	 */
	if (result && put_user((u64)CESIUM_SIG_NONE, result))
		return -EFAULT;
	be = cesium_bio_backend_open(path, &cesium_format_holder);
	if (IS_ERR(be))
		return PTR_ERR(be);
	ret = cesium_store_format(be, c->flags & CESIUM_FORMAT_FORCE, &sig);
	cesium_be_release(be);
	if ((!ret || ret == -EEXIST) && result &&
	    put_user(cesium_sig_uapi[sig], result))
		return -EFAULT;
	if (!ret)
		pr_info("cesium: formatted %s\n", path);
	return ret;
}

static long cesium_cmd_ctl(unsigned int nr, const struct cesium_ctl_cmd *c)
{
	bool format = nr == _IOC_NR(CESIUM_IOC_FORMAT);
	char *path;
	long ret;

	if (!cesium_zero(c->reserved, sizeof(c->reserved)) ||
	    (c->flags & ~(format ? CESIUM_FORMAT_FLAGS_ALL : 0)))
		return -EINVAL;
	if (nr == _IOC_NR(CESIUM_IOC_DETACH)) {
		if (c->path_ptr || c->path_len || c->result_ptr)
			return -EINVAL;
		return c->index >= CESIUM_MAX_DEVICES ? -ENODEV :
		       cesium_devs_detach(c->index);
	}
	if (c->index || (!format && c->result_ptr))
		return -EINVAL;
	path = cesium_copy_path(c);
	if (IS_ERR(path))
		return PTR_ERR(path);
	ret = format ? cesium_cmd_format(c, path) : cesium_devs_attach(path);
	kfree(path);
	return ret;
}

static long cesium_cmd_list(const struct cesium_list_cmd *c)
{
	if (c->flags || !cesium_zero(c->reserved, sizeof(c->reserved)))
		return -EINVAL;
	if (c->nr_entries > CESIUM_MAX_DEVICES ||
	    c->entry_size < CESIUM_LIST_ENTRY_V1 ||
	    c->entry_size > PAGE_SIZE)
		return -EINVAL;
	return cesium_devs_list(u64_to_user_ptr(c->entries_ptr), c->nr_entries,
				c->entry_size, u64_to_user_ptr(c->count_ptr));
}

/**
 * cesium_control_cmd() - decode and run a command on /dev/cesium-control.
 * @file:	the open file; its opener must have had CAP_SYS_ADMIN.
 * @cmd:	the request number (ioctl) or cmd_op (uring_cmd).
 * @src:	where the command struct is.
 *
 * Context: process context, may sleep.
 * Return: the command's result, or a negative errno.
 */
long cesium_control_cmd(struct file *file, unsigned int cmd,
			const struct cesium_cmd_src *src)
{
	union {
		struct cesium_ctl_cmd ctl;
		struct cesium_list_cmd list;
	} c;
	int ret;

	if (_IOC_TYPE(cmd) != CESIUM_IOC_MAGIC)
		return -ENOTTY;
	/* The opener's credentials, not the caller's: also for io-wq. */
	if (!file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(CESIUM_IOC_FORMAT):
	case _IOC_NR(CESIUM_IOC_ATTACH):
	case _IOC_NR(CESIUM_IOC_DETACH):
		ret = cesium_load_cmd(src, &c.ctl, sizeof(c.ctl),
				      offsetof(struct cesium_ctl_cmd, reserved));
		return ret ? ret : cesium_cmd_ctl(_IOC_NR(cmd), &c.ctl);
	case _IOC_NR(CESIUM_IOC_LIST):
		ret = cesium_load_cmd(src, &c.list, sizeof(c.list),
				      offsetof(struct cesium_list_cmd, reserved));
		return ret ? ret : cesium_cmd_list(&c.list);
	default:
		return -ENOTTY;
	}
}

static struct cdev cesium_control_cdev;
static struct device *cesium_control_dev;

static int cesium_control_open(struct inode *inode, struct file *file)
{
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static long cesium_control_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg)
{
	struct cesium_cmd_src src = { .uarg = (void __user *)arg };

	return cesium_control_cmd(file, cmd, &src);
}

static const struct file_operations cesium_control_fops = {
	.owner = THIS_MODULE,
	.open = cesium_control_open,
	.unlocked_ioctl = cesium_control_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.uring_cmd = cesium_control_uring_cmd,
	.llseek = noop_llseek,
};

/**
 * cesium_control_init() - create /dev/cesium-control.
 *
 * Context: module init, after the class and the char device region.
 * Return: 0 or a negative errno.
 */
int cesium_control_init(void)
{
	dev_t devt = MKDEV(MAJOR(cesium_devt_base), CESIUM_CONTROL_MINOR);
	int ret;

	cdev_init(&cesium_control_cdev, &cesium_control_fops);
	cesium_control_cdev.owner = THIS_MODULE;
	ret = cdev_add(&cesium_control_cdev, devt, 1);
	if (ret)
		return ret;
	cesium_control_dev = device_create(cesium_class, NULL, devt, NULL,
					   "cesium-control");
	if (IS_ERR(cesium_control_dev)) {
		ret = PTR_ERR(cesium_control_dev);
		goto out_cdev;
	}
	return 0;

out_cdev:
	cdev_del(&cesium_control_cdev);
	return ret;
}

/**
 * cesium_control_exit() - remove /dev/cesium-control.
 */
void cesium_control_exit(void)
{
	device_destroy(cesium_class, cesium_control_dev->devt);
	cdev_del(&cesium_control_cdev);
}
