// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Control commands: FORMAT, ATTACH, DETACH and LIST on /dev/cesium-control,
 * which is opened for each call: these are rare, privileged operations, and
 * holding the node open would only keep the module busy.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "private.h"

/* Run one control command; the result is the ioctl's or a negative errno. */
static int control(unsigned long req, void *cmd)
{
	int fd, ret;

	fd = open(cesium__paths.control, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = cesium__ioctl(fd, req, cmd);
	close(fd);
	return ret;
}

static int path_cmd(struct cesium_ctl_cmd *cmd, const char *path)
{
	size_t len;

	if (!path)
		return -EFAULT;
	len = strlen(path);
	if (!len)
		return -EINVAL;
	if (len >= CESIUM_PATH_MAX)
		return -ENAMETOOLONG;
	memset(cmd, 0, sizeof(*cmd));
	cmd->size = sizeof(*cmd);
	cmd->path_ptr = cesium__ptr(path);
	cmd->path_len = (uint32_t)len;
	return 0;
}

int cesium_format(const char *bdev_path, unsigned int flags,
		  unsigned int *signature)
{
	struct cesium_ctl_cmd cmd;
	uint64_t sig = CESIUM_SIG_NONE;
	int ret;

	ret = path_cmd(&cmd, bdev_path);
	if (ret)
		return ret;
	cmd.flags = flags;
	cmd.result_ptr = cesium__ptr(&sig);
	ret = control(CESIUM_IOC_FORMAT, &cmd);
	if ((ret >= 0 || ret == -EEXIST) && signature)
		*signature = sig > UINT32_MAX ? UINT32_MAX : (unsigned int)sig;
	return ret;
}

int cesium_attach(const char *bdev_path)
{
	struct cesium_ctl_cmd cmd;
	int ret;

	ret = path_cmd(&cmd, bdev_path);
	if (ret)
		return ret;
	return control(CESIUM_IOC_ATTACH, &cmd);
}

int cesium_detach(unsigned int index)
{
	struct cesium_ctl_cmd cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.index = index;
	return control(CESIUM_IOC_DETACH, &cmd);
}

int cesium_list(struct cesium_list_entry *entries, size_t nr, size_t *count)
{
	struct cesium_list_cmd cmd;
	uint64_t n = 0;
	int ret;

	if (!entries && nr)
		return -EFAULT;
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.entries_ptr = cesium__ptr(entries);
	cmd.nr_entries = (uint64_t)nr > UINT32_MAX ? UINT32_MAX : (uint32_t)nr;
	cmd.entry_size = sizeof(struct cesium_list_entry);
	cmd.count_ptr = cesium__ptr(&n);
	ret = control(CESIUM_IOC_LIST, &cmd);
	if ((ret >= 0 || ret == -EOVERFLOW) && count)
		*count = n > SIZE_MAX ? SIZE_MAX : (size_t)n;
	return ret;
}
