// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libcesium-user without a kernel: naming a data device and choosing the
 * default one. The library's sources are compiled in; the test points the
 * library's hidden cesium__paths at a scratch folder that stands in for
 * /sys/class/cesium and /dev.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "private.h"
#include "test.h"

static char root[64], class_dir[128], dev_dir[128];

static void mk(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CHECK_INT(mkdir(path, 0755), 0);
}

static void touch(const char *dir, const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
}

/* cesium__resolve(@dev) gives @want, or the error @err. */
static void expect(const char *dev, int err, const char *want,
		   const char *file, int line)
{
	char path[4096] = "", what[4096 + 512];
	int ret = cesium__resolve(dev, path, sizeof(path));

	if (ret == err && (err || !strcmp(path, want)))
		return;
	snprintf(what, sizeof(what), "resolve(%s) = %d \"%s\", want %d \"%s\"",
		 dev ? dev : "NULL", ret, path, err, want ? want : "");
	test_failed(file, line, what);
}
#define EXPECT(dev, err, want) expect(dev, err, want, __FILE__, __LINE__)

static const char *in_dev(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dev_dir, name);
	return path;
}

static void test_default(void)
{
	unsetenv(CESIUM_DEVICE_ENV);
	/* No class folder: the module is not loaded. */
	EXPECT(NULL, -ENODEV, NULL);
	CHECK_INT(mkdir(class_dir, 0755), 0);
	EXPECT(NULL, -ENODEV, NULL);
	/* The control device and look-alikes are not data devices. */
	mk(class_dir, "cesium-control");
	mk(class_dir, "cesium");
	mk(class_dir, "cesiumx");
	mk(class_dir, "cesium3a");
	mk(class_dir, "xcesium3");
	EXPECT(NULL, -ENODEV, NULL);
	mk(class_dir, "cesium3");
	EXPECT(NULL, 0, in_dev("cesium3"));
	mk(class_dir, "cesium12");
	EXPECT(NULL, -ENOTUNIQ, NULL);

	/* $CESIUM_DEVICE comes first; empty counts as unset. */
	setenv(CESIUM_DEVICE_ENV, "cesium7", 1);
	EXPECT(NULL, 0, in_dev("cesium7"));
	setenv(CESIUM_DEVICE_ENV, "/dev/cesium2", 1);
	EXPECT(NULL, 0, "/dev/cesium2");
	setenv(CESIUM_DEVICE_ENV, "bogus", 1);
	EXPECT(NULL, -EINVAL, NULL);
	/* An explicit name beats the variable. */
	EXPECT("cesium5", 0, in_dev("cesium5"));
	setenv(CESIUM_DEVICE_ENV, "", 1);
	EXPECT(NULL, -ENOTUNIQ, NULL);
	unsetenv(CESIUM_DEVICE_ENV);
}

static void test_names(void)
{
	char path[16];

	EXPECT("cesium0", 0, in_dev("cesium0"));
	EXPECT("cesium4294967295", 0, in_dev("cesium4294967295"));
	EXPECT("/dev/cesium0", 0, "/dev/cesium0");
	EXPECT("./cesium0", 0, "./cesium0");
	EXPECT("", -EINVAL, NULL);
	EXPECT("cesium", -EINVAL, NULL);
	EXPECT("cesium-control", -EINVAL, NULL);
	EXPECT("cesium1x", -EINVAL, NULL);
	EXPECT("cesium12345678901", -EINVAL, NULL);
	EXPECT("0", -EINVAL, NULL);
	EXPECT("nvme0n1", -EINVAL, NULL);
	EXPECT(CESIUM_CONTROL_PATH, -EINVAL, NULL);
	CHECK_INT(cesium__resolve("/dev/cesium0/and/a/long/path", path,
				  sizeof(path)), -ENAMETOOLONG);
}

static void test_open(void)
{
	struct cesium *c = NULL;
	int fd;

	/* Exactly one device: cesium3 (cesium12 was removed). */
	touch(dev_dir, "cesium3");
	CHECK_INT(cesium_open(NULL, O_RDONLY, &c), 0);
	fd = cesium_fd(c);
	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	CHECK_INT(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	cesium_close(c);
	c = NULL;
	CHECK_INT(cesium_open("cesium3", O_RDWR | O_NONBLOCK, &c), 0);
	CHECK(c && (fcntl(cesium_fd(c), F_GETFL) & O_NONBLOCK));
	cesium_close(c);

	c = NULL;
	CHECK_INT(cesium_open("cesium3", O_WRONLY, &c), -EINVAL);
	CHECK_INT(cesium_open("cesium3", O_RDWR | O_CREAT, &c), -EINVAL);
	CHECK_INT(cesium_open("cesium3", O_RDWR | O_TRUNC, &c), -EINVAL);
	CHECK_INT(cesium_open("cesium3", O_RDWR, NULL), -EFAULT);
	CHECK_INT(cesium_open("cesium9", O_RDWR, &c), -ENOENT);
	CHECK_INT(cesium_open("nvme0n1", O_RDWR, &c), -EINVAL);
	CHECK(c == NULL);

	mk(class_dir, "cesium0");
	CHECK_INT(cesium_open(NULL, O_RDWR, &c), -ENOTUNIQ);
	cesium__paths.sysfs_class = "/nonexistent/class/cesium";
	CHECK_INT(cesium_open(NULL, O_RDWR, &c), -ENODEV);
	CHECK(c == NULL);
}

int main(void)
{
	char cmd[256];

	snprintf(root, sizeof(root), "/tmp/cesium-lib-device.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(class_dir, sizeof(class_dir), "%s/class", root);
	snprintf(dev_dir, sizeof(dev_dir), "%s/dev", root);
	CHECK_INT(mkdir(dev_dir, 0755), 0);
	cesium__paths.sysfs_class = class_dir;
	cesium__paths.dev_dir = dev_dir;

	test_default();
	test_names();
	snprintf(cmd, sizeof(cmd), "%s/cesium12", class_dir);
	CHECK_INT(rmdir(cmd), 0);
	test_open();

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", root);
	return test_end("lib-device");
}
