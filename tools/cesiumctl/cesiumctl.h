/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * cesiumctl: what main.c shares with the command files.
 *
 * Exit status: 0 success; 1 failure, after exactly one line on stderr,
 * "cesiumctl: <command> <object>: <why>"; 2 usage error, after a line
 * saying what is wrong and the command's usage line, both on stderr.
 */
#ifndef CESIUMCTL_H
#define CESIUMCTL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cesium.h>

#define EXIT_USAGE	2
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The options that choose where a data command goes. */
struct target {
	const char *device;	/* -d, else $CESIUM_DEVICE, else NULL */
	int device_given;	/* -d was on the command line */
	uint64_t ns;		/* -n */
	int ns_given;
};

struct command {
	const char *name;
	int (*run)(const struct command *cmd, struct target *t,
		   int argc, char **argv);
	const char *args;	/* usage after the command's name */
	int data;		/* a data command: 1 takes -d and -n, 2 -d only */
};

/* cmd_ctl.c, cmd_kv.c */
int cmd_format(const struct command *cmd, struct target *t, int argc,
	       char **argv);
int cmd_attach(const struct command *cmd, struct target *t, int argc,
	       char **argv);
int cmd_detach(const struct command *cmd, struct target *t, int argc,
	       char **argv);
int cmd_list(const struct command *cmd, struct target *t, int argc,
	     char **argv);
int cmd_put(const struct command *cmd, struct target *t, int argc,
	    char **argv);
int cmd_get(const struct command *cmd, struct target *t, int argc,
	    char **argv);
int cmd_del(const struct command *cmd, struct target *t, int argc,
	    char **argv);
int cmd_info(const struct command *cmd, struct target *t, int argc,
	     char **argv);

int cmd_scan(const struct command *cmd, struct target *t, int argc,
	     char **argv);
int cmd_dump(const struct command *cmd, struct target *t, int argc,
	     char **argv);
int cmd_load(const struct command *cmd, struct target *t, int argc,
	     char **argv);
int cmd_check(const struct command *cmd, struct target *t, int argc,
	      char **argv);
int cmd_namespaces(const struct command *cmd, struct target *t, int argc,
		   char **argv);
int cmd_sync(const struct command *cmd, struct target *t, int argc,
	     char **argv);
int cmd_stats(const struct command *cmd, struct target *t, int argc,
	      char **argv);

/* cmd_kv.c: why a put, get or del of a key failed, in words. */
/* What -EUCLEAN means to a user: damage, found by a checksum. */
#define EUCLEAN_WHY "stored data failed its checksum, or was lost with a " \
	"damaged checkpoint segment (EUCLEAN)"

const char *kv_why(struct cesium *c, int err, unsigned int flags,
		   size_t key_len, size_t value_len);

/* escape.c: the line format of scan, dump and load. */

/*
 * esc_write() - @len bytes at @p, escaped (\\, \t, \n, \xNN), to @f; with
 * @json, also fit for the inside of a JSON string.
 */
void esc_write(FILE *f, const void *p, size_t len, int json);

struct kv_line {
	char *key, *value;	/* inside the line given to parse_line() */
	size_t key_len, value_len;
};

/*
 * parse_line() - a "KEY<TAB>VALUE" line (@len bytes, with or without its
 * LF), unescaped in place. Return: 0, or -1 with *@why saying what is
 * wrong (a static string).
 */
int parse_line(char *line, size_t len, struct kv_line *kv, const char **why);

/* main.c */

/*
 * fail() - print "cesiumctl: <cmd> <obj>: <why>" on stderr; return 1.
 * @obj may be NULL; it is printed with escapes (\\, \t, \n, \xNN), so the
 * message stays one line whatever bytes a key holds.
 */
int fail(const struct command *cmd, const char *obj, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* escaped() - @s with \\, \t, \n, \xNN escapes, in a static buffer. */
const char *escaped(const char *s);
/* usage_error() - print what is wrong and cmd's usage line; return 2. */
int usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * control_why() - why a control function failed, for the errors every
 * control command shares (no module, no privilege); NULL when the caller
 * must say.
 */
const char *control_why(int err);
/*
 * parse_options() - a command's options. @accept lists the long options it
 * takes ("--force"; see parse_options_v() for options with a value);
 * -d DEVICE and -n NS are taken when cmd->data is set. A data command's
 * options end at its first other argument, so that a KEY or VALUE may start with '-'; a control command's
 * may come anywhere. "--" ends them in both. Sets bit i of *@seen for
 * @accept[i] and moves the other arguments to the front of @argv.
 * Return: how many other arguments there are, or -1 after a usage error
 * was printed.
 */
int parse_options(const struct command *cmd, struct target *t, int argc,
		  char **argv, const char *const *accept, unsigned int *seen);
/*
 * parse_options_v() - parse_options() where an option of @accept that ends
 * in '=' ("--from=") takes a value, as "--from VALUE" or "--from=VALUE";
 * the value goes to @values[i] (an entry per @accept entry; untouched for
 * options not given). A value is taken as it is, even "-x".
 */
int parse_options_v(const struct command *cmd, struct target *t, int argc,
		    char **argv, const char *const *accept, unsigned int *seen,
		    const char **values);
/*
 * open_target() - open the data device @t names, with O_RDONLY or O_RDWR.
 * Return: 0, or 1 after printing why it failed.
 */
int open_target(const struct command *cmd, const struct target *t,
		int flags, struct cesium **c);

#endif /* CESIUMCTL_H */
