// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * cesiumctl's commands on many keys: scan, dump, load; and sync. scan and
 * dump print the line format of escape.c, which load reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cesiumctl.h"

/* scan's options; bit i of "seen" stands for scan_options[i]. */
static const char *const scan_options[] = {
	"--from=", "--to=", "--limit=", "--reverse", "--keys-only", "--json",
	NULL
};
enum { OPT_FROM, OPT_TO, OPT_LIMIT, OPT_REVERSE, OPT_KEYS_ONLY, OPT_JSON };

struct scan_args {
	const char *from, *to;
	uint64_t limit;		/* UINT64_MAX: none */
	int reverse, keys_only, json;
};

static void print_record(const struct scan_args *a, const void *k, size_t kl,
			 const void *v, size_t vl)
{
	if (a->json) {
		fputs("{\"key\":\"", stdout);
		esc_write(stdout, k, kl, 1);
		if (!a->keys_only) {
			fputs("\",\"value\":\"", stdout);
			esc_write(stdout, v, vl, 1);
		}
		fputs("\"}\n", stdout);
		return;
	}
	esc_write(stdout, k, kl, 0);
	if (!a->keys_only) {
		putchar('\t');
		esc_write(stdout, v, vl, 0);
	}
	putchar('\n');
}

static int flush_stdout(const struct command *cmd)
{
	if (fflush(stdout) || ferror(stdout))
		return fail(cmd, NULL, "writing standard output: %s",
			    strerror(errno));
	return 0;
}

/* Walk the range with the library's iterator and print it. */
static int do_scan(const struct command *cmd, const struct target *t,
		   const struct scan_args *a)
{
	struct cesium_iter *it;
	struct cesium *c;
	const void *k, *v;
	size_t kl, vl;
	uint64_t n = 0;
	int ret;

	if (open_target(cmd, t, O_RDONLY, &c))
		return 1;
	ret = cesium_iter_open(c, t->ns, a->from, a->from ? strlen(a->from) : 0,
			       a->to, a->to ? strlen(a->to) : 0,
			       a->keys_only ? CESIUM_SCAN_KEYS_ONLY : 0, &it);
	if (ret) {
		cesium_close(c);
		return fail(cmd, t->device, "%s", strerror(-ret));
	}
	if (a->limit)
		ret = a->reverse ? cesium_iter_seek_for_prev(it, NULL, 0) :
				   cesium_iter_seek(it, NULL, 0);
	else
		ret = 0;
	while (ret == 1) {
		k = cesium_iter_key(it, &kl);
		v = cesium_iter_value(it, &vl);
		print_record(a, k, kl, v, vl);
		if (++n == a->limit)
			break;
		ret = a->reverse ? cesium_iter_prev(it) : cesium_iter_next(it);
	}
	cesium_iter_close(it);
	cesium_close(c);
	if (ret < 0) {
		/* What was printed stands; say why the rest is missing. */
		fflush(stdout);
		return fail(cmd, t->device, "after %llu records: %s",
			    (unsigned long long)n,
			    ret == -EUCLEAN ? EUCLEAN_WHY :
			    strerror(-ret));
	}
	return flush_stdout(cmd);
}

/* A count: decimal digits only, in range. */
static int parse_count(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

int cmd_scan(const struct command *cmd, struct target *t, int argc,
	     char **argv)
{
	const char *values[ARRAY_SIZE(scan_options)] = { NULL };
	struct scan_args a = { .limit = UINT64_MAX };
	unsigned int seen;
	int n;

	n = parse_options_v(cmd, t, argc, argv, scan_options, &seen, values);
	if (n < 0)
		return EXIT_USAGE;
	if (n)
		return usage_error(cmd, "unexpected argument %s",
				   escaped(argv[0]));
	a.from = values[OPT_FROM] && *values[OPT_FROM] ? values[OPT_FROM] :
		 NULL;
	a.to = values[OPT_TO] && *values[OPT_TO] ? values[OPT_TO] : NULL;
	if (values[OPT_LIMIT] && parse_count(values[OPT_LIMIT], &a.limit))
		return usage_error(cmd, "--limit %s: not a count of records",
				   escaped(values[OPT_LIMIT]));
	if ((a.from && strlen(a.from) > CESIUM_MAX_KEY_LEN) ||
	    (a.to && strlen(a.to) > CESIUM_MAX_KEY_LEN))
		return usage_error(cmd, "--from and --to keys are 1 to %u bytes",
				   CESIUM_MAX_KEY_LEN);
	a.reverse = !!(seen & (1U << OPT_REVERSE));
	a.keys_only = !!(seen & (1U << OPT_KEYS_ONLY));
	a.json = !!(seen & (1U << OPT_JSON));
	return do_scan(cmd, t, &a);
}

int cmd_dump(const struct command *cmd, struct target *t, int argc,
	     char **argv)
{
	struct scan_args a = { .limit = UINT64_MAX };
	unsigned int seen;
	int n;

	n = parse_options(cmd, t, argc, argv, NULL, &seen);
	if (n < 0)
		return EXIT_USAGE;
	if (n)
		return usage_error(cmd, "unexpected argument %s",
				   escaped(argv[0]));
	return do_scan(cmd, t, &a);
}

/*
 * The start of a command that takes no argument: parse the options, open
 * the device read-only. Returns 0 with *c open, or the exit status.
 */
static int open_no_args(const struct command *cmd, struct target *t, int argc,
			char **argv, struct cesium **c)
{
	unsigned int seen;
	int n;

	n = parse_options(cmd, t, argc, argv, NULL, &seen);
	if (n < 0)
		return EXIT_USAGE;
	if (n)
		return usage_error(cmd, "unexpected argument %s",
				   escaped(argv[0]));
	return open_target(cmd, t, O_RDONLY, c) ? 1 : 0;
}

int cmd_sync(const struct command *cmd, struct target *t, int argc,
	     char **argv)
{
	struct cesium *c;
	int ret;

	ret = open_no_args(cmd, t, argc, argv, &c);
	if (ret)
		return ret;
	ret = cesium_sync(c);
	cesium_close(c);
	if (ret)
		return fail(cmd, t->device, "%s",
			    ret == -EROFS ? "device is read-only (see cesiumctl info)" :
			    strerror(-ret));
	return 0;
}

/* namespaces: the ids of the namespaces that hold keys, one per line. */
int cmd_namespaces(const struct command *cmd, struct target *t, int argc,
		   char **argv)
{
	uint64_t *ids = NULL;
	size_t count = 0, i;
	struct cesium *c;
	int ret;

	ret = open_no_args(cmd, t, argc, argv, &c);
	if (ret)
		return ret;
	/* Count, then fetch; more may appear in between: ask again. */
	do {
		ret = cesium_namespaces(c, NULL, 0, &count);
		if (ret < 0 && ret != -EOVERFLOW)
			break;
		free(ids);
		ids = calloc(count ? count : 1, sizeof(*ids));
		if (!ids) {
			ret = -ENOMEM;
			break;
		}
		ret = cesium_namespaces(c, ids, count, &count);
	} while (ret == -EOVERFLOW);
	cesium_close(c);
	if (ret < 0) {
		free(ids);
		return fail(cmd, t->device, "%s", strerror(-ret));
	}
	for (i = 0; i < (size_t)ret; i++)
		printf("%llu\n", (unsigned long long)ids[i]);
	free(ids);
	return 0;
}

/* check: verify the whole log, with a progress bar on a terminal. */
int cmd_check(const struct command *cmd, struct target *t, int argc,
	      char **argv)
{
	struct cesium_check_result res;
	unsigned long long total = 0, batches = 0, found = 0, used = 0;
	unsigned long long lost = 0;
	uint64_t damaged[16], first[16], off = 0;
	struct cesium_info info;
	int tty = isatty(STDERR_FILENO);
	struct cesium *c;
	size_t nfirst = 0, i;
	int ret;

	ret = open_no_args(cmd, t, argc, argv, &c);
	if (ret)
		return ret;
	/* The log is a circle: progress is bytes checked of bytes in use. */
	if (cesium_info(c, &info) == 0)
		used = info.used_bytes;
	do {
		ret = cesium_check(c, off, 4 << 20, damaged, 16, &res);
		if (ret < 0)
			break;
		/* The first call names the lost checkpoint segments first. */
		if (!off)
			lost = res.lost_segments;
		for (i = 0; i < (size_t)ret && i < 16 && nfirst < 16; i++)
			first[nfirst++] = damaged[i];
		found += res.damaged;
		batches += res.batches;
		total += res.checked_bytes;
		off = res.next_offset;
		if (tty && used) {
			int pct = (int)(total >= used ? 100 : total * 100 / used);

			fprintf(stderr, "\r\033[Kcesiumctl: check [%-40.*s] %3d%%",
				pct * 40 / 100,
				"########################################", pct);
		}
	} while (off != res.end_offset && res.checked_bytes);
	cesium_close(c);
	if (tty)
		fputs("\r\033[K", stderr);
	if (ret < 0)
		return fail(cmd, t->device, "%s", strerror(-ret));
	printf("checked %llu bytes of log in %llu sound batches: %llu damaged\n",
	       total, batches, found - lost);
	for (i = 0; i < nfirst; i++)
		printf("damaged: %s at byte %llu\n",
		       i < lost ? "checkpoint segment" : "log batch",
		       (unsigned long long)first[i]);
	if (lost)
		printf("keys of the damaged checkpoint segments are lost until acknowledged: see lost_ranges in /sys/class/cesium/cesiumN/\n");
	if (lost && found > lost)
		return fail(cmd, t->device,
			    "%llu damaged checkpoint %s, %llu damaged log %s",
			    lost, lost == 1 ? "segment" : "segments",
			    found - lost, found - lost == 1 ? "batch" : "batches");
	if (lost)
		return fail(cmd, t->device, "%llu damaged checkpoint %s", lost,
			    lost == 1 ? "segment" : "segments");
	if (found)
		return fail(cmd, t->device, "%llu damaged log %s", found,
			    found == 1 ? "batch" : "batches");
	return 0;
}

/* ---- load ---------------------------------------------------------------- */

/* One BATCH: at most this many records and bytes of keys and values. */
#define LOAD_BATCH_OPS		256
#define LOAD_BATCH_BYTES	(512U << 10)

struct loader {
	const struct command *cmd;
	const struct target *t;
	struct cesium *c;
	const char *name;	/* FILE as given, for messages */
	FILE *in;
	off_t in_size;		/* of a regular file, else 0 */
	int tty;		/* progress on stderr */
	int progress_shown;
	struct timespec last;

	struct cesium_batch_op ops[LOAD_BATCH_OPS];
	size_t key_off[LOAD_BATCH_OPS], value_off[LOAD_BATCH_OPS];
	unsigned long long line_of[LOAD_BATCH_OPS];
	size_t nr;
	char *arena;		/* the batch's keys and values */
	size_t arena_len, arena_cap;

	unsigned long long loaded, bytes;
};

static void progress(struct loader *l, int last)
{
	struct timespec now;
	double ms;
	off_t pos;

	if (!l->tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - l->last.tv_sec) * 1e3 +
	     (double)(now.tv_nsec - l->last.tv_nsec) / 1e6;
	if (!last && l->progress_shown && ms < 100)
		return;
	l->last = now;
	l->progress_shown = 1;
	fprintf(stderr, "\r\033[Kcesiumctl: load %s: ", l->name);
	pos = l->in_size ? ftello(l->in) : -1;
	if (l->in_size && pos >= 0)
		fprintf(stderr, "%3d%% ", (int)(pos * 100 / l->in_size));
	fprintf(stderr, "%llu records, %llu bytes%s", l->loaded, l->bytes,
		last ? "\n" : "");
}

/* Clear the progress line, so that an error is the one line left. */
static void progress_clear(struct loader *l)
{
	if (l->tty && l->progress_shown)
		fputs("\r\033[K", stderr);
	l->progress_shown = 0;
}

static int load_fail_key(struct loader *l, unsigned long long line,
			 const char *key, size_t key_len, size_t value_len,
			 int err)
{
	char shown[64] = "";
	FILE *f;

	progress_clear(l);
	/* The key, escaped and cut short: the message stays one line. */
	f = fmemopen(shown, sizeof(shown) - 4, "w");
	if (f) {
		esc_write(f, key, key_len < 32 ? key_len : 32, 0);
		fclose(f);
	}
	if (key_len > 32)
		strcat(shown, "...");
	return fail(l->cmd, l->name, "line %llu: key %s: %s (%llu records "
		    "loaded before it)", line, shown,
		    kv_why(l->c, err, 0, key_len, value_len), l->loaded);
}

static int flush_batch(struct loader *l)
{
	size_t i;
	int ret;

	if (!l->nr)
		return 0;
	for (i = 0; i < l->nr; i++) {
		l->ops[i].key_ptr = (uintptr_t)(l->arena + l->key_off[i]);
		l->ops[i].value_ptr = l->ops[i].value_len ?
				      (uintptr_t)(l->arena + l->value_off[i]) : 0;
	}
	ret = cesium_batch(l->c, l->ops, l->nr, 0);
	if (ret) {
		for (i = 0; i < l->nr; i++)
			if (l->ops[i].result && l->ops[i].result != -ECANCELED)
				return load_fail_key(l, l->line_of[i],
						     l->arena + l->key_off[i],
						     l->ops[i].key_len,
						     l->ops[i].value_len,
						     l->ops[i].result);
		progress_clear(l);
		return fail(l->cmd, l->name, "lines %llu to %llu: %s (%llu "
			    "records loaded before them)", l->line_of[0],
			    l->line_of[l->nr - 1], strerror(-ret), l->loaded);
	}
	for (i = 0; i < l->nr; i++)
		l->bytes += l->ops[i].key_len + l->ops[i].value_len;
	l->loaded += l->nr;
	l->nr = 0;
	l->arena_len = 0;
	progress(l, 0);
	return 0;
}

static int arena_add(struct loader *l, const char *p, size_t len,
		     size_t *off)
{
	char *bigger;
	size_t cap;

	if (l->arena_len + len > l->arena_cap) {
		cap = l->arena_cap ? l->arena_cap : 65536;
		while (cap < l->arena_len + len)
			cap *= 2;
		bigger = realloc(l->arena, cap);
		if (!bigger)
			return -ENOMEM;
		l->arena = bigger;
		l->arena_cap = cap;
	}
	memcpy(l->arena + l->arena_len, p, len);
	*off = l->arena_len;
	l->arena_len += len;
	return 0;
}

static int load_record(struct loader *l, unsigned long long line,
		       const struct kv_line *kv)
{
	size_t len = kv->key_len + kv->value_len;
	int ret;

	/* Too big to share a batch: on its own, after what came before. */
	if (len > LOAD_BATCH_BYTES) {
		ret = flush_batch(l);
		if (ret)
			return ret;
		ret = cesium_put(l->c, l->t->ns, kv->key, kv->key_len,
				 kv->value, kv->value_len, 0);
		if (ret)
			return load_fail_key(l, line, kv->key, kv->key_len,
					     kv->value_len, ret);
		l->loaded++;
		l->bytes += len;
		progress(l, 0);
		return 0;
	}
	if (l->nr == LOAD_BATCH_OPS || l->arena_len + len > LOAD_BATCH_BYTES) {
		ret = flush_batch(l);
		if (ret)
			return ret;
	}
	if (arena_add(l, kv->key, kv->key_len, &l->key_off[l->nr]) ||
	    arena_add(l, kv->value, kv->value_len, &l->value_off[l->nr])) {
		progress_clear(l);
		return fail(l->cmd, l->name, "%s", strerror(ENOMEM));
	}
	/* The pointers are set at flush time: the arena may move. */
	cesium_batch_op_put(&l->ops[l->nr], l->t->ns, NULL, kv->key_len, NULL,
			    kv->value_len, 0);
	l->line_of[l->nr] = line;
	l->nr++;
	return 0;
}

static int load_all(struct loader *l)
{
	unsigned long long lineno = 0;
	struct kv_line kv;
	const char *why;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	while ((len = getline(&line, &cap, l->in)) > 0) {
		lineno++;
		if (parse_line(line, (size_t)len, &kv, &why)) {
			progress_clear(l);
			ret = fail(l->cmd, l->name, "line %llu: %s (%llu "
				   "records loaded before it)", lineno, why,
				   l->loaded);
			break;
		}
		ret = load_record(l, lineno, &kv);
		if (ret)
			break;
	}
	if (!ret && ferror(l->in)) {
		progress_clear(l);
		ret = fail(l->cmd, l->name, "reading: %s (%llu records "
			   "loaded)", strerror(errno), l->loaded);
	}
	if (!ret)
		ret = flush_batch(l);
	if (!ret)
		progress(l, 1);
	free(line);
	return ret;
}

int cmd_load(const struct command *cmd, struct target *t, int argc,
	     char **argv)
{
	struct loader *l;
	struct stat st;
	unsigned int seen;
	int n, ret;

	n = parse_options(cmd, t, argc, argv, NULL, &seen);
	if (n < 0)
		return EXIT_USAGE;
	if (!n)
		return usage_error(cmd, "missing FILE (- for standard input)");
	if (n > 1)
		return usage_error(cmd, "too many arguments");
	l = calloc(1, sizeof(*l));
	if (!l)
		return fail(cmd, argv[0], "%s", strerror(ENOMEM));
	l->cmd = cmd;
	l->t = t;
	l->name = argv[0];
	if (!strcmp(argv[0], "-")) {
		l->in = stdin;
	} else {
		l->in = fopen(argv[0], "r");
		if (!l->in) {
			ret = fail(cmd, argv[0], "%s", strerror(errno));
			free(l);
			return ret;
		}
	}
	if (!fstat(fileno(l->in), &st) && S_ISREG(st.st_mode))
		l->in_size = st.st_size;
	l->tty = isatty(STDERR_FILENO);
	if (open_target(cmd, t, O_RDWR, &l->c)) {
		ret = 1;
	} else {
		ret = load_all(l);
		cesium_close(l->c);
	}
	if (l->in != stdin)
		fclose(l->in);
	free(l->arena);
	free(l);
	return ret;
}
