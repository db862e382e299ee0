/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libcesium-user internals, shared between the library's files and its
 * unit tests (which compile the sources in). Nothing here is exported: the
 * symbols carry hidden visibility and the version script lists only the
 * public API.
 */
#ifndef CESIUM_PRIVATE_H
#define CESIUM_PRIVATE_H

#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include "cesium.h"

#define CESIUM_HIDDEN	__attribute__((visibility("hidden")))

struct cesium {
	int fd;
};

/*
 * Where the library looks for things. The defaults are the real places;
 * unit tests point them into a scratch folder. This is deliberately not an
 * environment variable: a program's choice of device must not be steerable
 * through anything but the documented $CESIUM_DEVICE, and a hidden object
 * cannot be reached from outside the library at all.
 */
struct cesium_paths {
	const char *sysfs_class;	/* the class folder, /sys/class/cesium */
	const char *dev_dir;		/* where cesiumN nodes live, /dev */
	const char *control;		/* CESIUM_CONTROL_PATH */
};
extern CESIUM_HIDDEN struct cesium_paths cesium__paths;

/*
 * cesium__resolve() - the path cesium_open() opens for @dev (see there),
 * written to @path. Return: 0, -EINVAL, -ENODEV, -ENOTUNIQ, -ENAMETOOLONG,
 * or an error from reading the class folder.
 */
CESIUM_HIDDEN int cesium__resolve(const char *dev, char *path, size_t size);

/*
 * The buffer an iterator starts with (it grows when a record does not
 * fit). Unit tests make it small so that every step refills it.
 */
extern CESIUM_HIDDEN size_t cesium__iter_buf_bytes;

/* ioctl(2) with the result as a negative errno instead of -1 and errno. */
static inline int cesium__ioctl(int fd, unsigned long req, void *arg)
{
	int ret = ioctl(fd, req, arg);

	return ret < 0 ? -errno : ret;
}

/* kv.c: checks and command set-up shared with async.c. */
CESIUM_HIDDEN int cesium__put_cmd(struct cesium_kv_cmd *cmd, uint64_t ns,
				  const void *key, size_t key_len,
				  const void *value, size_t value_len,
				  unsigned int flags);
CESIUM_HIDDEN int cesium__get_cmd(struct cesium_kv_cmd *cmd, uint64_t ns,
				  const void *key, size_t key_len, void *buf,
				  size_t buf_len, uint64_t *len_out,
				  unsigned int flags);
CESIUM_HIDDEN int cesium__check_key(const void *key, size_t key_len);
CESIUM_HIDDEN void cesium__kv_init(struct cesium_kv_cmd *cmd, uint64_t ns,
				   const void *key, size_t key_len,
				   unsigned int flags);

/* A user pointer as the ABI carries it. */
static inline uint64_t cesium__ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

#endif /* CESIUM_PRIVATE_H */
