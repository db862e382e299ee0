// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * cesiumctl's line format, shared by scan, dump and load (DESIGN.md):
 * "KEY<TAB>VALUE<LF>", each side escaped so that any bytes fit on one
 * line: a backslash is written \\, a tab \t, a line feed \n, any other
 * byte below 0x20 or above 0x7e \xNN (two lowercase hex digits; load
 * takes either case). Other bytes stand for themselves. For --json the
 * escaped text goes inside a JSON string, with its backslashes doubled
 * and '"' written \" as JSON wants: a JSON parser gives back the escaped
 * text, which load-style unescaping turns into the bytes.
 */
#include <stdio.h>
#include <string.h>
#include "cesiumctl.h"

void esc_write(FILE *f, const void *p, size_t len, int json)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = p;
	const char *bs = json ? "\\\\" : "\\";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char ch = b[i];

		if (ch == '\\') {
			fputs(bs, f);
			fputs(bs, f);
		} else if (ch == '\t') {
			fputs(bs, f);
			putc('t', f);
		} else if (ch == '\n') {
			fputs(bs, f);
			putc('n', f);
		} else if (ch < 0x20 || ch > 0x7e) {
			fputs(bs, f);
			putc('x', f);
			putc(hex[ch >> 4], f);
			putc(hex[ch & 15], f);
		} else if (ch == '"' && json) {
			fputs("\\\"", f);
		} else {
			putc(ch, f);
		}
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Undo esc_write() (line form) on @len bytes at @s, in place. A raw tab
 * is refused (the line format never holds one inside a field).
 */
static int unesc(char *s, size_t len, size_t *out_len, const char **why)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '\t') {
			*why = "a second tab: write a tab inside a value as \\t";
			return -1;
		}
		if (s[i] != '\\') {
			s[o++] = s[i];
			continue;
		}
		if (++i == len) {
			*why = "a lone backslash at the end: write \\\\";
			return -1;
		}
		switch (s[i]) {
		case '\\':
			s[o++] = '\\';
			break;
		case 't':
			s[o++] = '\t';
			break;
		case 'n':
			s[o++] = '\n';
			break;
		case 'x':
			hi = i + 1 < len ? hexval(s[i + 1]) : -1;
			lo = i + 2 < len ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				*why = "\\x needs two hex digits";
				return -1;
			}
			s[o++] = (char)(hi << 4 | lo);
			i += 2;
			break;
		default:
			*why = "unknown escape: only \\\\, \\t, \\n and \\xNN";
			return -1;
		}
	}
	*out_len = o;
	return 0;
}

int parse_line(char *line, size_t len, struct kv_line *kv, const char **why)
{
	char *tab;

	if (len && line[len - 1] == '\n')
		len--;
	tab = memchr(line, '\t', len);
	if (!tab) {
		*why = "no tab between key and value";
		return -1;
	}
	kv->key = line;
	kv->value = tab + 1;
	if (unesc(kv->key, (size_t)(tab - line), &kv->key_len, why) ||
	    unesc(kv->value, len - (size_t)(tab + 1 - line), &kv->value_len,
		  why))
		return -1;
	if (!kv->key_len) {
		*why = "empty key";
		return -1;
	}
	return 0;
}
