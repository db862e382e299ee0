/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What user space touches: the control device, one char device per
 * attached block device, the command decoder shared by ioctl (and, later,
 * uring_cmd), sysfs.
 */
#ifndef _CESIUM_IFACE_H
#define _CESIUM_IFACE_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/types.h>

struct cesium_backend;
struct cesium_store;
struct io_uring_cmd;

/* /dev/cesium0 .. /dev/cesium255; the control device takes the next minor. */
#define CESIUM_MAX_DEVICES	256
#define CESIUM_CONTROL_MINOR	CESIUM_MAX_DEVICES

/**
 * struct cesium_dev - one attached block device: /dev/cesiumN.
 * @dev:	the class device cesiumN; its release frees this struct.
 * @cdev:	the char device.
 * @index:	N.
 * @be:		the block device, opened exclusively.
 * @store:	the engine's store on it.
 * @bdev_devt:	the block device's number.
 * @open_count:	open files; protected by cesium_devs_lock.
 * @dead:	detached; no new open; protected by cesium_devs_lock.
 */
struct cesium_dev {
	struct device dev;
	struct cdev cdev;
	int index;
	struct cesium_backend *be;
	struct cesium_store *store;
	dev_t bdev_devt;
	unsigned int open_count;
	bool dead;
};

/* main.c */
extern struct class *cesium_class;
extern dev_t cesium_devt_base;
extern unsigned int cesium_commit_ms;

/* chardev.c: attached devices. */
int cesium_devs_attach(const char *path);
int cesium_devs_detach(int index);
int cesium_devs_list(void __user *entries, u32 nr, u32 entry_size,
		     u64 __user *count);
void cesium_devs_sync_all(void);
void cesium_devs_detach_all(void);
extern const struct file_operations cesium_data_fops;

/* control.c */
int cesium_control_init(void);
void cesium_control_exit(void);

/*
 * cmd.c: the command decoder. A command struct comes from user memory
 * (ioctl: @uarg) or from the SQE (uring_cmd: @kbytes, @klen bytes, copied by
 * io_uring before the command may run in an io-wq worker).
 */
struct cesium_cmd_src {
	const void __user *uarg;
	const void *kbytes;
	size_t klen;
};

long cesium_data_cmd(struct cesium_dev *cd, struct file *file,
		     unsigned int cmd, const struct cesium_cmd_src *src);
long cesium_control_cmd(struct file *file, unsigned int cmd,
			const struct cesium_cmd_src *src);

/* uring.c */
int cesium_data_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);
int cesium_control_uring_cmd(struct io_uring_cmd *ioucmd,
			     unsigned int issue_flags);

/* sysfs.c */
extern const struct attribute_group *cesium_dev_groups[];

#endif /* _CESIUM_IFACE_H */
