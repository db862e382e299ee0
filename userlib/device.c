// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Opening a data device: naming it, choosing the default one, the handle.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "private.h"

CESIUM_HIDDEN struct cesium_paths cesium__paths = {
	.sysfs_class = "/sys/class/cesium",
	.dev_dir = "/dev",
	.control = CESIUM_CONTROL_PATH,
};

/* "cesiumN": the name of a data device's node and sysfs folder. */
static int is_device_name(const char *name)
{
	const char *p;
	size_t digits;

	if (strncmp(name, "cesium", strlen("cesium")))
		return 0;
	p = name + strlen("cesium");
	digits = strspn(p, "0123456789");
	return digits >= 1 && digits <= 10 && p[digits] == '\0';
}

/*
 * The only cesiumN in the class folder. The class also holds
 * cesium-control, which is_device_name() skips. No class folder means no
 * module, hence no device either.
 */
static int only_device(char *name, size_t size)
{
	struct dirent *de;
	int found = 0;
	DIR *dir;

	dir = opendir(cesium__paths.sysfs_class);
	if (!dir)
		return errno == ENOENT ? -ENODEV : -errno;
	while ((de = readdir(dir))) {
		if (!is_device_name(de->d_name))
			continue;
		if (found++)
			break;
		if ((size_t)snprintf(name, size, "%s", de->d_name) >= size) {
			closedir(dir);
			return -ENAMETOOLONG;
		}
	}
	closedir(dir);
	if (!found)
		return -ENODEV;
	return found > 1 ? -ENOTUNIQ : 0;
}

CESIUM_HIDDEN int cesium__resolve(const char *dev, char *path, size_t size)
{
	char name[64];
	int ret;

	if (!dev) {
		/* secure_getenv: a set-id program ignores the variable. */
		dev = secure_getenv(CESIUM_DEVICE_ENV);
		if (dev && !*dev)
			dev = NULL;
	}
	if (!dev) {
		ret = only_device(name, sizeof(name));
		if (ret)
			return ret;
		dev = name;
	}
	if (strchr(dev, '/'))
		ret = snprintf(path, size, "%s", dev);
	else if (is_device_name(dev))
		ret = snprintf(path, size, "%s/%s", cesium__paths.dev_dir, dev);
	else
		return -EINVAL;
	if (ret < 0 || (size_t)ret >= size)
		return -ENAMETOOLONG;
	/* The control node takes no data commands. */
	if (!strcmp(path, cesium__paths.control))
		return -EINVAL;
	return 0;
}

int cesium_open(const char *dev, int flags, struct cesium **out)
{
	char path[PATH_MAX];
	struct cesium *c;
	int acc = flags & O_ACCMODE;
	int ret;

	if (!out)
		return -EFAULT;
	if ((flags & ~(O_ACCMODE | O_NONBLOCK)) ||
	    (acc != O_RDONLY && acc != O_RDWR))
		return -EINVAL;
	ret = cesium__resolve(dev, path, sizeof(path));
	if (ret)
		return ret;
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fd = open(path, flags | O_CLOEXEC);
	if (c->fd < 0) {
		ret = -errno;
		free(c);
		return ret;
	}
	*out = c;
	return 0;
}

void cesium_close(struct cesium *c)
{
	if (!c)
		return;
	close(c->fd);
	free(c);
}

int cesium_fd(const struct cesium *c)
{
	return c ? c->fd : -EFAULT;
}
