/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Run a program for a test and keep its exit status, stdout and stderr.
 */
#ifndef CESIUM_TEST_SPAWN_H
#define CESIUM_TEST_SPAWN_H

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test.h"

extern char **environ;

struct spawn_result {
	int status;		/* exit status, or -1 */
	char out[16384];	/* NUL-terminated, but may hold NULs: */
	size_t out_len;		/* bytes in out */
	char err[8192];
};

static inline size_t spawn_slurp(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while (got + 1 < size && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fd);
	return got;
}

/*
 * spawn_in() - run @argv (NULL-terminated; argv[0] is the path) with stdin
 * from the file @in, in this environment less CESIUM_DEVICE and LD_PRELOAD,
 * plus @extra_env ("NAME=value" strings, NULL-terminated, may be NULL).
 */
static inline void spawn_in(struct spawn_result *r, char *const *argv,
			    char *const *extra_env, const char *in)
{
	char out_name[] = "/tmp/cesium-test-out.XXXXXX";
	char err_name[] = "/tmp/cesium-test-err.XXXXXX";
	posix_spawn_file_actions_t fa;
	char *envp[256];
	int out, err, e = 0, status;
	pid_t pid;

	for (char **v = environ; *v && e < 240; v++)
		if (strncmp(*v, "CESIUM_DEVICE=", 14) &&
		    strncmp(*v, "LD_PRELOAD=", 11))
			envp[e++] = *v;
	while (extra_env && *extra_env && e < 255)
		envp[e++] = *extra_env++;
	envp[e] = NULL;

	r->status = -1;
	r->out[0] = r->err[0] = '\0';
	r->out_len = 0;
	out = mkstemp(out_name);
	err = mkstemp(err_name);
	if (out < 0 || err < 0) {
		test_failed(__FILE__, __LINE__, "mkstemp");
		return;
	}
	unlink(out_name);
	unlink(err_name);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_adddup2(&fa, err, 2);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, envp))
		test_failed(__FILE__, __LINE__, "posix_spawn");
	else if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	posix_spawn_file_actions_destroy(&fa);
	r->out_len = spawn_slurp(out, r->out, sizeof(r->out));
	spawn_slurp(err, r->err, sizeof(r->err));
}

/* spawn() - spawn_in() with stdin from /dev/null. */
static inline void spawn(struct spawn_result *r, char *const *argv,
			 char *const *extra_env)
{
	spawn_in(r, argv, extra_env, "/dev/null");
}

#endif /* CESIUM_TEST_SPAWN_H */
