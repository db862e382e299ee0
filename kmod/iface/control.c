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

#include "iface.h"

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
