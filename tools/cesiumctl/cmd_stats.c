// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * cesiumctl stats [--watch [SECONDS]] [--json]: the device's counters (the
 * STATS command, cesium_stats()) as "name: value" lines or one JSON
 * object, with the latency histograms summarised per command as a count,
 * p50 and p99. A histogram bucket i holds the commands that took
 * [2^i, 2^(i+1)) ns, so a percentile is known only as "below the upper
 * bound of its bucket": that bound is what is printed, rounded up, never
 * down. The last bucket has no upper bound ("p99 >= 2.14 s").
 *
 * --watch prints a snapshot every SECONDS until SIGINT or SIGTERM (exit
 * status 0): the first as without --watch, each later one with the rate of
 * every counter since the previous snapshot and the latency of the
 * commands of that interval.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cesiumctl.h"

/* The counters, in the order printed; gauges are states, not counts. */
static const struct stat_field {
	const char *name;
	size_t off;
	int gauge;
} fields[] = {
#define COUNTER(f)	{ #f, offsetof(struct cesium_stats, f), 0 }
#define GAUGE(f)	{ #f, offsetof(struct cesium_stats, f), 1 }
	COUNTER(puts), COUNTER(gets), COUNTER(deletes), COUNTER(exists),
	COUNTER(scans), COUNTER(batches), COUNTER(syncs),
	COUNTER(bytes_in), COUNTER(bytes_out),
	COUNTER(device_reads), COUNTER(device_read_bytes),
	COUNTER(device_writes), COUNTER(device_write_bytes),
	COUNTER(flushes), COUNTER(io_errors), COUNTER(log_commits),
	COUNTER(checksum_errors),
	GAUGE(recovery_bytes), GAUGE(recovery_us),
	GAUGE(nr_keys), GAUGE(used_bytes), GAUGE(capacity_bytes),
	GAUGE(index_bytes),
	COUNTER(checkpoints), COUNTER(checkpoint_bytes),
	COUNTER(gc_moved_bytes), COUNTER(gc_freed_bytes),
	COUNTER(discard_bytes), COUNTER(damaged_batches),
	GAUGE(live_bytes), GAUGE(damaged_segments),
	COUNTER(cache_hits), COUNTER(cache_misses), GAUGE(cache_bytes),
	COUNTER(uring_inline), COUNTER(uring_async), COUNTER(uring_punted),
	COUNTER(gc_stalls),
#undef COUNTER
#undef GAUGE
};

/* The histograms, by CESIUM_LAT_* index. */
static const char *const lat_names[CESIUM_LAT_OPS] = {
	[CESIUM_LAT_GET] = "get", [CESIUM_LAT_PUT] = "put",
	[CESIUM_LAT_DELETE] = "delete", [CESIUM_LAT_EXISTS] = "exists",
	[CESIUM_LAT_SCAN] = "scan", [CESIUM_LAT_BATCH] = "batch",
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int known(const struct cesium_stats *st, size_t off, size_t len)
{
	return off + len <= st->size;
}

static uint64_t field(const struct cesium_stats *st, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)st + off, sizeof(v));
	return v;
}

struct lat_summary {
	uint64_t count;
	int p50, p99;		/* bucket index; -1 with no commands */
};

/* The bucket that holds the @pct-th percentile of @n (@total commands). */
static int percentile(const uint64_t *n, uint64_t total, unsigned int pct)
{
	/* The rank of the percentile: ceil(total * pct / 100), at least 1. */
	uint64_t rank = total / 100 * pct + (total % 100 * pct + 99) / 100;
	uint64_t seen = 0;
	int b;

	if (!rank)
		rank = 1;
	for (b = 0; b < CESIUM_LAT_BUCKETS; b++) {
		seen += n[b];
		if (seen >= rank)
			return b;
	}
	return CESIUM_LAT_BUCKETS - 1;
}

/* The histogram @now minus @before (NULL: nothing before). */
static void summarise(const __u64 *now, const __u64 *before,
		      struct lat_summary *s)
{
	uint64_t n[CESIUM_LAT_BUCKETS];
	int b;

	s->count = 0;
	for (b = 0; b < CESIUM_LAT_BUCKETS; b++) {
		n[b] = now[b] - (before ? before[b] : 0);
		s->count += n[b];
	}
	s->p50 = s->count ? percentile(n, s->count, 50) : -1;
	s->p99 = s->count ? percentile(n, s->count, 99) : -1;
}

/* The exclusive upper bound of bucket @b in ns; 0 for the last bucket. */
static uint64_t bucket_upper_ns(int b)
{
	return b < CESIUM_LAT_BUCKETS - 1 ? (uint64_t)2 << b : 0;
}

/*
 * @ns in ns, us, ms or s with three significant digits, rounded up (@up)
 * so that "below" stays true, or down so that "at least" does: 16384 ns
 * up is "16.4 us", 262144 ns "263 us"; 2^31 ns down is "2.14 s".
 */
static const char *duration(char *buf, size_t size, uint64_t ns, int up)
{
	static const struct {
		uint64_t div;
		const char *unit;
	} units[] = { { 1000000000, "s" }, { 1000000, "ms" }, { 1000, "us" } };
	uint64_t q, ip;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(units); i++) {
		uint64_t d = units[i].div, r = up ? d - 1 : 0;

		if (ns < d)
			continue;
		ip = ns / d;
		if (ip < 10) {
			q = (ns * 100 + r) / d;
			snprintf(buf, size, "%llu.%02llu %s",
				 (unsigned long long)(q / 100),
				 (unsigned long long)(q % 100), units[i].unit);
		} else if (ip < 100) {
			q = (ns * 10 + r) / d;
			snprintf(buf, size, "%llu.%llu %s",
				 (unsigned long long)(q / 10),
				 (unsigned long long)(q % 10), units[i].unit);
		} else {
			snprintf(buf, size, "%llu %s",
				 (unsigned long long)((ns + r) / d),
				 units[i].unit);
		}
		return buf;
	}
	snprintf(buf, size, "%llu ns", (unsigned long long)ns);
	return buf;
}

/* ", p50 < 16.4 us" or, in the last bucket, ", p50 >= 2.14 s". */
static void print_pct(const char *name, int b)
{
	char buf[32];
	uint64_t up = bucket_upper_ns(b);

	if (up)
		printf(", %s < %s", name, duration(buf, sizeof(buf), up, 1));
	else
		printf(", %s >= %s", name,
		       duration(buf, sizeof(buf), (uint64_t)1 << b, 0));
}

static void print_text(const struct cesium_stats *st,
		       const struct cesium_stats *prev, double secs)
{
	struct lat_summary s;
	size_t i;
	int op;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		const struct stat_field *f = &fields[i];
		uint64_t v;

		if (!known(st, f->off, sizeof(uint64_t)))
			continue;
		v = field(st, f->off);
		printf("%s: %llu", f->name, (unsigned long long)v);
		if (prev && !f->gauge)
			printf(" (%.1f/s)",
			       (double)(v - field(prev, f->off)) / secs);
		putchar('\n');
	}
	for (op = 0; op < CESIUM_LAT_OPS; op++) {
		if (!known(st, offsetof(struct cesium_stats, latency[op]),
			   sizeof(st->latency[op])))
			continue;
		summarise(st->latency[op], prev ? prev->latency[op] : NULL,
			  &s);
		printf("latency_%s: %llu ops", lat_names[op],
		       (unsigned long long)s.count);
		if (s.count) {
			print_pct("p50", s.p50);
			print_pct("p99", s.p99);
		}
		putchar('\n');
	}
}

/* A percentile's bound as a JSON value: null in the last bucket. */
static void json_bound(const char *name, int b)
{
	uint64_t up = b < 0 ? 0 : bucket_upper_ns(b);

	if (up)
		printf(",\"%s\":%llu", name, (unsigned long long)up);
	else
		printf(",\"%s\":null", name);
}

static void json_latency(const char *key, const struct cesium_stats *st,
			 const struct cesium_stats *prev, int buckets)
{
	struct lat_summary s;
	int op, b, first = 1;

	printf(",\"%s\":{", key);
	for (op = 0; op < CESIUM_LAT_OPS; op++) {
		if (!known(st, offsetof(struct cesium_stats, latency[op]),
			   sizeof(st->latency[op])))
			continue;
		summarise(st->latency[op], prev ? prev->latency[op] : NULL,
			  &s);
		printf("%s\"%s\":{\"count\":%llu", first ? "" : ",",
		       lat_names[op], (unsigned long long)s.count);
		first = 0;
		json_bound("p50_below_ns", s.p50);
		json_bound("p99_below_ns", s.p99);
		if (buckets) {
			fputs(",\"buckets\":[", stdout);
			for (b = 0; b < CESIUM_LAT_BUCKETS; b++)
				printf("%s%llu", b ? "," : "",
				       (unsigned long long)st->latency[op][b]);
			putchar(']');
		}
		putchar('}');
	}
	putchar('}');
}

static void print_json(const struct cesium_stats *st,
		       const struct cesium_stats *prev, double secs,
		       double elapsed, int watch)
{
	size_t i;
	int first = 1;

	printf("{\"size\":%u", st->size);
	if (watch)
		printf(",\"elapsed_s\":%.3f", elapsed);
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (known(st, fields[i].off, sizeof(uint64_t)))
			printf(",\"%s\":%llu", fields[i].name,
			       (unsigned long long)field(st, fields[i].off));
	json_latency("latency", st, NULL, 1);
	if (prev) {
		fputs(",\"rates\":{", stdout);
		for (i = 0; i < ARRAY_SIZE(fields); i++) {
			const struct stat_field *f = &fields[i];

			if (f->gauge || !known(st, f->off, sizeof(uint64_t)))
				continue;
			printf("%s\"%s\":%.3f", first ? "" : ",", f->name,
			       (double)(field(st, f->off) -
					field(prev, f->off)) / secs);
			first = 0;
		}
		putchar('}');
		json_latency("interval_latency", st, prev, 0);
	}
	fputs("}\n", stdout);
}

/* SECONDS of --watch: a positive number, at most a day. */
static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!*s || !strchr("0123456789.", *s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !(v >= 0.001) || v > 86400)
		return -EINVAL;
	*out = v;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_stats(const struct command *cmd, const struct target *t,
		      struct cesium *c, struct cesium_stats *st)
{
	int ret = cesium_stats(c, st);

	if (!ret)
		return 0;
	return fail(cmd, t->device, "%s", ret == -ENOTTY ?
		    "the cesium module has no STATS command (too old)" :
		    strerror(-ret));
}

static int flush_out(const struct command *cmd)
{
	if (fflush(stdout) || ferror(stdout))
		return fail(cmd, NULL, "writing standard output: %s",
			    strerror(errno));
	return 0;
}

static int watch(const struct command *cmd, const struct target *t,
		 struct cesium *c, double interval, int json)
{
	struct cesium_stats st[2];
	struct sigaction sa;
	struct timespec next;
	double t0, last, now;
	int cur = 0, ret, snapshot = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the signal must cut the sleep short. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	clock_gettime(CLOCK_MONOTONIC, &next);
	t0 = last = now_s();
	while (!stop) {
		ret = read_stats(cmd, t, c, &st[cur]);
		if (ret)
			return ret;
		now = now_s();
		if (json) {
			print_json(&st[cur], snapshot ? &st[!cur] : NULL,
				   now - last, now - t0, 1);
		} else {
			if (snapshot)
				putchar('\n');
			printf("elapsed_s: %.3f\n", now - t0);
			print_text(&st[cur], snapshot ? &st[!cur] : NULL,
				   now - last);
		}
		ret = flush_out(cmd);
		if (ret)
			return ret;
		last = now;
		cur = !cur;
		snapshot++;
		/* Absolute deadlines: the period does not drift. */
		next.tv_sec += (time_t)interval;
		next.tv_nsec += (long)((interval - (double)(time_t)interval) *
				       1e9);
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
						&next, NULL) == EINTR)
			;
	}
	return 0;
}

/* stats's options; "--watch N" becomes "--watch=N" before parsing. */
static const char *const stats_options[] = {
	"--watch", "--watch=", "--json", NULL
};
enum { OPT_WATCH, OPT_WATCH_VALUE, OPT_JSON };

int cmd_stats(const struct command *cmd, struct target *t, int argc,
	      char **argv)
{
	const char *values[ARRAY_SIZE(stats_options)] = { NULL };
	char **args, *joined = NULL;
	struct cesium_stats st;
	struct cesium *c;
	double interval = 1;
	unsigned int seen;
	int i, n, nargs = 0, ret;

	/*
	 * SECONDS is optional, so "--watch 2" is told from "--watch" by the
	 * next argument starting like a number; -d's value is skipped.
	 */
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		return fail(cmd, NULL, "%s", strerror(ENOMEM));
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				args[nargs++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			args[nargs++] = argv[i++];
		} else if (!strcmp(argv[i], "--watch") && i + 1 < argc &&
			   !joined && argv[i + 1][0] &&
			   strchr("0123456789.", argv[i + 1][0])) {
			joined = malloc(strlen(argv[i + 1]) + sizeof("--watch="));
			if (!joined) {
				free(args);
				return fail(cmd, NULL, "%s", strerror(ENOMEM));
			}
			sprintf(joined, "--watch=%s", argv[++i]);
			args[nargs++] = joined;
			continue;
		}
		args[nargs++] = argv[i];
	}
	n = parse_options_v(cmd, t, nargs, args, stats_options, &seen, values);
	if (n > 0)
		n = usage_error(cmd, "unexpected argument %s",
				escaped(args[0]));
	else if (n < 0)
		n = EXIT_USAGE;
	else if (values[OPT_WATCH_VALUE] &&
		 parse_seconds(values[OPT_WATCH_VALUE], &interval))
		n = usage_error(cmd, "--watch %s: not a number of seconds "
				"(0.001 to 86400)",
				escaped(values[OPT_WATCH_VALUE]));
	free(joined);
	free(args);
	if (n)
		return n;

	if (open_target(cmd, t, O_RDONLY, &c))
		return 1;
	if (seen & (1U << OPT_WATCH | 1U << OPT_WATCH_VALUE)) {
		ret = watch(cmd, t, c, interval, !!(seen & (1U << OPT_JSON)));
	} else {
		ret = read_stats(cmd, t, c, &st);
		if (!ret) {
			if (seen & (1U << OPT_JSON))
				print_json(&st, NULL, 0, 0, 0);
			else
				print_text(&st, NULL, 0);
			ret = flush_out(cmd);
		}
	}
	cesium_close(c);
	return ret;
}
