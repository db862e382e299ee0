// SPDX-License-Identifier: GPL-2.0
/*
 * CesiumDB: a key-value store in the kernel.
 *
 * Module init and exit, parameters, the "cesium" class and its char device
 * region, the reboot notifier. Registration happens in this order and
 * teardown in the reverse one.
 */
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/reboot.h>

#include "iface/iface.h"

unsigned int cesium_commit_ms = 5;
module_param_named(commit_ms, cesium_commit_ms, uint, 0644);
MODULE_PARM_DESC(commit_ms,
		 "Interval of the periodic group commit in ms, for stores attached later (default 5)");

struct class *cesium_class;
dev_t cesium_devt_base;

static char *cesium_devnode(struct device *dev, umode_t *mode)
{
	if (mode)
		*mode = 0600;
	return NULL;
}

/* At shutdown, make every attached store durable. */
static int cesium_reboot(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	cesium_devs_sync_all();
	return NOTIFY_DONE;
}

static struct notifier_block cesium_reboot_nb = {
	.notifier_call = cesium_reboot,
};

static int __init cesium_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&cesium_devt_base, 0, CESIUM_MAX_DEVICES + 1,
				  "cesium");
	if (ret)
		return ret;
	cesium_class = class_create(THIS_MODULE, "cesium");
	if (IS_ERR(cesium_class)) {
		ret = PTR_ERR(cesium_class);
		goto out_region;
	}
	cesium_class->devnode = cesium_devnode;
	ret = cesium_control_init();
	if (ret)
		goto out_class;
	ret = register_reboot_notifier(&cesium_reboot_nb);
	if (ret)
		goto out_control;
	return 0;

out_control:
	cesium_control_exit();
out_class:
	class_destroy(cesium_class);
out_region:
	unregister_chrdev_region(cesium_devt_base, CESIUM_MAX_DEVICES + 1);
	return ret;
}

static void __exit cesium_exit(void)
{
	unregister_reboot_notifier(&cesium_reboot_nb);
	cesium_control_exit();
	cesium_devs_detach_all();
	class_destroy(cesium_class);
	unregister_chrdev_region(cesium_devt_base, CESIUM_MAX_DEVICES + 1);
	/* The index's RCU callbacks are this module's code: let them run. */
	rcu_barrier();
}

module_init(cesium_init);
module_exit(cesium_exit);

MODULE_DESCRIPTION("CesiumDB: a key-value store on block devices");
MODULE_AUTHOR("The CesiumDB developers");
MODULE_LICENSE("GPL");
