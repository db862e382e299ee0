// SPDX-License-Identifier: GPL-2.0
/*
 * Attached devices and their char devices, /dev/cesiumN.
 *
 * cesium_devs_lock protects the registry (cesium_devs), every device's
 * open_count and dead flag, and serializes attach and detach. A device
 * can be detached only while no file has it open, so a data command never
 * runs against a store that is going away; rmmod is refused while files
 * are open because the cdev's owner is this module.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <uapi/cesium.h>
#include "../engine/store.h"
#include "../io/bio_backend.h"
#include "iface.h"

static DEFINE_MUTEX(cesium_devs_lock);
static DEFINE_XARRAY_ALLOC(cesium_devs);

static void cesium_dev_release(struct device *dev)
{
	struct cesium_dev *cd = container_of(dev, struct cesium_dev, dev);

	cesium_stats_free(cd);
	kfree(cd);
}

static int cesium_data_open(struct inode *inode, struct file *file)
{
	struct cesium_dev *cd = container_of(inode->i_cdev, struct cesium_dev,
					     cdev);
	int ret = 0;

	mutex_lock(&cesium_devs_lock);
	if (cd->dead) {
		ret = -ENODEV;
	} else {
		cd->open_count++;
		get_device(&cd->dev);
		file->private_data = cd;
	}
	mutex_unlock(&cesium_devs_lock);
	return ret;
}

static int cesium_data_release(struct inode *inode, struct file *file)
{
	struct cesium_dev *cd = file->private_data;

	mutex_lock(&cesium_devs_lock);
	cd->open_count--;
	mutex_unlock(&cesium_devs_lock);
	put_device(&cd->dev);
	return 0;
}

static long cesium_data_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct cesium_cmd_src src = { .uarg = (void __user *)arg };

	return cesium_data_cmd(file->private_data, file, cmd, &src);
}

const struct file_operations cesium_data_fops = {
	.owner = THIS_MODULE,
	.open = cesium_data_open,
	.release = cesium_data_release,
	.unlocked_ioctl = cesium_data_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.uring_cmd = cesium_data_uring_cmd,
	.llseek = noop_llseek,
};

static bool cesium_devt_attached(dev_t devt)
{
	struct cesium_dev *cd;
	unsigned long i;

	xa_for_each(&cesium_devs, i, cd)
		if (cd->bdev_devt == devt)
			return true;
	return false;
}

/**
 * cesium_devs_attach() - attach a formatted block device as /dev/cesiumN.
 * @path:	the block device's path.
 *
 * Context: process context, may sleep.
 * Return: N, or -ENOENT, -ENOTBLK, -EBUSY (attached or in use), -ENOSPC (no
 * free index), the errors of cesium_store_open(), -ENOMEM.
 */
int cesium_devs_attach(const char *path)
{
	struct cesium_dev *cd;
	u32 index;
	int ret;

	cd = kzalloc(sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return -ENOMEM;
	ret = cesium_stats_init(cd);
	if (ret) {
		kfree(cd);
		return ret;
	}

	mutex_lock(&cesium_devs_lock);
	cd->be = cesium_bio_backend_open(path, cd);
	if (IS_ERR(cd->be)) {
		ret = PTR_ERR(cd->be);
		goto out_free;
	}
	cd->bdev_devt = cesium_bio_backend_devt(cd->be);
	if (cesium_devt_attached(cd->bdev_devt)) {
		ret = -EBUSY;
		goto out_be;
	}
	ret = cesium_store_open(cd->be, cesium_commit_ms, &cd->store);
	if (ret)
		goto out_be;
	ret = xa_alloc(&cesium_devs, &index, cd,
		       XA_LIMIT(0, CESIUM_MAX_DEVICES - 1), GFP_KERNEL);
	if (ret) {
		ret = ret == -EBUSY ? -ENOSPC : ret;
		goto out_store;
	}
	cd->index = index;

	device_initialize(&cd->dev);
	cd->dev.class = cesium_class;
	cd->dev.devt = MKDEV(MAJOR(cesium_devt_base), index);
	cd->dev.groups = cesium_dev_groups;
	cd->dev.release = cesium_dev_release;
	dev_set_drvdata(&cd->dev, cd);
	cdev_init(&cd->cdev, &cesium_data_fops);
	cd->cdev.owner = THIS_MODULE;
	ret = dev_set_name(&cd->dev, "cesium%u", index);
	if (!ret)
		ret = cdev_device_add(&cd->cdev, &cd->dev);
	if (ret)
		goto out_put;
	mutex_unlock(&cesium_devs_lock);
	dev_info(&cd->dev, "attached %s\n", cd->be->name);
	return index;

out_put:
	/* From here the device's release frees cd: undo the rest first. */
	xa_erase(&cesium_devs, index);
	cesium_store_close(cd->store);
	cesium_be_release(cd->be);
	mutex_unlock(&cesium_devs_lock);
	put_device(&cd->dev);
	return ret;
out_store:
	cesium_store_close(cd->store);
out_be:
	cesium_be_release(cd->be);
out_free:
	mutex_unlock(&cesium_devs_lock);
	cesium_stats_free(cd);
	kfree(cd);
	return ret;
}

/* Take a device out of service. Caller holds cesium_devs_lock. */
static int __cesium_devs_detach(struct cesium_dev *cd)
{
	int ret;

	lockdep_assert_held(&cesium_devs_lock);
	cd->dead = true;
	xa_erase(&cesium_devs, cd->index);
	cdev_device_del(&cd->cdev, &cd->dev);
	ret = cesium_store_close(cd->store);
	if (ret)
		dev_warn(&cd->dev, "final commit failed: %d\n", ret);
	dev_info(&cd->dev, "detached %s\n", cd->be->name);
	cesium_be_release(cd->be);
	put_device(&cd->dev);
	return ret;
}

/**
 * cesium_devs_detach() - detach /dev/cesiumN: commit, flush, release.
 * @index:	N.
 *
 * Context: process context, may sleep.
 * Return: 0; -ENODEV (no such device); -EBUSY (open files). A device whose
 * final commit fails is detached all the same; the error is logged.
 */
int cesium_devs_detach(int index)
{
	struct cesium_dev *cd;
	int ret = 0;

	mutex_lock(&cesium_devs_lock);
	cd = xa_load(&cesium_devs, index);
	if (!cd)
		ret = -ENODEV;
	else if (cd->open_count)
		ret = -EBUSY;
	else
		__cesium_devs_detach(cd);
	mutex_unlock(&cesium_devs_lock);
	return ret;
}

/**
 * cesium_devs_detach_all() - at module unload: detach every device.
 *
 * No file can be open: each holds a reference on the module.
 */
void cesium_devs_detach_all(void)
{
	struct cesium_dev *cd;
	unsigned long i;

	mutex_lock(&cesium_devs_lock);
	xa_for_each(&cesium_devs, i, cd) {
		WARN_ON_ONCE(cd->open_count);
		__cesium_devs_detach(cd);
	}
	mutex_unlock(&cesium_devs_lock);
}

/**
 * cesium_devs_sync_all() - at shutdown: make every device durable.
 */
void cesium_devs_sync_all(void)
{
	struct cesium_dev *cd;
	unsigned long i;

	mutex_lock(&cesium_devs_lock);
	xa_for_each(&cesium_devs, i, cd)
		if (cesium_store_sync(cd->store))
			dev_warn(&cd->dev, "sync at shutdown failed\n");
	mutex_unlock(&cesium_devs_lock);
}

static void cesium_fill_entry(struct cesium_dev *cd,
			      struct cesium_list_entry *e)
{
	struct cesium_store_info info;

	cesium_store_info(cd->store, &info);
	memset(e, 0, sizeof(*e));
	e->index = cd->index;
	e->state = info.state;
	e->major = MAJOR(cd->bdev_devt);
	e->minor = MINOR(cd->bdev_devt);
	e->capacity_bytes = info.capacity_bytes;
	e->used_bytes = info.used_bytes;
	strscpy(e->bdev_name, cd->be->name, sizeof(e->bdev_name));
}

/**
 * cesium_devs_list() - describe the attached devices.
 * @entries:	user array of struct cesium_list_entry.
 * @nr:		its length.
 * @entry_size:	the caller's entry size, the array's stride.
 * @count:	user address that receives the number attached, or NULL.
 *
 * Return: entries written; -EOVERFLOW when more are attached than @nr;
 * -EFAULT.
 */
int cesium_devs_list(void __user *entries, u32 nr, u32 entry_size,
		     u64 __user *count)
{
	struct cesium_list_entry e;
	struct cesium_dev *cd;
	unsigned long i;
	u64 n = 0;
	int ret = 0;

	mutex_lock(&cesium_devs_lock);
	xa_for_each(&cesium_devs, i, cd) {
		if (n < nr) {
			cesium_fill_entry(cd, &e);
			/* Bytes of a longer entry than ours stay as they were. */
			if (copy_to_user(entries + n * entry_size, &e,
					 min_t(size_t, entry_size, sizeof(e)))) {
				ret = -EFAULT;
				break;
			}
		}
		n++;
	}
	mutex_unlock(&cesium_devs_lock);
	if (ret)
		return ret;
	if (count && put_user(n, count))
		return -EFAULT;
	return n > nr ? -EOVERFLOW : (int)n;
}
