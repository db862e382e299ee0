// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * cesiumctl's data commands on one key: put, get, del; and info.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cesiumctl.h"

/* put's options; bit i of "seen" stands for put_options[i]. */
static const char *const put_options[] = {
	"--sync", "--periodic", "--none", "--no-overwrite", "--update-only",
	NULL
};
#define SEEN_DUR_MASK		0x7U
#define SEEN_NO_OVERWRITE	(1U << 3)
#define SEEN_UPDATE_ONLY	(1U << 4)

/* The CESIUM_DUR_* flag for --sync, --periodic, --none; -1 if several. */
static int durability(unsigned int seen)
{
	switch (seen & SEEN_DUR_MASK) {
	case 0:
		return CESIUM_DUR_DEFAULT;
	case 1U << 0:
		return CESIUM_DUR_SYNC;
	case 1U << 1:
		return CESIUM_DUR_PERIODIC;
	case 1U << 2:
		return CESIUM_DUR_NONE;
	}
	return -1;
}

/* Why a data command on @key failed, in words (cesiumctl.h). */
const char *kv_why(struct cesium *c, int err, unsigned int flags,
			  size_t key_len, size_t value_len)
{
	static char why[128];
	struct cesium_info info;

	switch (err) {
	case -ENOENT:
		return flags & CESIUM_PUT_UPDATE_ONLY ?
		       "no such key (--update-only)" : "no such key";
	case -EEXIST:
		return "key exists (--no-overwrite)";
	case -EINVAL:
		if (!key_len)
			return "empty key: keys are 1 byte or longer";
		break;
	case -E2BIG:
		if (cesium_info(c, &info))
			return "key or value over the device's limit";
		if (key_len > info.max_key_len)
			snprintf(why, sizeof(why),
				 "key is %zu bytes, over the device's limit of %u",
				 key_len, info.max_key_len);
		else
			snprintf(why, sizeof(why),
				 "value is %zu bytes, over the device's limit of %u",
				 value_len, info.max_value_len);
		return why;
	case -EBADF:
		return "device opened read-only";
	case -EROFS:
		return "device is read-only (see cesiumctl info)";
	case -ENOSPC:
		return "device is full";
	case -EUCLEAN:
		return EUCLEAN_WHY;
	}
	return strerror(-err);
}

/* Standard input, all of it, if it holds at most @limit bytes. */
static int read_stdin(char **out, size_t *len, size_t limit)
{
	size_t room = 0, n = 0;
	char *buf = NULL, *bigger;
	ssize_t got;

	for (;;) {
		if (n == room) {
			/* Room for one byte over the limit, to see it. */
			if (room > limit) {
				free(buf);
				return -E2BIG;
			}
			room = room ? room * 2 : 65536;
			if (room > limit + 1)
				room = limit + 1;
			bigger = realloc(buf, room ? room : 1);
			if (!bigger) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
		}
		got = read(STDIN_FILENO, buf + n, room - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return -errno;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	if (n > limit) {
		free(buf);
		return -E2BIG;
	}
	*out = buf;
	*len = n;
	return 0;
}

int cmd_put(const struct command *cmd, struct target *t, int argc,
	    char **argv)
{
	struct cesium_info info;
	const char *key;
	char *value, *from_stdin = NULL;
	size_t key_len, value_len;
	struct cesium *c;
	unsigned int seen, flags;
	int n, dur, ret;

	n = parse_options(cmd, t, argc, argv, put_options, &seen);
	if (n < 0)
		return EXIT_USAGE;
	if (n < 2)
		return usage_error(cmd, n ? "missing VALUE" :
				   "missing KEY and VALUE");
	if (n > 2)
		return usage_error(cmd, "too many arguments");
	dur = durability(seen);
	if (dur < 0)
		return usage_error(cmd,
				   "--sync, --periodic and --none exclude each other");
	if ((seen & SEEN_NO_OVERWRITE) && (seen & SEEN_UPDATE_ONLY))
		return usage_error(cmd,
				   "--no-overwrite and --update-only exclude each other");
	flags = (unsigned int)dur;
	if (seen & SEEN_NO_OVERWRITE)
		flags |= CESIUM_PUT_NO_OVERWRITE;
	if (seen & SEEN_UPDATE_ONLY)
		flags |= CESIUM_PUT_UPDATE_ONLY;
	key = argv[0];
	key_len = strlen(key);
	value = argv[1];
	value_len = strlen(value);

	if (open_target(cmd, t, O_RDWR, &c))
		return 1;
	if (!strcmp(value, "-")) {
		ret = cesium_info(c, &info);
		if (ret < 0) {
			fail(cmd, key, "reading the device's limits: %s",
			     strerror(-ret));
			cesium_close(c);
			return 1;
		}
		ret = read_stdin(&from_stdin, &value_len, info.max_value_len);
		if (ret == -E2BIG)
			ret = fail(cmd, key,
				   "value on standard input is over the device's limit of %u bytes",
				   info.max_value_len);
		else if (ret)
			ret = fail(cmd, key, "reading the value: %s",
				   strerror(-ret));
		if (ret) {
			cesium_close(c);
			return ret;
		}
		value = from_stdin;
	}
	ret = cesium_put(c, t->ns, key, key_len, value, value_len, flags);
	if (ret < 0)
		ret = fail(cmd, key, "%s",
			   kv_why(c, ret, flags, key_len, value_len));
	free(from_stdin);
	cesium_close(c);
	return ret;
}

/* The KEY of get and del, after their options. */
static int one_key(const struct command *cmd, int n)
{
	if (n < 1)
		return usage_error(cmd, "missing KEY");
	if (n > 1)
		return usage_error(cmd, "too many arguments");
	return 0;
}

/* write(2) all of @buf; stdio would do, but its errors come late. */
static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t done;

	while (len) {
		done = write(fd, buf, len);
		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			return -errno;
		buf += done;
		len -= (size_t)done;
	}
	return 0;
}

int cmd_get(const struct command *cmd, struct target *t, int argc,
	    char **argv)
{
	struct cesium *c;
	size_t len;
	unsigned int seen;
	void *value;
	int n, ret;

	n = parse_options(cmd, t, argc, argv, NULL, &seen);
	if (n < 0)
		return EXIT_USAGE;
	ret = one_key(cmd, n);
	if (ret)
		return ret;
	if (open_target(cmd, t, O_RDONLY, &c))
		return 1;
	ret = cesium_get_alloc(c, t->ns, argv[0], strlen(argv[0]), &value,
			       &len, 0);
	if (ret < 0) {
		ret = fail(cmd, argv[0], "%s",
			   kv_why(c, ret, 0, strlen(argv[0]), 0));
	} else {
		ret = write_all(STDOUT_FILENO, value, len);
		if (ret)
			ret = fail(cmd, argv[0], "writing standard output: %s",
				   strerror(-ret));
		free(value);
	}
	cesium_close(c);
	return ret;
}

int cmd_del(const struct command *cmd, struct target *t, int argc,
	    char **argv)
{
	struct cesium *c;
	unsigned int seen;
	int n, dur, ret;

	/* Only the durability options: the first three of put's. */
	static const char *const del_options[] = {
		"--sync", "--periodic", "--none", NULL
	};

	n = parse_options(cmd, t, argc, argv, del_options, &seen);
	if (n < 0)
		return EXIT_USAGE;
	ret = one_key(cmd, n);
	if (ret)
		return ret;
	dur = durability(seen);
	if (dur < 0)
		return usage_error(cmd,
				   "--sync, --periodic and --none exclude each other");
	if (open_target(cmd, t, O_RDWR, &c))
		return 1;
	ret = cesium_delete(c, t->ns, argv[0], strlen(argv[0]),
			    (unsigned int)dur);
	if (ret < 0)
		ret = fail(cmd, argv[0], "%s",
			   kv_why(c, ret, 0, strlen(argv[0]), 0));
	cesium_close(c);
	return ret;
}

/* The feature bits cesiumctl has names for. */
static const struct {
	uint64_t bit;
	const char *name;
} feature_names[] = {
	{ CESIUM_FEAT_NAMESPACES, "namespaces" },
	{ CESIUM_FEAT_DURABILITY, "durability" },
	{ CESIUM_FEAT_EXISTS, "exists" },
	{ CESIUM_FEAT_SCAN, "scan" },
	{ CESIUM_FEAT_BATCH, "batch" },
	{ CESIUM_FEAT_SYNC, "sync" },
	{ CESIUM_FEAT_URING_CMD, "uring_cmd" },
	{ CESIUM_FEAT_STATS, "stats" },
	{ CESIUM_FEAT_NAMESPACE_LIST, "namespace_list" },
	{ CESIUM_FEAT_CHECK, "check" },
};

static void print_features(uint64_t features)
{
	size_t i;

	printf("features: 0x%llx", (unsigned long long)features);
	for (i = 0; i < ARRAY_SIZE(feature_names); i++)
		if (features & feature_names[i].bit)
			printf(" %s", feature_names[i].name);
	putchar('\n');
}

static void format_uuid(char *buf, size_t size, const unsigned char *u)
{
	snprintf(buf, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4],
		 u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
		 u[14], u[15]);
}

/* info --json: one object, the same names as the text lines. */
static void print_info_json(const struct cesium_info *info)
{
	char uuid[40];
	size_t i;
	int first = 1;

/* Print only what the kernel filled in: info->size bytes of it. */
#define KNOWN(f) (offsetof(struct cesium_info, f) + sizeof(info->f) <= \
		  info->size)
#define NUM(f)								\
	do {								\
		if (KNOWN(f))						\
			printf(",\"" #f "\":%llu",			\
			       (unsigned long long)info->f);		\
	} while (0)
	printf("{\"size\":%u", info->size);
	NUM(abi_version);
	if (KNOWN(features)) {
		printf(",\"features\":%llu,\"feature_names\":[",
		       (unsigned long long)info->features);
		for (i = 0; i < ARRAY_SIZE(feature_names); i++) {
			if (!(info->features & feature_names[i].bit))
				continue;
			printf("%s\"%s\"", first ? "" : ",",
			       feature_names[i].name);
			first = 0;
		}
		putchar(']');
	}
	NUM(format_version);
	NUM(max_key_len);
	NUM(max_value_len);
	if (KNOWN(state))
		printf(",\"state\":\"%s\"", cesium_state_name(info->state));
	NUM(index);
	NUM(logical_block_size);
	NUM(capacity_bytes);
	NUM(used_bytes);
	NUM(nr_keys);
	if (KNOWN(uuid)) {
		format_uuid(uuid, sizeof(uuid), info->uuid);
		printf(",\"uuid\":\"%s\"", uuid);
	}
	if (KNOWN(bdev_name)) {
		fputs(",\"bdev_name\":\"", stdout);
		esc_write(stdout, info->bdev_name,
			  strnlen(info->bdev_name, sizeof(info->bdev_name)), 1);
		putchar('"');
	}
	fputs("}\n", stdout);
#undef NUM
#undef KNOWN
}

int cmd_info(const struct command *cmd, struct target *t, int argc,
	     char **argv)
{
	static const char *const accept[] = { "--json", NULL };
	struct cesium_info info;
	struct cesium *c;
	unsigned int seen;
	char uuid[40];
	int n, ret;

	n = parse_options(cmd, t, argc, argv, accept, &seen);
	if (n < 0)
		return EXIT_USAGE;
	if (n)
		return usage_error(cmd, "too many arguments");
	if (open_target(cmd, t, O_RDONLY, &c))
		return 1;
	ret = cesium_info(c, &info);
	cesium_close(c);
	if (ret < 0)
		return fail(cmd, t->device, "%s", strerror(-ret));
	if (seen) {
		print_info_json(&info);
		goto out;
	}

/* Print only what the kernel filled in: info.size bytes of it. */
#define KNOWN(f) (offsetof(struct cesium_info, f) + sizeof(info.f) <= info.size)
	if (KNOWN(abi_version))
		printf("abi_version: %u\n", info.abi_version);
	if (KNOWN(features))
		print_features(info.features);
	if (KNOWN(format_version))
		printf("format_version: %u\n", info.format_version);
	if (KNOWN(max_key_len))
		printf("max_key_len: %u\n", info.max_key_len);
	if (KNOWN(max_value_len))
		printf("max_value_len: %u\n", info.max_value_len);
	if (KNOWN(state))
		printf("state: %s\n", cesium_state_name(info.state));
	if (KNOWN(index))
		printf("index: %u\n", info.index);
	if (KNOWN(logical_block_size))
		printf("logical_block_size: %u\n", info.logical_block_size);
	if (KNOWN(capacity_bytes))
		printf("capacity_bytes: %llu\n",
		       (unsigned long long)info.capacity_bytes);
	if (KNOWN(used_bytes))
		printf("used_bytes: %llu\n",
		       (unsigned long long)info.used_bytes);
	if (KNOWN(nr_keys))
		printf("nr_keys: %llu\n", (unsigned long long)info.nr_keys);
	if (KNOWN(uuid)) {
		format_uuid(uuid, sizeof(uuid), info.uuid);
		printf("uuid: %s\n", uuid);
	}
	if (KNOWN(bdev_name))
		printf("bdev_name: %.*s\n", (int)sizeof(info.bdev_name),
		       info.bdev_name);
#undef KNOWN
out:
	if (fflush(stdout))
		return fail(cmd, t->device, "writing standard output: %s",
			    strerror(errno));
	return 0;
}
