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
 * takes ("--force"; none takes a value); -d DEVICE and -n NS are taken when
 * cmd->data is set. A data command's options end at its first other
 * argument, so that a KEY or VALUE may start with '-'; a control command's
 * may come anywhere. "--" ends them in both. Sets bit i of *@seen for
 * @accept[i] and moves the other arguments to the front of @argv.
 * Return: how many other arguments there are, or -1 after a usage error
 * was printed.
 */
int parse_options(const struct command *cmd, struct target *t, int argc,
		  char **argv, const char *const *accept, unsigned int *seen);
/*
 * open_target() - open the data device @t names, with O_RDONLY or O_RDWR.
 * Return: 0, or 1 after printing why it failed.
 */
int open_target(const struct command *cmd, const struct target *t,
		int flags, struct cesium **c);

#endif /* CESIUMCTL_H */
