// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * hello: the smallest program over libcesium-user. It opens the default
 * device ($CESIUM_DEVICE, else the only attached one), stores a greeting
 * under a key unless the key is there already, reads it back and prints
 * it with the device's key count.
 *
 *   cc hello.c $(pkg-config --cflags --libs libcesium-user) -o hello
 *   ./hello [KEY]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cesium.h>

int main(int argc, char **argv)
{
	const char *key = argc > 1 ? argv[1] : "hello";
	const char *greeting = "world, from libcesium-user";
	struct cesium_info info;
	struct cesium *db;
	size_t len;
	void *value;
	int ret;

	ret = cesium_open(NULL, O_RDWR, &db);
	if (ret) {
		fprintf(stderr, "hello: open: %s\n", strerror(-ret));
		return 1;
	}
	ret = cesium_put(db, 0, key, strlen(key), greeting, strlen(greeting),
			 CESIUM_PUT_NO_OVERWRITE | CESIUM_DUR_SYNC);
	if (ret && ret != -EEXIST) {
		fprintf(stderr, "hello: put %s: %s\n", key, strerror(-ret));
		goto out;
	}
	printf("%s %s\n", ret ? "found" : "stored", key);
	ret = cesium_get_alloc(db, 0, key, strlen(key), &value, &len, 0);
	if (ret) {
		fprintf(stderr, "hello: get %s: %s\n", key, strerror(-ret));
		goto out;
	}
	printf("%s = %.*s\n", key, (int)len, (const char *)value);
	free(value);
	ret = cesium_info(db, &info);
	if (!ret)
		printf("%s holds %llu keys\n", info.bdev_name,
		       (unsigned long long)info.nr_keys);
out:
	cesium_close(db);
	return ret ? 1 : 0;
}
