// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libcesium-user without a kernel: what the library refuses before any
 * system call, and the exact commands it hands to ioctl(2).
 *
 * The library's sources are compiled into this program, and the program
 * defines ioctl() itself: a definition in the executable takes precedence
 * over libc's (and over the sanitizers' interceptor), so every ioctl the
 * library makes lands in fake_ioctl below, which records the command and
 * answers as a test scripts it.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "private.h"
#include "test.h"

static struct {
	int calls;
	unsigned long req;
	union {
		struct cesium_kv_cmd kv;
		struct cesium_info_cmd info;
		struct cesium_ctl_cmd ctl;
		struct cesium_list_cmd list;
		struct cesium_stats_cmd stats;
	} cmd;
	/* The scripted answer: a result, or a negative errno. */
	int (*answer)(unsigned long req, void *arg);
} fake;

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int ret;

	(void)fd;
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	fake.calls++;
	fake.req = req;
	memcpy(&fake.cmd, arg, _IOC_SIZE(req) < sizeof(fake.cmd) ?
	       _IOC_SIZE(req) : sizeof(fake.cmd));
	ret = fake.answer ? fake.answer(req, arg) : 0;
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

static void fake_reset(int (*answer)(unsigned long, void *))
{
	memset(&fake, 0, sizeof(fake));
	fake.answer = answer;
}

static void *ptr(uint64_t p)
{
	return (void *)(uintptr_t)p;
}

/* A value of 10000 bytes, as GET returns it. */
#define BIG_LEN 10000
static unsigned char big[BIG_LEN];

static int answer_get_big(unsigned long req, void *arg)
{
	struct cesium_kv_cmd *cmd = arg;

	if (req != CESIUM_IOC_GET)
		return -ENOTTY;
	*(uint64_t *)ptr(cmd->value_len_ptr) = BIG_LEN;
	if (cmd->value_len < BIG_LEN)
		return -EOVERFLOW;
	memcpy(ptr(cmd->value_ptr), big, BIG_LEN);
	return 0;
}

static int answer_get_empty(unsigned long req, void *arg)
{
	struct cesium_kv_cmd *cmd = arg;

	(void)req;
	*(uint64_t *)ptr(cmd->value_len_ptr) = 0;
	return 0;
}

/* A broken kernel: -EOVERFLOW with a length that would fit. */
static int answer_get_liar(unsigned long req, void *arg)
{
	struct cesium_kv_cmd *cmd = arg;

	(void)req;
	*(uint64_t *)ptr(cmd->value_len_ptr) = 1;
	return -EOVERFLOW;
}

static int answer_enoent(unsigned long req, void *arg)
{
	(void)req;
	(void)arg;
	return -ENOENT;
}

static int answer_one(unsigned long req, void *arg)
{
	(void)req;
	(void)arg;
	return 1;
}

static int answer_info(unsigned long req, void *arg)
{
	struct cesium_info_cmd *cmd = arg;
	struct cesium_info *info = ptr(cmd->info_ptr);

	(void)req;
	/* An older kernel that knows only the first 8 bytes. */
	info->size = 8;
	info->abi_version = 1;
	return 0;
}

/* STATS from a kernel that knows only the first 24 bytes. */
static int answer_stats(unsigned long req, void *arg)
{
	struct cesium_stats_cmd *cmd = arg;
	struct cesium_stats *st = ptr(cmd->stats_ptr);

	(void)req;
	st->size = 24;
	st->puts = 3;
	st->gets = 5;
	return 0;
}

static int answer_enotty(unsigned long req, void *arg)
{
	(void)req;
	(void)arg;
	return -ENOTTY;
}

static int answer_format_ext(unsigned long req, void *arg)
{
	struct cesium_ctl_cmd *cmd = arg;

	(void)req;
	*(uint64_t *)ptr(cmd->result_ptr) = CESIUM_SIG_EXT;
	return -EEXIST;
}

static int answer_attach(unsigned long req, void *arg)
{
	(void)req;
	(void)arg;
	return 7;
}

static int answer_list_two(unsigned long req, void *arg)
{
	struct cesium_list_cmd *cmd = arg;
	struct cesium_list_entry *e = ptr(cmd->entries_ptr);

	(void)req;
	*(uint64_t *)ptr(cmd->count_ptr) = 2;
	if (cmd->nr_entries < 2)
		return -EOVERFLOW;
	e[0].index = 0;
	e[1].index = 4;
	return 2;
}

static int reserved_zero(const __u64 *r, size_t n)
{
	while (n--)
		if (*r++)
			return 0;
	return 1;
}

static void test_validation(struct cesium *c)
{
	char key[CESIUM_MAX_KEY_LEN + 1], buf[16];
	size_t len = 12345;
	void *value = NULL;

	memset(key, 'k', sizeof(key));
	fake_reset(NULL);
	CHECK_INT(cesium_put(NULL, 0, key, 1, "v", 1, 0), -EFAULT);
	CHECK_INT(cesium_put(c, 0, key, 0, "v", 1, 0), -EINVAL);
	CHECK_INT(cesium_put(c, 0, NULL, 0, "v", 1, 0), -EINVAL);
	CHECK_INT(cesium_put(c, 0, key, CESIUM_MAX_KEY_LEN + 1, "v", 1, 0),
		  -E2BIG);
	CHECK_INT(cesium_put(c, 0, key, SIZE_MAX, "v", 1, 0), -E2BIG);
	CHECK_INT(cesium_put(c, 0, NULL, 3, "v", 1, 0), -EFAULT);
	CHECK_INT(cesium_put(c, 0, key, 3, NULL, 5, 0), -EFAULT);
	if (sizeof(size_t) > 4)
		CHECK_INT(cesium_put(c, 0, key, 3, "v",
				     (size_t)UINT32_MAX + 1, 0), -E2BIG);

	CHECK_INT(cesium_get(NULL, 0, key, 1, buf, 1, &len, 0), -EFAULT);
	CHECK_INT(cesium_get(c, 0, key, 0, buf, 1, &len, 0), -EINVAL);
	CHECK_INT(cesium_get(c, 0, key, 256, buf, 1, &len, 0), -E2BIG);
	CHECK_INT(cesium_get(c, 0, NULL, 1, buf, 1, &len, 0), -EFAULT);
	CHECK_INT(cesium_get(c, 0, key, 1, NULL, 1, &len, 0), -EFAULT);
	CHECK_INT(len, 12345);

	CHECK_INT(cesium_get_alloc(c, 0, key, 0, &value, &len, 0), -EINVAL);
	CHECK_INT(cesium_get_alloc(c, 0, key, 256, &value, &len, 0), -E2BIG);
	CHECK_INT(cesium_get_alloc(c, 0, key, 1, NULL, &len, 0), -EFAULT);
	CHECK_INT(cesium_get_alloc(c, 0, key, 1, &value, NULL, 0), -EFAULT);
	CHECK(value == NULL);

	CHECK_INT(cesium_delete(NULL, 0, key, 1, 0), -EFAULT);
	CHECK_INT(cesium_delete(c, 0, key, 0, 0), -EINVAL);
	CHECK_INT(cesium_delete(c, 0, key, 256, 0), -E2BIG);
	CHECK_INT(cesium_delete(c, 0, NULL, 1, 0), -EFAULT);

	CHECK_INT(cesium_exists(NULL, 0, key, 1, 0), -EFAULT);
	CHECK_INT(cesium_exists(c, 0, key, 0, 0), -EINVAL);
	CHECK_INT(cesium_exists(c, 0, key, 256, 0), -E2BIG);
	CHECK_INT(cesium_exists(c, 0, NULL, 1, 0), -EFAULT);

	CHECK_INT(cesium_info(NULL, NULL), -EFAULT);
	CHECK_INT(cesium_info(c, NULL), -EFAULT);
	CHECK_INT(cesium_stats(NULL, NULL), -EFAULT);
	CHECK_INT(cesium_stats(c, NULL), -EFAULT);
	CHECK_INT(cesium_fd(NULL), -EFAULT);
	cesium_close(NULL);

	/* None of the above reached the kernel. */
	CHECK_INT(fake.calls, 0);
}

static void test_kv_commands(struct cesium *c)
{
	static const char key[] = "key\0with NUL";
	unsigned char buf[64];
	char long_key[CESIUM_MAX_KEY_LEN];
	struct cesium_kv_cmd *kv = &fake.cmd.kv;
	size_t len;

	fake_reset(NULL);
	CHECK_INT(cesium_put(c, 42, key, sizeof(key), "value", 5,
			     CESIUM_PUT_NO_OVERWRITE | CESIUM_DUR_SYNC), 0);
	CHECK_INT(fake.calls, 1);
	CHECK(fake.req == CESIUM_IOC_PUT);
	CHECK_INT(kv->size, sizeof(struct cesium_kv_cmd));
	CHECK_INT(kv->flags, CESIUM_PUT_NO_OVERWRITE | CESIUM_DUR_SYNC);
	CHECK(kv->ns == 42);
	CHECK(ptr(kv->key_ptr) == key);
	CHECK_INT(kv->key_len, sizeof(key));
	CHECK_INT(kv->value_len, 5);
	CHECK(kv->value_len_ptr == 0);
	CHECK(reserved_zero(kv->reserved, 2));

	/* Flags go to the kernel unchanged: it is the one to refuse them. */
	fake_reset(NULL);
	CHECK_INT(cesium_put(c, UINT64_MAX, key, 1, NULL, 0, 0xdeadbeef), 0);
	CHECK_INT(kv->flags, 0xdeadbeef);
	CHECK(kv->ns == UINT64_MAX);
	CHECK(kv->value_ptr == 0 && kv->value_len == 0);

	memset(long_key, 0xff, sizeof(long_key));
	fake_reset(NULL);
	CHECK_INT(cesium_put(c, 0, long_key, sizeof(long_key), "", 0, 0), 0);
	CHECK_INT(kv->key_len, CESIUM_MAX_KEY_LEN);

	/* The kernel's errors come back as negative errno values. */
	fake_reset(answer_enoent);
	CHECK_INT(cesium_put(c, 0, key, 1, "v", 1, 0), -ENOENT);

	/* GET */
	fake_reset(answer_get_big);
	len = 7;
	CHECK_INT(cesium_get(c, 3, key, 3, buf, sizeof(buf), &len, 0),
		  -EOVERFLOW);
	CHECK_INT(len, BIG_LEN);
	CHECK(fake.req == CESIUM_IOC_GET);
	CHECK(ptr(kv->value_ptr) == buf);
	CHECK_INT(kv->value_len, sizeof(buf));
	CHECK(kv->value_len_ptr != 0);
	CHECK(kv->ns == 3);
	CHECK(reserved_zero(kv->reserved, 2));
	/* A length probe. */
	CHECK_INT(cesium_get(c, 0, key, 3, NULL, 0, &len, 0), -EOVERFLOW);
	CHECK_INT(len, BIG_LEN);
	CHECK(kv->value_ptr == 0 && kv->value_len == 0);
	/* No value_len pointer: still works. */
	CHECK_INT(cesium_get(c, 0, key, 3, NULL, 0, NULL, 0), -EOVERFLOW);
	/* More room than the ABI's field holds counts as UINT32_MAX. */
	if (sizeof(size_t) > 4) {
		fake_reset(NULL);
		CHECK_INT(cesium_get(c, 0, key, 3, buf,
				     (size_t)UINT32_MAX + 100, &len, 0), 0);
		CHECK_INT(kv->value_len, UINT32_MAX);
	}
	fake_reset(answer_enoent);
	len = 99;
	CHECK_INT(cesium_get(c, 0, key, 3, buf, sizeof(buf), &len, 0),
		  -ENOENT);
	CHECK_INT(len, 99);

	/* DELETE and EXISTS carry no value. */
	fake_reset(NULL);
	CHECK_INT(cesium_delete(c, 9, key, 4, CESIUM_DUR_NONE), 0);
	CHECK(fake.req == CESIUM_IOC_DELETE);
	CHECK_INT(kv->flags, CESIUM_DUR_NONE);
	CHECK(kv->ns == 9 && kv->key_len == 4);
	CHECK(!kv->value_ptr && !kv->value_len && !kv->value_len_ptr);
	fake_reset(answer_one);
	CHECK_INT(cesium_exists(c, 0, key, 4, 0), 1);
	CHECK(fake.req == CESIUM_IOC_EXISTS);
	CHECK(!kv->value_ptr && !kv->value_len && !kv->value_len_ptr);
	fake_reset(NULL);
	CHECK_INT(cesium_exists(c, 0, key, 4, 0), 0);
}

static void test_get_alloc(struct cesium *c)
{
	size_t len = 0;
	void *value = NULL;
	size_t i;

	for (i = 0; i < BIG_LEN; i++)
		big[i] = (unsigned char)(i * 7 + 1);
	fake_reset(answer_get_big);
	CHECK_INT(cesium_get_alloc(c, 0, "k", 1, &value, &len, 0), 0);
	CHECK_INT(fake.calls, 2);
	CHECK_INT(len, BIG_LEN);
	CHECK(value && !memcmp(value, big, BIG_LEN));
	CHECK(value && ((char *)value)[BIG_LEN] == '\0');
	free(value);

	value = NULL;
	fake_reset(answer_get_empty);
	CHECK_INT(cesium_get_alloc(c, 0, "k", 1, &value, &len, 0), 0);
	CHECK_INT(fake.calls, 1);
	CHECK_INT(len, 0);
	CHECK(value && ((char *)value)[0] == '\0');
	free(value);

	value = NULL;
	len = 5;
	fake_reset(answer_enoent);
	CHECK_INT(cesium_get_alloc(c, 0, "k", 1, &value, &len, 0), -ENOENT);
	CHECK(value == NULL && len == 5);

	fake_reset(answer_get_liar);
	CHECK_INT(cesium_get_alloc(c, 0, "k", 1, &value, &len, 0), -EIO);
	CHECK_INT(fake.calls, 1);
	CHECK(value == NULL);
}

static void test_info(struct cesium *c)
{
	struct cesium_info info;

	memset(&info, 0xff, sizeof(info));
	fake_reset(answer_info);
	CHECK_INT(cesium_info(c, &info), 0);
	CHECK(fake.req == CESIUM_IOC_INFO);
	CHECK_INT(fake.cmd.info.size, sizeof(struct cesium_info_cmd));
	CHECK_INT(fake.cmd.info.flags, 0);
	CHECK(ptr(fake.cmd.info.info_ptr) == &info);
	CHECK_INT(fake.cmd.info.info_len, sizeof(info));
	CHECK_INT(fake.cmd.info.pad, 0);
	CHECK(reserved_zero(fake.cmd.info.reserved, 2));
	/* What the kernel did not write reads as zero. */
	CHECK_INT(info.size, 8);
	CHECK_INT(info.max_key_len, 0);
	CHECK(info.capacity_bytes == 0 && info.bdev_name[0] == 0);
}

static void test_stats(struct cesium *c)
{
	struct cesium_stats st;

	memset(&st, 0xff, sizeof(st));
	fake_reset(answer_stats);
	CHECK_INT(cesium_stats(c, &st), 0);
	CHECK_INT(fake.calls, 1);
	CHECK(fake.req == CESIUM_IOC_STATS);
	CHECK_INT(fake.cmd.stats.size, sizeof(struct cesium_stats_cmd));
	CHECK_INT(fake.cmd.stats.flags, 0);
	CHECK(ptr(fake.cmd.stats.stats_ptr) == &st);
	CHECK_INT(fake.cmd.stats.stats_len, sizeof(st));
	CHECK_INT(fake.cmd.stats.pad, 0);
	CHECK(reserved_zero(fake.cmd.stats.reserved, 2));
	/* What the kernel did not write reads as zero. */
	CHECK_INT(st.size, 24);
	CHECK(st.puts == 3 && st.gets == 5 && st.deletes == 0);
	CHECK(st.latency[CESIUM_LAT_GET][0] == 0 && st.damaged_segments == 0);
	/* The kernel's error comes back as it is. */
	fake_reset(answer_enotty);
	CHECK_INT(cesium_stats(c, &st), -ENOTTY);
}

static void test_control(void)
{
	struct cesium_list_entry e[4];
	struct cesium_ctl_cmd *ctl = &fake.cmd.ctl;
	char long_path[CESIUM_PATH_MAX + 1];
	unsigned int sig = 99;
	size_t count = 0;

	memset(long_path, 'p', sizeof(long_path));
	long_path[CESIUM_PATH_MAX] = '\0';
	fake_reset(NULL);
	/* Checked before the control node is even opened. */
	cesium__paths.control = "/nonexistent/cesium-control";
	CHECK_INT(cesium_format(NULL, 0, &sig), -EFAULT);
	CHECK_INT(cesium_format("", 0, &sig), -EINVAL);
	CHECK_INT(cesium_format(long_path, 0, &sig), -ENAMETOOLONG);
	CHECK_INT(cesium_attach(long_path), -ENAMETOOLONG);
	CHECK_INT(cesium_attach(NULL), -EFAULT);
	CHECK_INT(cesium_attach(""), -EINVAL);
	CHECK_INT(cesium_list(NULL, 1, &count), -EFAULT);
	CHECK_INT(sig, 99);
	/* No module: open(2)'s answer. The longest path passes. */
	long_path[CESIUM_PATH_MAX - 1] = '\0';
	CHECK_INT(cesium_attach(long_path), -ENOENT);
	CHECK_INT(cesium_detach(0), -ENOENT);
	CHECK_INT(fake.calls, 0);

	/* With a node to open, the commands as the kernel sees them. */
	cesium__paths.control = "/dev/null";
	fake_reset(NULL);
	CHECK_INT(cesium_attach(long_path), 0);
	CHECK_INT(ctl->path_len, CESIUM_PATH_MAX - 1);

	fake_reset(answer_format_ext);
	CHECK_INT(cesium_format("/dev/nvme0n1", CESIUM_FORMAT_FORCE, &sig),
		  -EEXIST);
	CHECK_INT(sig, CESIUM_SIG_EXT);
	CHECK(fake.req == CESIUM_IOC_FORMAT);
	CHECK_INT(ctl->size, sizeof(struct cesium_ctl_cmd));
	CHECK_INT(ctl->flags, CESIUM_FORMAT_FORCE);
	CHECK_INT(ctl->path_len, strlen("/dev/nvme0n1"));
	CHECK(ctl->path_ptr != 0 && ctl->result_ptr != 0);
	CHECK_INT(ctl->index, 0);
	CHECK(reserved_zero(ctl->reserved, 4));
	CHECK_INT(cesium_format("/dev/nvme0n1", 0, NULL), -EEXIST);

	fake_reset(answer_attach);
	CHECK_INT(cesium_attach("/dev/nvme0n1"), 7);
	CHECK(fake.req == CESIUM_IOC_ATTACH);
	CHECK(ctl->result_ptr == 0 && ctl->flags == 0 && ctl->index == 0);

	fake_reset(NULL);
	CHECK_INT(cesium_detach(5), 0);
	CHECK(fake.req == CESIUM_IOC_DETACH);
	CHECK_INT(ctl->index, 5);
	CHECK(ctl->path_ptr == 0 && ctl->path_len == 0 && !ctl->result_ptr);
	CHECK(reserved_zero(ctl->reserved, 4));

	fake_reset(answer_list_two);
	CHECK_INT(cesium_list(NULL, 0, &count), -EOVERFLOW);
	CHECK_INT(count, 2);
	CHECK(fake.req == CESIUM_IOC_LIST);
	CHECK(fake.cmd.list.entries_ptr == 0 && !fake.cmd.list.nr_entries);
	count = 0;
	CHECK_INT(cesium_list(e, 4, &count), 2);
	CHECK_INT(count, 2);
	CHECK_INT(fake.cmd.list.nr_entries, 4);
	CHECK_INT(fake.cmd.list.size, sizeof(struct cesium_list_cmd));
	CHECK_INT(fake.cmd.list.entry_size, sizeof(struct cesium_list_entry));
	CHECK(reserved_zero(fake.cmd.list.reserved, 2));
	CHECK_INT(e[1].index, 4);
	CHECK_INT(cesium_list(e, 4, NULL), 2);
	cesium__paths.control = CESIUM_CONTROL_PATH;
}

static void test_names(void)
{
	CHECK(!strcmp(cesium_signature_name(CESIUM_SIG_NONE), "none"));
	CHECK(!strcmp(cesium_signature_name(CESIUM_SIG_EXT), "ext2/3/4"));
	CHECK(!strcmp(cesium_signature_name(CESIUM_SIG_CESIUM), "CesiumDB"));
	CHECK(!strcmp(cesium_signature_name(1000), "unknown"));
	CHECK(!strcmp(cesium_state_name(CESIUM_STATE_ONLINE), "online"));
	CHECK(!strcmp(cesium_state_name(CESIUM_STATE_READ_ONLY),
		      "read-only"));
	CHECK(!strcmp(cesium_state_name(CESIUM_STATE_FAILED), "failed"));
	CHECK(!strcmp(cesium_state_name(77), "unknown"));
}

int main(void)
{
	struct cesium *c = NULL;
	int ret;

	/* Any path with a '/' is opened as given: /dev/null stands in. */
	ret = cesium_open("/dev/null", O_RDWR, &c);
	CHECK_INT(ret, 0);
	if (ret)
		return test_end("lib-args");
	test_validation(c);
	test_kv_commands(c);
	test_get_alloc(c);
	test_info(c);
	test_stats(c);
	cesium_close(c);
	test_control();
	test_names();
	return test_end("lib-args");
}
