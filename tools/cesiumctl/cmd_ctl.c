// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * cesiumctl's control commands: format, attach, detach, list.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cesiumctl.h"

/* What FORMAT found, as the object of "device holds ...". */
static const char *signature_phrase(unsigned int sig)
{
	switch (sig) {
	case CESIUM_SIG_CESIUM:
		return "a CesiumDB store";
	case CESIUM_SIG_PARTITION_TABLE:
		return "a partition table";
	case CESIUM_SIG_EXT:
		return "an ext2/3/4 filesystem";
	case CESIUM_SIG_XFS:
		return "an XFS filesystem";
	case CESIUM_SIG_BTRFS:
		return "a Btrfs filesystem";
	case CESIUM_SIG_SWAP:
		return "swap space";
	}
	return "a signature cesiumctl does not know";
}

/* Errors a block device path gets from FORMAT and ATTACH alike. */
static const char *bdev_why(int err)
{
	const char *why = control_why(err);

	if (why)
		return why;
	switch (err) {
	case -ENOTBLK:
		return "not a block device";
	case -EBUSY:
		return "device is busy (attached, mounted or held by another program)";
	}
	return strerror(-err);
}

/* The one BDEV argument of format and attach. */
static int one_bdev(const struct command *cmd, int n)
{
	if (n < 1)
		return usage_error(cmd, "missing BDEV");
	if (n > 1)
		return usage_error(cmd, "too many arguments");
	return 0;
}

int cmd_format(const struct command *cmd, struct target *t, int argc,
	       char **argv)
{
	static const char *const accept[] = { "--force", NULL };
	unsigned int seen, sig = CESIUM_SIG_NONE;
	int n, ret;

	n = parse_options(cmd, t, argc, argv, accept, &seen);
	if (n < 0)
		return EXIT_USAGE;
	ret = one_bdev(cmd, n);
	if (ret)
		return ret;
	ret = cesium_format(argv[0], seen ? CESIUM_FORMAT_FORCE : 0, &sig);
	if (ret == -EEXIST)
		return fail(cmd, argv[0],
			    "device holds %s; use --force to overwrite",
			    signature_phrase(sig));
	if (ret < 0)
		return fail(cmd, argv[0], "%s", bdev_why(ret));
	return 0;
}

int cmd_attach(const struct command *cmd, struct target *t, int argc,
	       char **argv)
{
	unsigned int seen;
	int n, ret;

	n = parse_options(cmd, t, argc, argv, NULL, &seen);
	if (n < 0)
		return EXIT_USAGE;
	ret = one_bdev(cmd, n);
	if (ret)
		return ret;
	ret = cesium_attach(argv[0]);
	switch (ret) {
	case -EMEDIUMTYPE:
		return fail(cmd, argv[0],
			    "not formatted for CesiumDB (run cesiumctl format)");
	case -EUCLEAN:
		return fail(cmd, argv[0],
			    "CesiumDB superblocks are damaged (checksum mismatch)");
	}
	if (ret < 0)
		return fail(cmd, argv[0], "%s", bdev_why(ret));
	printf("cesium%d\n", ret);
	return 0;
}

/* "cesiumN", "/dev/cesiumN" or "N" to N. */
static int parse_index(const char *s, unsigned int *index)
{
	char *end;
	unsigned long n;

	if (!strncmp(s, CESIUM_DEVICE_PREFIX, strlen(CESIUM_DEVICE_PREFIX)))
		s += strlen(CESIUM_DEVICE_PREFIX);
	else if (!strncmp(s, "cesium", strlen("cesium")))
		s += strlen("cesium");
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n > 0xffffffffUL)
		return -EINVAL;
	*index = (unsigned int)n;
	return 0;
}

int cmd_detach(const struct command *cmd, struct target *t, int argc,
	       char **argv)
{
	unsigned int seen, index;
	const char *why;
	int n, ret;

	n = parse_options(cmd, t, argc, argv, NULL, &seen);
	if (n < 0)
		return EXIT_USAGE;
	if (n != 1)
		return usage_error(cmd, n ? "too many arguments" :
				   "missing DEVICE");
	if (parse_index(argv[0], &index))
		return usage_error(cmd, "%s: not a CesiumDB device name",
				   escaped(argv[0]));
	ret = cesium_detach(index);
	if (!ret)
		return 0;
	why = control_why(ret);
	if (!why) {
		switch (ret) {
		case -EBUSY:
			why = "device is in use: close its handles first";
			break;
		case -ENODEV:
		case -ENOENT:
		case -ENXIO:
			why = "no such device attached (see cesiumctl list)";
			break;
		default:
			why = strerror(-ret);
		}
	}
	return fail(cmd, argv[0], "%s", why);
}

int cmd_list(const struct command *cmd, struct target *t, int argc,
	     char **argv)
{
	static const char *const accept[] = { "--json", NULL };
	struct cesium_list_entry *e = NULL, *bigger;
	size_t room = 16, count = 0;
	unsigned int seen;
	const char *why;
	int n, i;

	n = parse_options(cmd, t, argc, argv, accept, &seen);
	if (n < 0)
		return EXIT_USAGE;
	if (n)
		return usage_error(cmd, "too many arguments");
	/* Devices may be attached between two calls: go on until it fits. */
	for (;;) {
		bigger = realloc(e, room * sizeof(*e));
		if (!bigger) {
			free(e);
			return fail(cmd, NULL, "%s", strerror(ENOMEM));
		}
		e = bigger;
		n = cesium_list(e, room, &count);
		if (n != -EOVERFLOW)
			break;
		room = count > room ? count : room * 2;
	}
	if (n < 0) {
		free(e);
		why = control_why(n);
		return fail(cmd, NULL, "%s", why ? why : strerror(-n));
	}
	for (i = 0; i < n; i++) {
		if (!seen) {
			printf("cesium%u %.*s %s %llu bytes, %llu used\n",
			       e[i].index, (int)sizeof(e[i].bdev_name),
			       e[i].bdev_name, cesium_state_name(e[i].state),
			       (unsigned long long)e[i].capacity_bytes,
			       (unsigned long long)e[i].used_bytes);
			continue;
		}
		/* --json: one object per device and line, as scan --json. */
		printf("{\"name\":\"cesium%u\",\"index\":%u,\"bdev_name\":\"",
		       e[i].index, e[i].index);
		esc_write(stdout, e[i].bdev_name,
			  strnlen(e[i].bdev_name, sizeof(e[i].bdev_name)), 1);
		printf("\",\"major\":%u,\"minor\":%u,\"state\":\"%s\","
		       "\"capacity_bytes\":%llu,\"used_bytes\":%llu}\n",
		       e[i].major, e[i].minor, cesium_state_name(e[i].state),
		       (unsigned long long)e[i].capacity_bytes,
		       (unsigned long long)e[i].used_bytes);
	}
	free(e);
	if (fflush(stdout) || ferror(stdout))
		return fail(cmd, NULL, "writing standard output: %s",
			    strerror(errno));
	return 0;
}
