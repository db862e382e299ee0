/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * A few checks for libcesium-user's unit tests. A failed check prints
 * where and what on stderr and the test goes on; test_end() prints the
 * verdict "PASS: user/<name>" or "FAIL: user/<name>: <first failure>" on
 * stdout and returns the exit status (0 pass, 1 fail; 77 is skip).
 */
#ifndef CESIUM_TEST_H
#define CESIUM_TEST_H

#include <stdio.h>
#include <string.h>

#define TEST_SKIP	77

static int test_failures;
static char test_first[1024];

static inline void test_failed(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	if (!test_failures++)
		snprintf(test_first, sizeof(test_first), "%.200s:%d: %.700s", file,
			 line, what);
}

static inline void test_check(int ok, const char *what, const char *file,
			      int line)
{
	if (!ok)
		test_failed(file, line, what);
}

static inline void test_check_int(long long a, long long b, const char *as,
				  const char *bs, const char *file, int line)
{
	char what[256];

	if (a == b)
		return;
	snprintf(what, sizeof(what), "%s == %s (%lld != %lld)", as, bs, a, b);
	test_failed(file, line, what);
}

/* CHECK(cond); CHECK_INT(got, want) prints both values when they differ. */
#define CHECK(cond)		test_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_INT(a, b)		test_check_int((long long)(a), (long long)(b), \
					       #a, #b, __FILE__, __LINE__)

static inline int test_end(const char *name)
{
	fflush(stderr);
	if (test_failures) {
		printf("FAIL: user/%s: %s (%d failed checks)\n", name,
		       test_first, test_failures);
		return 1;
	}
	printf("PASS: user/%s\n", name);
	return 0;
}

#endif /* CESIUM_TEST_H */
