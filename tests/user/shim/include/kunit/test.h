/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim of 6.1's <kunit/test.h>, so that a *_kunit.c suite also
 * runs over the shim under ASan and UBSan (kunit.c is the runner). Same
 * names and semantics: EXPECT failures mark the case failed and go on,
 * ASSERT failures and kunit_skip() end the case, kunit_kmalloc() memory is
 * freed when the case ends. In addition a WARN during a case fails it.
 * Only what 6.1 has: no KUNIT_EXPECT_MEMEQ (6.2).
 */
#ifndef _SHIM_KUNIT_TEST_H
#define _SHIM_KUNIT_TEST_H

#include <setjmp.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

#define KUNIT_STATUS_COMMENT_SIZE 256

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit_shim_res;

struct kunit {
	void *priv;
	/* private: */
	const char *name;
	const void *param_value;
	int param_index;
	enum kunit_status status;
	jmp_buf env;
	struct kunit_shim_res *resources;
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
	/* private: */
	enum kunit_status status;
};

struct kunit_suite {
	const char name[256];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
	/* private: */
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	int suite_init_err;
};

#define KUNIT_PARAM_DESC_SIZE 128
#define KUNIT_CASE(test_name) { .run_case = test_name, .name = #test_name }
#define KUNIT_CASE_PARAM(test_name, gen_params)			\
	{ .run_case = test_name, .name = #test_name,		\
	  .generate_params = gen_params }
#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *__next = prev ?			\
			((typeof(__next))prev) + 1 : (array);		\
		if (__next - (array) < ARRAY_SIZE((array))) {		\
			void (*__get_desc)(typeof(__next), char *) = get_desc; \
			if (__get_desc)					\
				__get_desc(__next, desc);		\
			return __next;					\
		}							\
		return NULL;						\
	}

/* Suites go to a section the runner (kunit.c) walks. */
#define __kunit_test_suites(unique_array, ...)				\
	static struct kunit_suite *unique_array[]			\
	__aligned(sizeof(struct kunit_suite *))				\
	__used __section("cesium_kunit_suites") = { __VA_ARGS__ }
#define kunit_test_suites(__suites...) \
	__kunit_test_suites(__UNIQUE_ID(array), ##__suites)
#define kunit_test_suite(suite) kunit_test_suites(&suite)

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp);
void kunit_kfree(struct kunit *test, const void *ptr);

static inline void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

void kunit_shim_log(struct kunit *test, const char *level, const char *fmt,
		    ...) __printf(3, 4);
void kunit_shim_fail(struct kunit *test, bool assert, const char *file,
		     int line, const char *what, const char *fmt, ...);
void __noreturn kunit_shim_abort(struct kunit *test);

#define kunit_info(test, fmt, ...) kunit_shim_log(test, "", fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...) \
	kunit_shim_log(test, "warning: ", fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...) \
	kunit_shim_log(test, "error: ", fmt, ##__VA_ARGS__)

#define kunit_mark_skipped(test_or_suite, fmt, ...) do {		\
	WRITE_ONCE((test_or_suite)->status, KUNIT_SKIPPED);		\
	scnprintf((test_or_suite)->status_comment,			\
		  KUNIT_STATUS_COMMENT_SIZE, fmt, ##__VA_ARGS__);	\
} while (0)
#define kunit_skip(test_or_suite, fmt, ...) do {			\
	kunit_mark_skipped((test_or_suite), fmt, ##__VA_ARGS__);	\
	kunit_shim_abort(test_or_suite);				\
} while (0)

#define __KUNIT_END(test, assert) do {					\
	if (assert)							\
		kunit_shim_abort(test);					\
} while (0)

#define KUNIT_SUCCEED(test) do { } while (0)
#define KUNIT_FAIL(test, fmt, ...) do {					\
	kunit_shim_fail(test, false, __FILE__, __LINE__, "KUNIT_FAIL",	\
			fmt, ##__VA_ARGS__);				\
} while (0)

#define __KUNIT_UNARY(test, assert, cond, expect, fmt, ...) do {	\
	if (!!(cond) != (expect)) {					\
		kunit_shim_fail(test, assert, __FILE__, __LINE__,	\
				"Expected " #cond " to be " #expect,	\
				fmt, ##__VA_ARGS__);			\
		__KUNIT_END(test, assert);				\
	}								\
} while (0)

#define __KUNIT_INT(test, assert, left, op, right, fmt, ...) do {	\
	typeof(left) __left = (left);					\
	typeof(right) __right = (right);				\
	if (!(__left op __right)) {					\
		char __what[256];					\
		snprintf(__what, sizeof(__what),			\
			 "Expected %s %s %s, but\n\t\t%s == %lld (0x%llx)\n\t\t%s == %lld (0x%llx)", \
			 #left, #op, #right,				\
			 #left, (long long)__left, (unsigned long long)__left, \
			 #right, (long long)__right, (unsigned long long)__right); \
		kunit_shim_fail(test, assert, __FILE__, __LINE__, __what, \
				fmt, ##__VA_ARGS__);			\
		__KUNIT_END(test, assert);				\
	}								\
} while (0)

#define __KUNIT_PTR(test, assert, left, op, right, fmt, ...) do {	\
	const void *__left = (left);					\
	const void *__right = (right);					\
	if (!(__left op __right)) {					\
		char __what[256];					\
		snprintf(__what, sizeof(__what),			\
			 "Expected %s %s %s, but\n\t\t%s == %p\n\t\t%s == %p", \
			 #left, #op, #right, #left, __left, #right, __right); \
		kunit_shim_fail(test, assert, __FILE__, __LINE__, __what, \
				fmt, ##__VA_ARGS__);			\
		__KUNIT_END(test, assert);				\
	}								\
} while (0)

#define __KUNIT_STR(test, assert, left, op, right, fmt, ...) do {	\
	const char *__left = (left);					\
	const char *__right = (right);					\
	if (!(strcmp(__left, __right) op 0)) {				\
		char __what[512];					\
		snprintf(__what, sizeof(__what),			\
			 "Expected %s %s %s, but\n\t\t%s == \"%s\"\n\t\t%s == \"%s\"", \
			 #left, #op, #right, #left, __left, #right, __right); \
		kunit_shim_fail(test, assert, __FILE__, __LINE__, __what, \
				fmt, ##__VA_ARGS__);			\
		__KUNIT_END(test, assert);				\
	}								\
} while (0)

#define __KUNIT_NOT_ERR_OR_NULL(test, assert, ptr, fmt, ...) do {	\
	const void *__ptr = (ptr);					\
	if (IS_ERR_OR_NULL(__ptr)) {					\
		kunit_shim_fail(test, assert, __FILE__, __LINE__,	\
				"Expected " #ptr " is not error or null", \
				fmt, ##__VA_ARGS__);			\
		__KUNIT_END(test, assert);				\
	}								\
} while (0)

#define KUNIT_EXPECT_TRUE(t, c) __KUNIT_UNARY(t, false, c, true, NULL)
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...) \
	__KUNIT_UNARY(t, false, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE(t, c) __KUNIT_UNARY(t, false, c, false, NULL)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...) \
	__KUNIT_UNARY(t, false, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE(t, c) __KUNIT_UNARY(t, true, c, true, NULL)
#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...) \
	__KUNIT_UNARY(t, true, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE(t, c) __KUNIT_UNARY(t, true, c, false, NULL)
#define KUNIT_ASSERT_FALSE_MSG(t, c, fmt, ...) \
	__KUNIT_UNARY(t, true, c, false, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_EQ(t, l, r) __KUNIT_INT(t, false, l, ==, r, NULL)
#define KUNIT_EXPECT_NE(t, l, r) __KUNIT_INT(t, false, l, !=, r, NULL)
#define KUNIT_EXPECT_LT(t, l, r) __KUNIT_INT(t, false, l, <, r, NULL)
#define KUNIT_EXPECT_LE(t, l, r) __KUNIT_INT(t, false, l, <=, r, NULL)
#define KUNIT_EXPECT_GT(t, l, r) __KUNIT_INT(t, false, l, >, r, NULL)
#define KUNIT_EXPECT_GE(t, l, r) __KUNIT_INT(t, false, l, >=, r, NULL)
#define KUNIT_ASSERT_EQ(t, l, r) __KUNIT_INT(t, true, l, ==, r, NULL)
#define KUNIT_ASSERT_NE(t, l, r) __KUNIT_INT(t, true, l, !=, r, NULL)
#define KUNIT_ASSERT_LT(t, l, r) __KUNIT_INT(t, true, l, <, r, NULL)
#define KUNIT_ASSERT_LE(t, l, r) __KUNIT_INT(t, true, l, <=, r, NULL)
#define KUNIT_ASSERT_GT(t, l, r) __KUNIT_INT(t, true, l, >, r, NULL)
#define KUNIT_ASSERT_GE(t, l, r) __KUNIT_INT(t, true, l, >=, r, NULL)
#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, false, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, false, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, false, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, false, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, false, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, false, l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, true, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, true, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, true, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, true, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, true, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, l, r, fmt, ...) \
	__KUNIT_INT(t, true, l, >=, r, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_PTR_EQ(t, l, r) __KUNIT_PTR(t, false, l, ==, r, NULL)
#define KUNIT_EXPECT_PTR_NE(t, l, r) __KUNIT_PTR(t, false, l, !=, r, NULL)
#define KUNIT_ASSERT_PTR_EQ(t, l, r) __KUNIT_PTR(t, true, l, ==, r, NULL)
#define KUNIT_ASSERT_PTR_NE(t, l, r) __KUNIT_PTR(t, true, l, !=, r, NULL)
#define KUNIT_EXPECT_NULL(t, p) __KUNIT_PTR(t, false, p, ==, NULL, NULL)
#define KUNIT_EXPECT_NOT_NULL(t, p) __KUNIT_PTR(t, false, p, !=, NULL, NULL)
#define KUNIT_ASSERT_NULL(t, p) __KUNIT_PTR(t, true, p, ==, NULL, NULL)
#define KUNIT_ASSERT_NOT_NULL(t, p) __KUNIT_PTR(t, true, p, !=, NULL, NULL)
#define KUNIT_EXPECT_STREQ(t, l, r) __KUNIT_STR(t, false, l, ==, r, NULL)
#define KUNIT_EXPECT_STRNEQ(t, l, r) __KUNIT_STR(t, false, l, !=, r, NULL)
#define KUNIT_ASSERT_STREQ(t, l, r) __KUNIT_STR(t, true, l, ==, r, NULL)
#define KUNIT_ASSERT_STRNEQ(t, l, r) __KUNIT_STR(t, true, l, !=, r, NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p) \
	__KUNIT_NOT_ERR_OR_NULL(t, false, p, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p) \
	__KUNIT_NOT_ERR_OR_NULL(t, true, p, NULL)

#endif
