// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * cesiumctl's line format (tools/cesiumctl/escape.c, compiled in): every
 * byte value escapes to printable ASCII without tab or line feed and comes
 * back; the exact escapes; the JSON form is valid JSON string content that
 * decodes to the line form; malformed lines are refused with the reason.
 */
#include <stdlib.h>
#include "cesiumctl.h"
#include "test.h"

/* esc_write() into a string; returns its length. */
static size_t esc(char *out, size_t size, const void *p, size_t len, int json)
{
	FILE *f = fmemopen(out, size, "w");
	long n;

	if (!f)
		abort();
	esc_write(f, p, len, json);
	n = ftell(f);
	fclose(f);
	if (n < 0 || (size_t)n >= size)
		abort();
	out[n] = '\0';
	return (size_t)n;
}

static void check_esc(const char *in, size_t len, const char *want, int json,
		      int line)
{
	char out[64], what[160];

	esc(out, sizeof(out), in, len, json);
	if (strcmp(out, want)) {
		snprintf(what, sizeof(what), "escape gave \"%s\", want \"%s\"",
			 out, want);
		test_failed(__FILE__, line, what);
	}
}

/* parse_line() of @line fails with a reason containing @why. */
static void check_bad(const char *line, const char *why, int lineno)
{
	char buf[128], what[200];
	struct kv_line kv;
	const char *got = NULL;

	snprintf(buf, sizeof(buf), "%s", line);
	if (parse_line(buf, strlen(buf), &kv, &got) == 0 || !got ||
	    !strstr(got, why)) {
		snprintf(what, sizeof(what), "\"%s\": reason \"%s\", want \"%s\"",
			 line, got ? got : "(accepted)", why);
		test_failed(__FILE__, lineno, what);
	}
}

/* A JSON string's content, decoded (only what esc_write() produces). */
static int json_decode(const char *s, char *out)
{
	for (; *s; s++) {
		if (*s == '"' || (unsigned char)*s < 0x20)
			return -1;	/* not valid inside a JSON string */
		if (*s == '\\') {
			s++;
			if (*s != '\\' && *s != '"')
				return -1;
		}
		*out++ = *s;
	}
	*out = '\0';
	return 0;
}

int main(void)
{
	unsigned char bytes[256], rev[256];
	static char line[4096], json[4096], decoded[4096], again[4096];
	struct kv_line kv;
	const char *why = NULL;
	size_t n, i;
	int ch, ok;

	/* All 256 byte values as key and value, one line, and back. */
	for (i = 0; i < 256; i++) {
		bytes[i] = (unsigned char)i;
		rev[i] = (unsigned char)(255 - i);
	}
	n = esc(line, sizeof(line), bytes, 256, 0);
	line[n++] = '\t';
	n += esc(line + n, sizeof(line) - n, rev, 256, 0);
	ok = 1;
	for (i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] > 0x7e)
			ok = line[i] == '\t' && i == n - esc(again, sizeof(again),
							      rev, 256, 0) - 1;
	CHECK(ok);
	CHECK(!memchr(line, '\n', n));
	line[n++] = '\n';
	CHECK_INT(parse_line(line, n, &kv, &why), 0);
	CHECK_INT(kv.key_len, 256);
	CHECK_INT(kv.value_len, 256);
	CHECK(kv.key_len == 256 && !memcmp(kv.key, bytes, 256));
	CHECK(kv.value_len == 256 && !memcmp(kv.value, rev, 256));
	/* Each byte alone, as a one-byte key, with and without the LF. */
	for (ch = 0; ch < 256; ch++) {
		unsigned char b = (unsigned char)ch;

		n = esc(line, sizeof(line), &b, 1, 0);
		CHECK(n == 1 || n == 2 || n == 4);
		memcpy(line + n, "\tv", 3);
		if (parse_line(line, n + 2, &kv, &why) || kv.key_len != 1 ||
		    (unsigned char)kv.key[0] != b || kv.value_len != 1) {
			snprintf(again, sizeof(again), "byte 0x%02x", ch);
			test_failed(__FILE__, __LINE__, again);
		}
	}
	/* The escapes themselves. */
	check_esc("a\\b", 3, "a\\\\b", 0, __LINE__);
	check_esc("\t\n", 2, "\\t\\n", 0, __LINE__);
	check_esc("\0\x1f\x7f\x80\xff", 5, "\\x00\\x1f\\x7f\\x80\\xff", 0,
		  __LINE__);
	check_esc(" ~\"'", 4, " ~\"'", 0, __LINE__);
	check_esc("", 0, "", 0, __LINE__);
	check_esc("q\"\\\t\x01", 5, "q\\\"\\\\\\\\\\\\t\\\\x01", 1, __LINE__);
	/* JSON: valid string content that decodes to the line form. */
	n = esc(line, sizeof(line), bytes, 256, 0);
	esc(json, sizeof(json), bytes, 256, 1);
	CHECK_INT(json_decode(json, decoded), 0);
	CHECK(!strcmp(decoded, line));
	/* What load also takes: upper-case hex, raw bytes, no LF at the end. */
	snprintf(line, sizeof(line), "\\xAB\\xcD\xc3\xa9\t\\x0a");
	CHECK_INT(parse_line(line, strlen(line), &kv, &why), 0);
	CHECK(kv.key_len == 4 && !memcmp(kv.key, "\xab\xcd\xc3\xa9", 4));
	CHECK(kv.value_len == 1 && kv.value[0] == '\n');
	snprintf(line, sizeof(line), "k\t\n");
	CHECK_INT(parse_line(line, strlen(line), &kv, &why), 0);
	CHECK_INT(kv.value_len, 0);
	/* Malformed lines. */
	check_bad("no tab here\n", "no tab", __LINE__);
	check_bad("\n", "no tab", __LINE__);
	check_bad("", "no tab", __LINE__);
	check_bad("\tvalue\n", "empty key", __LINE__);
	check_bad("k\\q\tv\n", "unknown escape", __LINE__);
	check_bad("k\tv\\r\n", "unknown escape", __LINE__);
	check_bad("k\\x4\tv\n", "two hex digits", __LINE__);
	check_bad("k\tv\\x4\n", "two hex digits", __LINE__);
	check_bad("k\tv\\x\n", "two hex digits", __LINE__);
	check_bad("k\\xg0\tv\n", "two hex digits", __LINE__);
	check_bad("k\\\tv\n", "lone backslash", __LINE__);
	check_bad("k\tv\\\n", "lone backslash", __LINE__);
	check_bad("k\tv\tw\n", "second tab", __LINE__);
	return test_end("lib-escape");
}
