// SPDX-License-Identifier: GPL-2.0
/*
 * The user-space KUnit runner (see include/kunit/test.h): runs every suite
 * linked in, prints KTAP like the kernel's executor, and a PASS:/FAIL: line.
 * A case also fails on a WARN, and the program on a leak at the end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kunit/test.h>

#include "shim.h"

struct kunit_shim_res {
	struct kunit_shim_res *next;
	void *ptr;
};

extern struct kunit_suite *__start_cesium_kunit_suites[];
extern struct kunit_suite *__stop_cesium_kunit_suites[];

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp)
{
	struct kunit_shim_res *res;
	void *p = kmalloc_array(n, size, gfp);

	if (!p)
		return NULL;
	res = malloc(sizeof(*res));
	if (!res)
		abort();
	res->ptr = p;
	res->next = test->resources;
	test->resources = res;
	return p;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct kunit_shim_res **pp, *res;

	for (pp = &test->resources; (res = *pp); pp = &res->next) {
		if (res->ptr == ptr) {
			*pp = res->next;
			kfree(res->ptr);
			free(res);
			return;
		}
	}
	KUNIT_FAIL(test, "kunit_kfree() of %p, not a test allocation", ptr);
}

static void kunit_shim_release(struct kunit *test)
{
	struct kunit_shim_res *res;

	while ((res = test->resources)) {
		test->resources = res->next;
		kfree(res->ptr);
		free(res);
	}
}

void kunit_shim_log(struct kunit *test, const char *level, const char *fmt,
		    ...)
{
	va_list ap;

	printf("        # %s: %s", test->name, level);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (fmt[0] && fmt[strlen(fmt) - 1] != '\n')
		putchar('\n');
}

void kunit_shim_fail(struct kunit *test, bool assert, const char *file,
		     int line, const char *what, const char *fmt, ...)
{
	va_list ap;

	test->status = KUNIT_FAILURE;
	printf("        # %s: %s failed at %s:%d\n        %s\n", test->name,
	       assert ? "ASSERTION" : "EXPECTATION", file, line, what);
	if (fmt) {
		printf("        ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
}

void kunit_shim_abort(struct kunit *test)
{
	longjmp(test->env, 1);
}

/* One run of a case (one parameter value); false when it failed. */
static enum kunit_status run_one(struct kunit_suite *suite,
				 struct kunit_case *c, struct kunit *test)
{
	unsigned long warns = shim_warnings();

	test->status = KUNIT_SUCCESS;
	if (!setjmp(test->env)) {
		if (suite->init && suite->init(test)) {
			KUNIT_FAIL(test, "suite init failed");
		} else {
			c->run_case(test);
			if (suite->exit)
				suite->exit(test);
		}
	} else if (suite->exit) {
		suite->exit(test);
	}
	kunit_shim_release(test);
	if (shim_warnings() != warns && test->status != KUNIT_FAILURE) {
		printf("        # %s: a WARN fired\n", test->name);
		test->status = KUNIT_FAILURE;
	}
	return test->status;
}

static int run_suite(struct kunit_suite *suite, int nr)
{
	struct kunit_case *c;
	int cases = 0, failed = 0, i;

	for (c = suite->test_cases; c->run_case; c++)
		cases++;
	printf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n",
	       suite->name, cases);
	if (suite->suite_init && suite->suite_init(suite)) {
		printf("not ok %d %s # suite_init failed\n", nr, suite->name);
		return 1;
	}
	for (i = 1, c = suite->test_cases; c->run_case; c++, i++) {
		struct kunit test = { .name = c->name };
		char desc[KUNIT_PARAM_DESC_SIZE];
		const void *param;
		int n = 0;

		if (!c->generate_params) {
			c->status = run_one(suite, c, &test);
		} else {
			c->status = KUNIT_SUCCESS;
			desc[0] = 0;
			for (param = c->generate_params(NULL, desc); param;
			     param = c->generate_params(param, desc)) {
				test.param_value = param;
				test.param_index = n++;
				if (run_one(suite, c, &test) == KUNIT_FAILURE)
					c->status = KUNIT_FAILURE;
				desc[0] = 0;
			}
		}
		if (c->status == KUNIT_SKIPPED)
			printf("    ok %d %s # SKIP %s\n", i, c->name,
			       test.status_comment);
		else
			printf("    %s %d %s\n",
			       c->status == KUNIT_FAILURE ? "not ok" : "ok", i,
			       c->name);
		failed += c->status == KUNIT_FAILURE;
	}
	if (suite->suite_exit)
		suite->suite_exit(suite);
	printf("%s %d %s\n", failed ? "not ok" : "ok", nr, suite->name);
	return failed;
}

int main(int argc, char **argv)
{
	struct kunit_suite **s;
	int nr = 0, failed = 0;
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 :
			   argv[0];

	printf("KTAP version 1\n1..%d\n",
	       (int)(__stop_cesium_kunit_suites - __start_cesium_kunit_suites));
	for (s = __start_cesium_kunit_suites; s < __stop_cesium_kunit_suites;
	     s++)
		failed += run_suite(*s, ++nr);
	if (shim_done())
		failed++;
	if (failed)
		printf("FAIL: user/%s: %d failed\n", name, failed);
	else
		printf("PASS: user/%s (%d suites)\n", name, nr);
	return failed ? 1 : 0;
}
