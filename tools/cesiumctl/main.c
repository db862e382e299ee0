// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * cesiumctl: the command line of CesiumDB. This file: the command table,
 * options, choosing the device, and the error conventions (cesiumctl.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cesiumctl.h"

static const char usage_line[] =
	"usage: cesiumctl [-d DEVICE] [-n NS] COMMAND [ARGS]\n";

static const char help_text[] =
	"\n"
	"Control commands (need CAP_SYS_ADMIN):\n"
	"  format BDEV [--force]  write an empty CesiumDB store on block device\n"
	"                         BDEV; refused when BDEV holds a filesystem, a\n"
	"                         partition table or a CesiumDB store, unless --force\n"
	"  attach BDEV            attach a formatted BDEV; prints its name, cesiumN\n"
	"  detach DEVICE          detach cesiumN (also /dev/cesiumN or N)\n"
	"  list [--json]          one line per attached device:\n"
	"                         NAME BDEV STATE CAPACITY bytes, USED used\n"
	"                         e.g. \"cesium0 nvme0n1 online 268435456 bytes, 4096 used\"\n"
	"                         (--json: one JSON object per device and line)\n"
	"\n"
	"Data commands (on the device -d names, else $CESIUM_DEVICE, else the only\n"
	"attached device):\n"
	"  put [--no-overwrite|--update-only] [DURABILITY] KEY VALUE\n"
	"                         store VALUE under KEY; VALUE - reads it from\n"
	"                         standard input (binary, up to the device's limit)\n"
	"  get KEY                write KEY's value to standard output, nothing else\n"
	"  del [DURABILITY] KEY   remove KEY\n"
	"  info [--json]          the device's description, as \"name: value\" lines\n"
	"                         (--json: one JSON object)\n"
	"  stats [--watch [SECONDS]] [--json]\n"
	"                         the device's counters as \"name: value\" lines and\n"
	"                         per command \"latency_get: N ops, p50 < T, p99 < T\"\n"
	"                         (T: the upper bound of the log2 histogram bucket,\n"
	"                         rounded up); --watch prints them again every\n"
	"                         SECONDS (default 1) until interrupted, with each\n"
	"                         counter's rate and the latency of the interval;\n"
	"                         --json: one JSON object (per line with --watch)\n"
	"  scan [--from KEY] [--to KEY] [--limit N] [--reverse] [--keys-only] [--json]\n"
	"                         the records of [--from, --to) in key order, one\n"
	"                         KEY<TAB>VALUE line each (LINE FORMAT below);\n"
	"                         --reverse walks the same range downward, --limit N\n"
	"                         stops after N records, --keys-only prints KEY lines,\n"
	"                         --json prints {\"key\":\"KEY\",\"value\":\"VALUE\"} lines\n"
	"  dump                   every record of the namespace, as scan prints them\n"
	"  load FILE              store the records of FILE (- reads standard input),\n"
	"                         lines in the LINE FORMAT, in batches; a progress\n"
	"                         line on standard error when that is a terminal\n"
	"  sync                   make every completed write durable (the whole\n"
	"                         device: every namespace)\n"
	"\n"
	"Options:\n"
	"  -d DEVICE              cesiumN or /dev/cesiumN\n"
	"  -n NS                  namespace id, decimal or 0x hex (default 0)\n"
	"  --no-overwrite         put fails if KEY exists\n"
	"  --update-only          put fails if KEY does not exist\n"
	"  DURABILITY             --sync, --periodic or --none for this operation\n"
	"                         (default: the device's)\n"
	"  -h, --help             print this help\n"
	"A data command's options come before KEY, and \"--\" ends them: KEY and\n"
	"VALUE, and the KEYs of --from and --to, are taken byte for byte as given,\n"
	"even when they start with '-'.\n"
	"\n"
	"LINE FORMAT, shared by scan, dump and load: KEY<TAB>VALUE<LF>, each side\n"
	"escaped: backslash as \\\\, tab \\t, line feed \\n, other bytes below 0x20 or\n"
	"above 0x7e \\xNN; so \"dump | load\" copies any bytes. --json strings hold\n"
	"the same escaped text, with JSON's escaping on top (\\\\ and \\\").\n"
	"\n"
	"Exit status: 0 success; 1 failure, with one line on standard error,\n"
	"\"cesiumctl: COMMAND OBJECT: WHY\"; 2 usage error.\n";

static const struct command commands[] = {
	{ "format", cmd_format, "BDEV [--force]", 0 },
	{ "attach", cmd_attach, "BDEV", 0 },
	{ "detach", cmd_detach, "cesiumN|/dev/cesiumN|N", 0 },
	{ "list", cmd_list, "[--json]", 0 },
	{ "put", cmd_put,
	  "[--no-overwrite|--update-only] [--sync|--periodic|--none] KEY VALUE",
	  1 },
	{ "get", cmd_get, "KEY", 1 },
	{ "del", cmd_del, "[--sync|--periodic|--none] KEY", 1 },
	{ "info", cmd_info, "[--json]", 2 },
	{ "stats", cmd_stats, "[--watch [SECONDS]] [--json]", 2 },
	{ "scan", cmd_scan,
	  "[--from KEY] [--to KEY] [--limit N] [--reverse] [--keys-only] [--json]",
	  1 },
	{ "dump", cmd_dump, "", 1 },
	{ "load", cmd_load, "FILE|-", 1 },
	{ "sync", cmd_sync, "", 1 },
	{ "namespaces", cmd_namespaces, "", 2 },
	{ "check", cmd_check, "", 2 },
};

static void help(void)
{
	fputs(usage_line, stdout);
	fputs(help_text, stdout);
}

/* Cut to fit its static buffer, with "..." at the end. */
const char *escaped(const char *s)
{
	static char buf[1024];
	size_t n = 0;

	/* An empty key is still an object: show it. */
	if (!*s)
		return "\"\"";
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (n + 8 >= sizeof(buf)) {
			memcpy(buf + n, "...", 4);
			return buf;
		}
		if (ch == '\\')
			n += sprintf(buf + n, "\\\\");
		else if (ch == '\t')
			n += sprintf(buf + n, "\\t");
		else if (ch == '\n')
			n += sprintf(buf + n, "\\n");
		else if (ch < 0x20 || ch >= 0x7f)
			n += sprintf(buf + n, "\\x%02x", ch);
		else
			buf[n++] = (char)ch;
	}
	buf[n] = '\0';
	return buf;
}

int fail(const struct command *cmd, const char *obj, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cesiumctl: %s", cmd->name);
	if (obj)
		fprintf(stderr, " %s", escaped(obj));
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int vusage_error(const struct command *cmd, const char *fmt,
			va_list ap)
{
	fputs("cesiumctl: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, "usage: cesiumctl%s%s %s%s%s\n",
			cmd->data ? " [-d DEVICE]" : "",
			cmd->data == 1 ? " [-n NS]" : "", cmd->name,
			*cmd->args ? " " : "", cmd->args);
	else
		fputs(usage_line, stderr);
	fputs("Try 'cesiumctl --help' for more.\n", stderr);
	return EXIT_USAGE;
}

int usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vusage_error(cmd, fmt, ap);
	va_end(ap);
	return ret;
}

const char *control_why(int err)
{
	switch (err) {
	case -ENOENT:
		if (access(CESIUM_CONTROL_PATH, F_OK))
			return "no " CESIUM_CONTROL_PATH
			       ": is the cesium module loaded?";
		return NULL;
	case -EACCES:
	case -EPERM:
		return "permission denied: needs CAP_SYS_ADMIN (run as root)";
	}
	return NULL;
}

/* A namespace id: decimal, or hexadecimal after 0x; all of it, in range. */
static int parse_ns(const char *s, uint64_t *ns)
{
	int base = 10;
	char *end;

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2)) {
		base = 16;
		s += 2;
	}
	if (!*s || !strchr("0123456789abcdefABCDEF", *s))
		return -EINVAL;
	errno = 0;
	*ns = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

/*
 * -d and -n, as "-d X" or "-dX". Return: how many arguments it used (1 or
 * 2), 0 if @argv[0] is neither, -1 after a usage error.
 */
static int target_option(const struct command *cmd, struct target *t,
			 int argc, char **argv)
{
	const char *arg = argv[0], *val;
	int used = 1;

	if (arg[0] != '-' || (arg[1] != 'd' && arg[1] != 'n'))
		return 0;
	if (arg[2]) {
		val = arg + 2;
	} else if (argc > 1) {
		val = argv[1];
		used = 2;
	} else {
		usage_error(cmd, "option -%c needs a value", arg[1]);
		return -1;
	}
	if (arg[1] == 'd') {
		t->device = val;
		t->device_given = 1;
	} else {
		if (parse_ns(val, &t->ns)) {
			usage_error(cmd, "-n %s: not a namespace id",
				    escaped(val));
			return -1;
		}
		t->ns_given = 1;
	}
	return used;
}

int parse_options(const struct command *cmd, struct target *t, int argc,
		  char **argv, const char *const *accept, unsigned int *seen)
{
	return parse_options_v(cmd, t, argc, argv, accept, seen, NULL);
}

/* Whether @arg is @opt ("--from=" takes a value), and where its value is. */
static int option_is(const char *arg, const char *opt, const char **inline_val)
{
	size_t n = strlen(opt);

	*inline_val = NULL;
	if (!n || opt[n - 1] != '=')
		return !strcmp(arg, opt);
	if (!strncmp(arg, opt, n)) {
		*inline_val = arg + n;
		return 1;
	}
	return strlen(arg) == n - 1 && !strncmp(arg, opt, n - 1);
}

int parse_options_v(const struct command *cmd, struct target *t, int argc,
		    char **argv, const char *const *accept, unsigned int *seen,
		    const char **values)
{
	int i = 0, npos = 0, options = 1, used;
	const char *val = NULL;

	*seen = 0;
	while (i < argc) {
		const char *arg = argv[i];
		unsigned int k;

		if (!options || arg[0] != '-' || !arg[1]) {
			argv[npos++] = argv[i++];
			/* A data command's KEY ends its options. */
			if (cmd->data)
				options = 0;
			continue;
		}
		if (!strcmp(arg, "--")) {
			options = 0;
			i++;
			continue;
		}
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			help();
			exit(0);
		}
		if (cmd->data) {
			used = target_option(cmd, t, argc - i, argv + i);
			if (used < 0)
				return -1;
			if (used) {
				i += used;
				continue;
			}
		}
		for (k = 0; accept && accept[k]; k++)
			if (option_is(arg, accept[k], &val))
				break;
		if (!accept || !accept[k]) {
			usage_error(cmd, "unknown option %s", escaped(arg));
			return -1;
		}
		*seen |= 1U << k;
		i++;
		if (accept[k][strlen(accept[k]) - 1] == '=') {
			if (!val && i == argc) {
				usage_error(cmd, "option %.*s needs a value",
					    (int)strlen(accept[k]) - 1,
					    accept[k]);
				return -1;
			}
			if (!val)
				val = argv[i++];
			if (values)
				values[k] = val;
		}
	}
	if (cmd->data == 2 && t->ns_given) {
		usage_error(cmd, "-n does not apply to %s", cmd->name);
		return -1;
	}
	return npos;
}

int open_target(const struct command *cmd, const struct target *t,
		int flags, struct cesium **c)
{
	int ret = cesium_open(t->device, flags, c);

	switch (ret) {
	case 0:
		return 0;
	case -ENODEV:
		if (!t->device)
			return fail(cmd, NULL, "no CesiumDB device attached");
		/* A node whose device went away. */
		return fail(cmd, t->device,
			    "no such CesiumDB device (see cesiumctl list)");
	case -ENOENT:
	case -ENXIO:
		return fail(cmd, t->device,
			    "no such CesiumDB device (see cesiumctl list)");
	case -ENOTUNIQ:
		return fail(cmd, NULL,
			    "several devices attached: choose one with -d or CESIUM_DEVICE");
	case -EINVAL:
		return fail(cmd, t->device,
			    "not a CesiumDB device: use cesiumN or /dev/cesiumN");
	case -EACCES:
	case -EPERM:
		return fail(cmd, t->device ? t->device : "device",
			    "permission denied (device nodes are root's)");
	}
	return fail(cmd, t->device, "%s", strerror(-ret));
}

int main(int argc, char **argv)
{
	struct target t = { 0 };
	const struct command *cmd = NULL;
	const char *env;
	unsigned int k;
	int i = 1, used;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help();
			return 0;
		}
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		used = target_option(NULL, &t, argc - i, argv + i);
		if (used < 0)
			return EXIT_USAGE;
		if (!used)
			return usage_error(NULL, "unknown option %s",
					   escaped(argv[i]));
		i += used;
	}
	if (i >= argc)
		return usage_error(NULL, "no command");
	for (k = 0; k < ARRAY_SIZE(commands); k++)
		if (!strcmp(argv[i], commands[k].name))
			cmd = &commands[k];
	if (!cmd)
		return usage_error(NULL, "unknown command %s",
				   escaped(argv[i]));
	if (!cmd->data && t.device_given)
		return usage_error(cmd, "-d applies to data commands only");
	if (cmd->data != 1 && t.ns_given)
		return usage_error(cmd, "-n does not apply to %s", cmd->name);
	env = getenv(CESIUM_DEVICE_ENV);
	if (!t.device_given && env && *env)
		t.device = env;
	return cmd->run(cmd, &t, argc - i - 1, argv + i + 1);
}
