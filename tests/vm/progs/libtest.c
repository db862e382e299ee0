// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libtest: libcesium-user against the real module, in the VM guest.
 *
 *   libtest [DEVICE]
 *
 * DEVICE is cesiumN or /dev/cesiumN; without it, the library's default
 * ($CESIUM_DEVICE, else the only attached device). Run as root on an
 * attached, writable device; the keys it writes start with "libtest/" and
 * are deleted again. Prints one line per check,
 *   CESIUM-RESULT PASS libtest/<name>
 *   CESIUM-RESULT FAIL libtest/<name>: <reason>
 *   CESIUM-RESULT SKIP libtest/<name>: <reason>
 * and exits 1 if any check failed, else 0.
 *
 * Where the library checks something before the kernel sees it (an empty
 * or 256-byte key), the check also sends the command with ioctl(2)
 * directly, so that the kernel's own validation is tested too.
 */
#define _GNU_SOURCE
#include <cesium.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB		(1U << 20)
#define NOBODY		65534

static const char *dev;
static struct cesium *c;
static struct cesium_info info;
static int failures;
static char why[512];

/* ---- reporting ---------------------------------------------------------- */

static void report(const char *verdict, const char *name, const char *reason)
{
	printf("CESIUM-RESULT %s libtest/%s%s%s\n", verdict, name,
	       reason ? ": " : "", reason ? reason : "");
	fflush(stdout);
}

static const char *errname(int ret)
{
	static char buf[4][32];
	static int i;
	const char *name;

	i = (i + 1) % 4;
	if (ret >= 0) {
		snprintf(buf[i], sizeof(buf[i]), "%d", ret);
		return buf[i];
	}
	name = strerrorname_np(-ret);
	if (name)
		snprintf(buf[i], sizeof(buf[i]), "-%s", name);
	else
		snprintf(buf[i], sizeof(buf[i]), "%d", ret);
	return buf[i];
}

/* In a check: fail it with a reason unless @cond holds. */
#define REQUIRE(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			snprintf(why, sizeof(why), __VA_ARGS__);	\
			return -1;					\
		}							\
	} while (0)

/* In a check: fail it unless @expr returns @want (0, 1, -Exxx, ...). */
#define EXPECT(expr, want)						\
	do {								\
		int got_ = (expr), want_ = (want);			\
		REQUIRE(got_ == want_, "line %d: %s: got %s, want %s",	\
			__LINE__, #expr, errname(got_), errname(want_)); \
	} while (0)

/* Skip the check (not a failure), from inside it. */
#define SKIP(...)							\
	do {								\
		snprintf(why, sizeof(why), __VA_ARGS__);		\
		return 1;						\
	} while (0)

static void run(const char *name, int (*check)(void))
{
	int ret;

	why[0] = '\0';
	ret = check();
	if (ret < 0) {
		failures++;
		report("FAIL", name, why);
	} else if (ret > 0) {
		report("SKIP", name, why);
	} else {
		report("PASS", name, NULL);
	}
}

/* ---- helpers ------------------------------------------------------------ */

/* Delete @key if it is there; a check starts from a known state. */
static void fresh(uint64_t ns, const void *key, size_t key_len)
{
	cesium_delete(c, ns, key, key_len, 0);
}

#define KEY(s)		s, sizeof(s) - 1	/* a literal key, no NUL */

static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)((i * 131 + seed * 17 + (i >> 8)) & 0xff);
}

/* @key in @ns holds exactly @want, read both ways. */
static int holds(uint64_t ns, const void *key, size_t key_len,
		 const void *want, size_t want_len)
{
	size_t len = 0;
	void *value = NULL;
	unsigned char *buf;
	int ret;

	ret = cesium_get_alloc(c, ns, key, key_len, &value, &len, 0);
	REQUIRE(ret == 0, "get_alloc: %s", errname(ret));
	ret = len == want_len && (!len || !memcmp(value, want, len));
	free(value);
	REQUIRE(ret, "get_alloc: value of %zu bytes differs from the %zu "
		"put", len, want_len);

	buf = malloc(want_len + 1);
	REQUIRE(buf, "out of memory");
	ret = cesium_get(c, ns, key, key_len, buf, want_len, &len, 0);
	if (!ret && (len != want_len || memcmp(buf, want, len)))
		ret = 1000;
	free(buf);
	REQUIRE(ret == 0, "get into an exact buffer: %s",
		ret == 1000 ? "wrong value" : errname(ret));
	return 0;
}

static int raw(unsigned long req, void *cmd)
{
	int ret = ioctl(cesium_fd(c), req, cmd);

	return ret < 0 ? -errno : ret;
}

static void raw_kv(struct cesium_kv_cmd *cmd, const void *key, size_t key_len)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->size = sizeof(*cmd);
	cmd->key_ptr = (uintptr_t)key;
	cmd->key_len = (uint32_t)key_len;
}

/* ---- checks ------------------------------------------------------------- */

static int check_info(void)
{
	unsigned int n;

	EXPECT(cesium_info(c, &info), 0);
	REQUIRE(info.size >= sizeof(info), "INFO size %u, want %zu",
		info.size, sizeof(info));
	REQUIRE(info.abi_version == CESIUM_ABI_VERSION, "abi_version %u",
		info.abi_version);
	REQUIRE(info.max_key_len >= 1 && info.max_key_len <= CESIUM_MAX_KEY_LEN,
		"max_key_len %u", info.max_key_len);
	REQUIRE(info.max_value_len >= MIB, "max_value_len %u, want at least "
		"1 MiB", info.max_value_len);
	REQUIRE(info.state == CESIUM_STATE_ONLINE, "state %u", info.state);
	REQUIRE(info.bdev_name[0] &&
		memchr(info.bdev_name, 0, sizeof(info.bdev_name)),
		"bdev_name empty or not NUL-terminated");
	REQUIRE(info.used_bytes <= info.capacity_bytes,
		"used_bytes %llu > capacity_bytes %llu",
		(unsigned long long)info.used_bytes,
		(unsigned long long)info.capacity_bytes);
	if (dev && (sscanf(dev, "cesium%u", &n) == 1 ||
		    sscanf(dev, "/dev/cesium%u", &n) == 1))
		REQUIRE(info.index == n, "index %u, device %s", info.index,
			dev);
	return 0;
}

static int check_roundtrip_binary(void)
{
	static const unsigned char key[] = { 0, 1, '/', 0xff, 0x80, '\n', 0 };
	unsigned char value[300];

	fill(value, sizeof(value), 1);
	value[0] = 0;
	fresh(0, key, sizeof(key));
	EXPECT(cesium_put(c, 0, key, sizeof(key), value, sizeof(value), 0), 0);
	if (holds(0, key, sizeof(key), value, sizeof(value)))
		return -1;
	EXPECT(cesium_delete(c, 0, key, sizeof(key), 0), 0);
	return 0;
}

/* Keys that are prefixes of each other, or differ only past a NUL. */
static int check_binary_keys_distinct(void)
{
	static const char *const keys[] = { "libtest/p", "libtest/p\0",
					    "libtest/p\0\0", "libtest/p\xff" };
	static const size_t lens[] = { 9, 10, 11, 10 };
	unsigned char v;
	size_t i;

	for (i = 0; i < 4; i++)
		fresh(0, keys[i], lens[i]);
	for (i = 0; i < 4; i++) {
		v = (unsigned char)i;
		EXPECT(cesium_put(c, 0, keys[i], lens[i], &v, 1, 0), 0);
	}
	for (i = 0; i < 4; i++) {
		v = (unsigned char)i;
		if (holds(0, keys[i], lens[i], &v, 1))
			return -1;
	}
	for (i = 0; i < 4; i++)
		EXPECT(cesium_delete(c, 0, keys[i], lens[i], 0), 0);
	return 0;
}

static int check_empty_value(void)
{
	size_t len = 77;

	fresh(0, KEY("libtest/empty"));
	EXPECT(cesium_put(c, 0, KEY("libtest/empty"), NULL, 0, 0), 0);
	EXPECT(cesium_exists(c, 0, KEY("libtest/empty"), 0), 1);
	EXPECT(cesium_get(c, 0, KEY("libtest/empty"), NULL, 0, &len, 0), 0);
	REQUIRE(len == 0, "length %zu", len);
	if (holds(0, KEY("libtest/empty"), "", 0))
		return -1;
	EXPECT(cesium_delete(c, 0, KEY("libtest/empty"), 0), 0);
	return 0;
}

static int big_value(const char *key, size_t key_len, size_t len)
{
	unsigned char *value = malloc(len);
	int ret;

	REQUIRE(value, "out of memory");
	fill(value, len, (unsigned int)len);
	fresh(0, key, key_len);
	ret = cesium_put(c, 0, key, key_len, value, len, 0);
	if (!ret)
		ret = holds(0, key, key_len, value, len) ? 1000 : 0;
	if (!ret)
		ret = cesium_delete(c, 0, key, key_len, 0);
	free(value);
	if (ret == 1000)
		return -1;
	REQUIRE(ret == 0, "%zu bytes: %s", len, errname(ret));
	return 0;
}

static int check_value_1mib(void)
{
	return big_value(KEY("libtest/1mib"), MIB);
}

static int check_value_max(void)
{
	return big_value(KEY("libtest/max"), info.max_value_len);
}

static int check_key_255(void)
{
	unsigned char key[CESIUM_MAX_KEY_LEN];

	REQUIRE(info.max_key_len >= 255, "max_key_len %u", info.max_key_len);
	fill(key, sizeof(key), 3);
	memcpy(key, "libtest/", 8);
	fresh(0, key, sizeof(key));
	EXPECT(cesium_put(c, 0, key, sizeof(key), "v255", 4, 0), 0);
	if (holds(0, key, sizeof(key), "v255", 4))
		return -1;
	/* One byte shorter is another key. */
	EXPECT(cesium_exists(c, 0, key, sizeof(key) - 1, 0), 0);
	EXPECT(cesium_delete(c, 0, key, sizeof(key), 0), 0);
	return 0;
}

static int check_overwrite(void)
{
	fresh(0, KEY("libtest/ow"));
	EXPECT(cesium_put(c, 0, KEY("libtest/ow"), "one", 3, 0), 0);
	EXPECT(cesium_put(c, 0, KEY("libtest/ow"), "second", 6, 0), 0);
	if (holds(0, KEY("libtest/ow"), "second", 6))
		return -1;
	EXPECT(cesium_put(c, 0, KEY("libtest/ow"), "3", 1, 0), 0);
	if (holds(0, KEY("libtest/ow"), "3", 1))
		return -1;
	EXPECT(cesium_delete(c, 0, KEY("libtest/ow"), 0), 0);
	return 0;
}

static int check_namespaces(void)
{
	static const uint64_t ns[] = { 0, 1, UINT64_MAX };
	char v[2] = "n";
	size_t i;

	if (!(info.features & CESIUM_FEAT_NAMESPACES))
		SKIP("the device does not report CESIUM_FEAT_NAMESPACES");
	for (i = 0; i < 3; i++)
		fresh(ns[i], KEY("libtest/ns"));
	for (i = 0; i < 3; i++) {
		v[1] = (char)('0' + i);
		EXPECT(cesium_put(c, ns[i], KEY("libtest/ns"), v, 2, 0), 0);
	}
	for (i = 0; i < 3; i++) {
		v[1] = (char)('0' + i);
		if (holds(ns[i], KEY("libtest/ns"), v, 2))
			return -1;
	}
	EXPECT(cesium_exists(c, 2, KEY("libtest/ns"), 0), 0);
	EXPECT(cesium_delete(c, 1, KEY("libtest/ns"), 0), 0);
	EXPECT(cesium_exists(c, 1, KEY("libtest/ns"), 0), 0);
	EXPECT(cesium_exists(c, 0, KEY("libtest/ns"), 0), 1);
	EXPECT(cesium_exists(c, UINT64_MAX, KEY("libtest/ns"), 0), 1);
	EXPECT(cesium_delete(c, 0, KEY("libtest/ns"), 0), 0);
	EXPECT(cesium_delete(c, UINT64_MAX, KEY("libtest/ns"), 0), 0);
	return 0;
}

static int check_exists(void)
{
	fresh(0, KEY("libtest/ex"));
	EXPECT(cesium_exists(c, 0, KEY("libtest/ex"), 0), 0);
	EXPECT(cesium_put(c, 0, KEY("libtest/ex"), "x", 1, 0), 0);
	EXPECT(cesium_exists(c, 0, KEY("libtest/ex"), 0), 1);
	EXPECT(cesium_delete(c, 0, KEY("libtest/ex"), 0), 0);
	EXPECT(cesium_exists(c, 0, KEY("libtest/ex"), 0), 0);
	EXPECT(cesium_exists(c, 0, KEY("libtest/never-written"), 0), 0);
	return 0;
}

static int check_empty_key_einval(void)
{
	struct cesium_kv_cmd cmd;
	uint64_t len;

	EXPECT(cesium_put(c, 0, "k", 0, "v", 1, 0), -EINVAL);
	EXPECT(cesium_get(c, 0, "k", 0, NULL, 0, NULL, 0), -EINVAL);
	/* The kernel's own check. */
	raw_kv(&cmd, "k", 0);
	cmd.value_ptr = (uintptr_t)"v";
	cmd.value_len = 1;
	EXPECT(raw(CESIUM_IOC_PUT, &cmd), -EINVAL);
	raw_kv(&cmd, "k", 0);
	cmd.value_len_ptr = (uintptr_t)&len;
	EXPECT(raw(CESIUM_IOC_GET, &cmd), -EINVAL);
	raw_kv(&cmd, "k", 0);
	EXPECT(raw(CESIUM_IOC_DELETE, &cmd), -EINVAL);
	return 0;
}

static int check_key_256_e2big(void)
{
	unsigned char key[CESIUM_MAX_KEY_LEN + 1];
	struct cesium_kv_cmd cmd;
	uint64_t len;

	memset(key, 'k', sizeof(key));
	EXPECT(cesium_put(c, 0, key, sizeof(key), "v", 1, 0), -E2BIG);
	/* The kernel's own check, on a key one byte over its limit. */
	raw_kv(&cmd, key, info.max_key_len + 1);
	cmd.value_ptr = (uintptr_t)"v";
	cmd.value_len = 1;
	if (info.max_key_len + 1 <= sizeof(key)) {
		EXPECT(raw(CESIUM_IOC_PUT, &cmd), -E2BIG);
		raw_kv(&cmd, key, info.max_key_len + 1);
		cmd.value_len_ptr = (uintptr_t)&len;
		EXPECT(raw(CESIUM_IOC_GET, &cmd), -E2BIG);
	}
	return 0;
}

static int check_value_over_max_e2big(void)
{
	size_t len = (size_t)info.max_value_len + 1;
	unsigned char *value = calloc(1, len);
	int ret;

	REQUIRE(value, "out of memory");
	fresh(0, KEY("libtest/too-big"));
	ret = cesium_put(c, 0, KEY("libtest/too-big"), value, len, 0);
	free(value);
	REQUIRE(ret == -E2BIG, "put of %zu bytes: %s, want -E2BIG", len,
		errname(ret));
	EXPECT(cesium_exists(c, 0, KEY("libtest/too-big"), 0), 0);
	return 0;
}

static int check_get_missing_enoent(void)
{
	char buf[8];
	size_t len = 12345;
	void *value = NULL;

	fresh(0, KEY("libtest/missing"));
	EXPECT(cesium_get(c, 0, KEY("libtest/missing"), buf, sizeof(buf),
			  &len, 0), -ENOENT);
	REQUIRE(len == 12345, "value_len changed to %zu", len);
	EXPECT(cesium_get_alloc(c, 0, KEY("libtest/missing"), &value, &len,
				0), -ENOENT);
	REQUIRE(!value, "get_alloc set a value");
	return 0;
}

static int check_delete_missing_enoent(void)
{
	fresh(0, KEY("libtest/missing"));
	EXPECT(cesium_delete(c, 0, KEY("libtest/missing"), 0), -ENOENT);
	return 0;
}

static int check_get_eoverflow(void)
{
	unsigned char value[100], buf[100];
	struct cesium_kv_cmd cmd;
	uint64_t len64 = 0;
	size_t len = 0;

	fill(value, sizeof(value), 5);
	fresh(0, KEY("libtest/ovf"));
	EXPECT(cesium_put(c, 0, KEY("libtest/ovf"), value, 100, 0), 0);
	EXPECT(cesium_get(c, 0, KEY("libtest/ovf"), buf, 10, &len, 0),
	       -EOVERFLOW);
	REQUIRE(len == 100, "length written back %zu, want 100", len);
	len = 0;
	EXPECT(cesium_get(c, 0, KEY("libtest/ovf"), buf, 99, &len, 0),
	       -EOVERFLOW);
	REQUIRE(len == 100, "length written back %zu, want 100", len);
	len = 0;
	EXPECT(cesium_get(c, 0, KEY("libtest/ovf"), NULL, 0, &len, 0),
	       -EOVERFLOW);
	REQUIRE(len == 100, "length written back %zu, want 100", len);
	/* Straight from the kernel. */
	raw_kv(&cmd, KEY("libtest/ovf"));
	cmd.value_ptr = (uintptr_t)buf;
	cmd.value_len = 1;
	cmd.value_len_ptr = (uintptr_t)&len64;
	EXPECT(raw(CESIUM_IOC_GET, &cmd), -EOVERFLOW);
	REQUIRE(len64 == 100, "kernel wrote back %llu, want 100",
		(unsigned long long)len64);
	if (holds(0, KEY("libtest/ovf"), value, 100))
		return -1;
	EXPECT(cesium_delete(c, 0, KEY("libtest/ovf"), 0), 0);
	return 0;
}

static int check_no_overwrite_eexist(void)
{
	fresh(0, KEY("libtest/no"));
	EXPECT(cesium_put(c, 0, KEY("libtest/no"), "first", 5,
			  CESIUM_PUT_NO_OVERWRITE), 0);
	EXPECT(cesium_put(c, 0, KEY("libtest/no"), "second", 6,
			  CESIUM_PUT_NO_OVERWRITE), -EEXIST);
	if (holds(0, KEY("libtest/no"), "first", 5))
		return -1;
	EXPECT(cesium_delete(c, 0, KEY("libtest/no"), 0), 0);
	return 0;
}

static int check_update_only_enoent(void)
{
	fresh(0, KEY("libtest/uo"));
	EXPECT(cesium_put(c, 0, KEY("libtest/uo"), "x", 1,
			  CESIUM_PUT_UPDATE_ONLY), -ENOENT);
	EXPECT(cesium_exists(c, 0, KEY("libtest/uo"), 0), 0);
	EXPECT(cesium_put(c, 0, KEY("libtest/uo"), "x", 1, 0), 0);
	EXPECT(cesium_put(c, 0, KEY("libtest/uo"), "yy", 2,
			  CESIUM_PUT_UPDATE_ONLY), 0);
	if (holds(0, KEY("libtest/uo"), "yy", 2))
		return -1;
	EXPECT(cesium_delete(c, 0, KEY("libtest/uo"), 0), 0);
	return 0;
}

static int check_durability(void)
{
	static const unsigned int dur[] = { CESIUM_DUR_DEFAULT,
		CESIUM_DUR_SYNC, CESIUM_DUR_PERIODIC, CESIUM_DUR_NONE };
	size_t i;

	if (!(info.features & CESIUM_FEAT_DURABILITY))
		SKIP("the device does not report CESIUM_FEAT_DURABILITY");
	fresh(0, KEY("libtest/dur"));
	for (i = 0; i < 4; i++) {
		EXPECT(cesium_put(c, 0, KEY("libtest/dur"), "d", 1, dur[i]), 0);
		EXPECT(cesium_delete(c, 0, KEY("libtest/dur"), dur[i]), 0);
	}
	return 0;
}

static int check_bad_flags_einval(void)
{
	fresh(0, KEY("libtest/flags"));
	EXPECT(cesium_put(c, 0, KEY("libtest/flags"), "v", 1, 1U << 31),
	       -EINVAL);
	EXPECT(cesium_exists(c, 0, KEY("libtest/flags"), 0), 0);
	EXPECT(cesium_put(c, 0, KEY("libtest/flags"), "v", 1, 0), 0);
	EXPECT(cesium_delete(c, 0, KEY("libtest/flags"),
			     CESIUM_PUT_NO_OVERWRITE), -EINVAL);
	EXPECT(cesium_get(c, 0, KEY("libtest/flags"), NULL, 0, NULL,
			  CESIUM_DUR_SYNC), -EINVAL);
	EXPECT(cesium_exists(c, 0, KEY("libtest/flags"), 1U << 31), -EINVAL);
	EXPECT(cesium_exists(c, 0, KEY("libtest/flags"), 0), 1);
	EXPECT(cesium_delete(c, 0, KEY("libtest/flags"), 0), 0);
	return 0;
}

/* Reserved fields and fields a command does not use must be zero. */
static int check_reserved_einval(void)
{
	struct cesium_kv_cmd cmd;
	struct cesium_info_cmd icmd;
	struct cesium_info out;

	raw_kv(&cmd, KEY("libtest/rsv"));
	cmd.value_ptr = (uintptr_t)"v";
	cmd.value_len = 1;
	cmd.reserved[0] = 1;
	EXPECT(raw(CESIUM_IOC_PUT, &cmd), -EINVAL);
	cmd.reserved[0] = 0;
	cmd.reserved[1] = 1ULL << 63;
	EXPECT(raw(CESIUM_IOC_PUT, &cmd), -EINVAL);
	raw_kv(&cmd, KEY("libtest/rsv"));
	cmd.value_len = 1;
	EXPECT(raw(CESIUM_IOC_DELETE, &cmd), -EINVAL);
	raw_kv(&cmd, KEY("libtest/rsv"));
	cmd.value_len_ptr = (uintptr_t)&out;
	EXPECT(raw(CESIUM_IOC_EXISTS, &cmd), -EINVAL);
	EXPECT(cesium_exists(c, 0, KEY("libtest/rsv"), 0), 0);

	memset(&icmd, 0, sizeof(icmd));
	icmd.size = sizeof(icmd);
	icmd.info_ptr = (uintptr_t)&out;
	icmd.info_len = sizeof(out);
	icmd.reserved[1] = 1;
	EXPECT(raw(CESIUM_IOC_INFO, &icmd), -EINVAL);
	return 0;
}

static int check_unknown_ioctl_enotty(void)
{
	char arg[64] = { 0 };

	EXPECT(raw(_IOWR(CESIUM_IOC_MAGIC, 0x7f, struct cesium_kv_cmd), arg),
	       -ENOTTY);
	/* A control command on a data device. */
	EXPECT(raw(CESIUM_IOC_LIST, arg), -ENOTTY);
	return 0;
}

static int check_readonly_ebadf(void)
{
	struct cesium *ro = NULL;
	struct cesium_info ri;
	int ret;

	fresh(0, KEY("libtest/ro"));
	EXPECT(cesium_put(c, 0, KEY("libtest/ro"), "rw", 2, 0), 0);
	ret = cesium_open(dev, O_RDONLY, &ro);
	REQUIRE(ret == 0, "open O_RDONLY: %s", errname(ret));
	ret = cesium_put(ro, 0, KEY("libtest/ro"), "ro", 2, 0);
	if (ret == -EBADF)
		ret = cesium_delete(ro, 0, KEY("libtest/ro"), 0);
	if (ret == -EBADF)
		ret = cesium_exists(ro, 0, KEY("libtest/ro"), 0) == 1 &&
		      !cesium_info(ro, &ri) ? -EBADF : -1000;
	cesium_close(ro);
	REQUIRE(ret == -EBADF, "read-only handle: %s",
		ret == -1000 ? "EXISTS or INFO failed" : errname(ret));
	if (holds(0, KEY("libtest/ro"), "rw", 2))
		return -1;
	EXPECT(cesium_delete(c, 0, KEY("libtest/ro"), 0), 0);
	return 0;
}

static int check_list(void)
{
	struct cesium_list_entry e[64];
	size_t count = 0;
	int n, i;

	n = cesium_list(e, 64, &count);
	REQUIRE(n >= 1, "list: %s", errname(n));
	REQUIRE((size_t)n == count, "list wrote %d entries of %zu", n, count);
	for (i = 0; i < n; i++)
		if (e[i].index == info.index)
			break;
	REQUIRE(i < n, "cesium%u not listed", info.index);
	REQUIRE(!strncmp(e[i].bdev_name, info.bdev_name,
			 sizeof(e[i].bdev_name)),
		"list says %.32s, INFO %.32s", e[i].bdev_name, info.bdev_name);
	REQUIRE(e[i].state == info.state, "list state %u, INFO %u",
		e[i].state, info.state);
	EXPECT(cesium_list(NULL, 0, &count), -EOVERFLOW);
	REQUIRE(count == (size_t)n, "count %zu, then %d", count, n);
	return 0;
}

/*
 * As uid/gid 65534 with no groups and no capabilities, in a child: the
 * control device and the data device (both 0600, root's) refuse to open.
 * The child prints its own result lines.
 */
static int unprivileged_child(void)
{
	struct cesium *d = NULL;
	size_t count;
	int ret;

	cesium_close(c);
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY)) {
		snprintf(why, sizeof(why), "dropping privileges: %s",
			 strerror(errno));
		return -1;
	}
	ret = cesium_list(NULL, 0, &count);
	REQUIRE(ret == -EACCES || ret == -EPERM,
		"list as uid %d: %s, want -EACCES or -EPERM", NOBODY,
		errname(ret));
	ret = cesium_detach(info.index);
	REQUIRE(ret == -EACCES || ret == -EPERM,
		"detach as uid %d: %s, want -EACCES or -EPERM", NOBODY,
		errname(ret));
	ret = cesium_open(dev, O_RDONLY, &d);
	cesium_close(d);
	REQUIRE(ret == -EACCES || ret == -EPERM,
		"open of the data device as uid %d: %s", NOBODY, errname(ret));
	return 0;
}

static int check_unprivileged(void)
{
	int status, fds[2];
	ssize_t n;
	pid_t pid;

	if (geteuid() != 0)
		SKIP("not running as root");
	REQUIRE(!pipe(fds), "pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	REQUIRE(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		int ret = unprivileged_child();

		/* The reason goes to the parent, which reports it. */
		if (ret < 0 && write(fds[1], why, strlen(why)) < 0)
			ret = -1;
		_exit(ret < 0 ? 1 : 0);
	}
	close(fds[1]);
	n = read(fds[0], why, sizeof(why) - 1);
	close(fds[0]);
	why[n > 0 ? n : 0] = '\0';
	REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid: %s",
		strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (!why[0])
		snprintf(why, sizeof(why), "the child ended with status 0x%x",
			 status);
	return -1;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: libtest [cesiumN|/dev/cesiumN]\n");
		return 2;
	}
	dev = argc == 2 ? argv[1] : NULL;
	ret = cesium_open(dev, O_RDWR, &c);
	if (ret) {
		snprintf(why, sizeof(why), "cesium_open(%s): %s",
			 dev ? dev : "default device", errname(ret));
		report("FAIL", "open", why);
		return 1;
	}
	report("PASS", "open", NULL);
	run("info", check_info);
	if (failures) {
		cesium_close(c);
		return 1;
	}
	run("roundtrip-binary", check_roundtrip_binary);
	run("binary-keys-distinct", check_binary_keys_distinct);
	run("empty-value", check_empty_value);
	run("value-1mib", check_value_1mib);
	run("value-max", check_value_max);
	run("key-255", check_key_255);
	run("overwrite", check_overwrite);
	run("namespaces", check_namespaces);
	run("exists", check_exists);
	run("empty-key-einval", check_empty_key_einval);
	run("key-256-e2big", check_key_256_e2big);
	run("value-over-max-e2big", check_value_over_max_e2big);
	run("get-missing-enoent", check_get_missing_enoent);
	run("delete-missing-enoent", check_delete_missing_enoent);
	run("get-eoverflow", check_get_eoverflow);
	run("no-overwrite-eexist", check_no_overwrite_eexist);
	run("update-only-enoent", check_update_only_enoent);
	run("durability", check_durability);
	run("bad-flags-einval", check_bad_flags_einval);
	run("reserved-einval", check_reserved_einval);
	run("unknown-ioctl-enotty", check_unknown_ioctl_enotty);
	run("readonly-ebadf", check_readonly_ebadf);
	run("list", check_list);
	run("unprivileged-eacces", check_unprivileged);
	cesium_close(c);
	return failures ? 1 : 0;
}
