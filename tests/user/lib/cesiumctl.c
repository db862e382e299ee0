// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * cesiumctl without a kernel: --help, usage errors (exit 2, nothing on
 * stdout), on a machine with no cesium module the one-line failures (exit
 * 1), and the data commands against fakedev.so, the user-space stand-in
 * for the module (see fakedev.c). CESIUMCTL and FAKEDEV are paths given by
 * the build.
 */
#include <signal.h>
#include <sys/stat.h>
#include <linux/cesium.h>
#include "test_spawn.h"

#if !defined(CESIUMCTL) || !defined(FAKEDEV)
#error "build with -DCESIUMCTL=\"...\" -DFAKEDEV=\"...\""
#endif

/*
 * Run cesiumctl with @args (NULL-terminated) and, if @device is not NULL,
 * CESIUM_DEVICE=@device in its environment (else without the variable).
 */
static void run(struct spawn_result *r, const char *device,
		const char *const *args)
{
	char *argv[32], env_dev[256], *env[2] = { NULL, NULL };
	int n = 0;

	argv[n++] = (char *)CESIUMCTL;
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	if (device) {
		snprintf(env_dev, sizeof(env_dev), "CESIUM_DEVICE=%s", device);
		env[0] = env_dev;
	}
	spawn(r, argv, env);
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void help(const char *const *args, const char *file, int line)
{
	struct spawn_result r;

	run(&r, NULL, args);
	if (r.status != 0 || strncmp(r.out, "usage: cesiumctl ", 17) ||
	    !strstr(r.out, "Exit status") || r.err[0]) {
		fprintf(stderr, "status %d\nstdout: %s\nstderr: %s\n",
			r.status, r.out, r.err);
		test_failed(file, line, "help: exit 0, usage on stdout only");
	}
}

/* A usage error: exit 2, nothing on stdout, a usage line on stderr. */
static void usage(const char *const *args, const char *file, int line)
{
	struct spawn_result r;
	char what[256];

	run(&r, NULL, args);
	if (r.status == 2 && !r.out[0] && !strncmp(r.err, "cesiumctl: ", 11) &&
	    strstr(r.err, "\nusage: cesiumctl"))
		return;
	fprintf(stderr, "status %d\nstdout: %s\nstderr: %s\n", r.status,
		r.out, r.err);
	snprintf(what, sizeof(what), "usage error for \"%s%s%s...\"",
		 args[0] ? args[0] : "", args[0] ? " " : "",
		 args[0] && args[1] ? args[1] : "");
	test_failed(file, line, what);
}

/* A failure: exit 1, nothing on stdout, exactly the line @want. */
static void failure(const char *device, const char *const *args,
		    const char *want, const char *file, int line)
{
	struct spawn_result r;
	char what[512];

	run(&r, device, args);
	r.err[400] = '\0';	/* enough to see what went wrong */
	if (r.status == 1 && !r.out[0] && lines(r.err) == 1 &&
	    !strcmp(r.err, want))
		return;
	snprintf(what, sizeof(what), "status %d, stderr \"%.400s\", want 1, "
		 "\"%.60s\"", r.status, r.err, want);
	test_failed(file, line, what);
}

#define A(...)			((const char *const[]){ __VA_ARGS__, NULL })
#define HELP(...)		help(A(__VA_ARGS__), __FILE__, __LINE__)
#define USAGE(...)		usage(A(__VA_ARGS__), __FILE__, __LINE__)
#define FAILURE(dev, want, ...)	failure(dev, A(__VA_ARGS__), want, \
					__FILE__, __LINE__)

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* ---- against fakedev.so ------------------------------------------------ */

static char store[64], input[64];

/* Run cesiumctl on the fake device, with stdin from @in (or /dev/null). */
static void run_fake(struct spawn_result *r, const char *in,
		     const char *const *args)
{
	char *argv[32], env_store[128], env_owner[64];
	char *env[] = { (char *)"LD_PRELOAD=" FAKEDEV, env_store, env_owner,
			(char *)"CESIUM_DEVICE=/dev/cesium0", NULL };
	int n = 0;

	snprintf(env_owner, sizeof(env_owner), "FAKEDEV_OWNER=%u", geteuid());
	argv[n++] = (char *)CESIUMCTL;
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	snprintf(env_store, sizeof(env_store), "FAKEDEV_STORE=%s", store);
	spawn_in(r, argv, env, in ? in : "/dev/null");
}

/* Exit 0, stdout exactly @want_len bytes of @want, stderr empty. */
static void fake_ok(const char *in, const char *const *args, const char *want,
		    size_t want_len, const char *file, int line)
{
	struct spawn_result r;
	char what[512];

	run_fake(&r, in, args);
	if (r.status == 0 && r.out_len == want_len &&
	    !memcmp(r.out, want, want_len) && !r.err[0])
		return;
	r.err[300] = '\0';
	snprintf(what, sizeof(what), "cesiumctl %.40s %.40s: status %d, %zu "
		 "bytes out, stderr \"%.300s\"", args[0], args[1] ? args[1] : "",
		 r.status, r.out_len, r.err);
	test_failed(file, line, what);
}

/* Exit 1, nothing on stdout, stderr exactly @want. */
static void fake_fail(const char *in, const char *const *args,
		      const char *want, const char *file, int line)
{
	struct spawn_result r;
	char what[512];

	run_fake(&r, in, args);
	if (r.status == 1 && !r.out_len && !strcmp(r.err, want))
		return;
	r.err[300] = '\0';
	snprintf(what, sizeof(what), "status %d, stderr \"%.300s\", want 1, "
		 "\"%.100s\"", r.status, r.err, want);
	test_failed(file, line, what);
}

#define OK(out, ...)		fake_ok(NULL, A(__VA_ARGS__), out, \
					strlen(out), __FILE__, __LINE__)
#define OK_IN(in, out, ...)	fake_ok(in, A(__VA_ARGS__), out, \
					strlen(out), __FILE__, __LINE__)
#define FAIL_FAKE(want, ...)	fake_fail(NULL, A(__VA_ARGS__), want, \
					  __FILE__, __LINE__)

static void write_input(const void *data, size_t len)
{
	FILE *f = fopen(input, "w");

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(fwrite(data, 1, len, f), len);
	CHECK_INT(fclose(f), 0);
}

/* stats, info --json and list --json on the fake device (see fakedev.c's
 * STATS figures), and stats --watch stopped by SIGTERM. */
static void test_fake_stats(void)
{
	struct spawn_result r;
	char *argv[] = { (char *)CESIUMCTL, (char *)"stats", (char *)"--watch",
			 (char *)"0.1", NULL };
	char env_store[128], env_owner[64], out_name[] = "/tmp/cesium-w.XXXXXX";
	char *env[] = { (char *)"LD_PRELOAD=" FAKEDEV, env_store, env_owner,
			(char *)"CESIUM_DEVICE=/dev/cesium0", NULL };
	char buf[16384];
	const char *p;
	int fd, status = -1, n;
	pid_t pid;

	run_fake(&r, NULL, A("stats"));
	CHECK_INT(r.status, 0);
	CHECK(!r.err[0]);
	CHECK(!strncmp(r.out, "puts: 2\ngets: 100\ndeletes: 0\n", 29));
	CHECK(strstr(r.out, "\nbytes_out: 1000\n") != NULL);
	CHECK(strstr(r.out, "\ncapacity_bytes: 268435456\n") != NULL);
	CHECK(strstr(r.out, "\ncache_hits: 70\ncache_misses: 30\n"
		     "cache_bytes: 8192\nuring_inline: 5\nuring_async: 6\n"
		     "uring_punted: 7\ngc_stalls: 3\n") != NULL);
	/* 60 commands in [8 us, 16 us), 40 in [131 us, 262 us). */
	CHECK(strstr(r.out, "\nlatency_get: 100 ops, p50 < 16.4 us, "
		     "p99 < 263 us\n") != NULL);
	/* The last bucket has no upper bound: rounded down, ">=". */
	CHECK(strstr(r.out, "\nlatency_put: 2 ops, p50 >= 2.14 s, "
		     "p99 >= 2.14 s\n") != NULL);
	CHECK(strstr(r.out, "\nlatency_batch: 0 ops\n") != NULL);
	CHECK_INT(lines(r.out), 38 + CESIUM_LAT_OPS);

	run_fake(&r, NULL, A("stats", "--json"));
	CHECK_INT(r.status, 0);
	CHECK_INT(lines(r.out), 1);
	CHECK(!strncmp(r.out, "{\"size\":", 8));
	CHECK(strstr(r.out, ",\"puts\":2,\"gets\":100,") != NULL);
	CHECK(strstr(r.out, ",\"cache_hits\":70,\"cache_misses\":30,"
		     "\"cache_bytes\":8192,") != NULL);
	CHECK(strstr(r.out, "\"get\":{\"count\":100,\"p50_below_ns\":16384,"
		     "\"p99_below_ns\":262144,\"buckets\":[0,0,0,0,0,0,0,0,0,0,"
		     "0,0,0,60,0,0,0,40,") != NULL);
	CHECK(strstr(r.out, "\"put\":{\"count\":2,\"p50_below_ns\":null,")
	      != NULL);
	CHECK(!strcmp(r.out + r.out_len - 3, "}}\n"));

	run_fake(&r, NULL, A("info", "--json"));
	CHECK_INT(r.status, 0);
	CHECK_INT(lines(r.out), 1);
	CHECK(strstr(r.out, "\"feature_names\":[\"namespaces\",") != NULL);
	CHECK(strstr(r.out, ",\"max_key_len\":255,\"max_value_len\":1048576,"
		     "\"state\":\"online\",") != NULL);
	CHECK(strstr(r.out, ",\"bdev_name\":\"fake0n1\"}\n") != NULL);
	OK("{\"name\":\"cesium0\",\"index\":0,\"bdev_name\":\"fake0n1\","
	   "\"major\":0,\"minor\":0,\"state\":\"online\","
	   "\"capacity_bytes\":268435456,\"used_bytes\":4096}\n",
	   "list", "--json");

	USAGE("stats", "x");
	USAGE("stats", "--watch", "0");
	USAGE("stats", "--watch", "-1");
	USAGE("stats", "--watch=x");
	USAGE("stats", "--watch", "1", "2");
	USAGE("stats", "--reverse");
	USAGE("-n", "1", "stats");
	USAGE("info", "--watch");
	USAGE("list", "--bogus");

	/* --watch: snapshots until SIGTERM, then exit 0. */
	snprintf(env_owner, sizeof(env_owner), "FAKEDEV_OWNER=%u", geteuid());
	snprintf(env_store, sizeof(env_store), "FAKEDEV_STORE=%s", store);
	fd = mkstemp(out_name);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	unlink(out_name);
	pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		execve(CESIUMCTL, argv, env);
		_exit(127);
	}
	usleep(450 * 1000);
	kill(pid, SIGTERM);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	lseek(fd, 0, SEEK_SET);
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	CHECK(!strncmp(buf, "elapsed_s: 0.", 13));
	/* A later snapshot has rates and the interval's latency. */
	p = strstr(buf, "\n\nelapsed_s: 0.");
	CHECK(p != NULL);
	if (p) {
		CHECK(strstr(p, "\nputs: 2 (0.0/s)\n") != NULL);
		CHECK(strstr(p, "\nnr_keys: ") != NULL &&
		      !strstr(strstr(p, "\nnr_keys: "), "/s)\nused"));
		CHECK(strstr(p, "\nlatency_get: 0 ops\n") != NULL);
	}
}

/* scan, dump, load and sync on the fake device (after test_fake_device's
 * keys in namespace 0, which these stay clear of). */
static void test_fake_range(void)
{
	static char all[256], text[8192], big[600001];
	static const char want_dump[] =
		"a\tone\n"
		"b\\x00\\t\\n\\\\\tv\\xff\"q\n"
		"c\t\n"
		"d\\x7f\t\\x01\\x02\n";
	struct spawn_result r;
	size_t i, n;
	FILE *f;

	/* Namespace 5: a few keys with the bytes that need escapes. */
	write_input(want_dump, strlen(want_dump));
	OK("", "-n", "5", "load", input);
	OK(want_dump, "-n", "5", "dump");
	OK(want_dump, "dump", "-n", "5");
	fake_ok(NULL, A("-n", "5", "get", "--", "c"), "", 0, __FILE__,
		__LINE__);
	OK("one", "-n", "5", "get", "a");
	OK("\001\002", "-n", "5", "get", "d\177");
	/* scan's options. */
	OK("b\\x00\\t\\n\\\\\tv\\xff\"q\nc\t\n", "-n", "5", "scan", "--from",
	   "b", "--to", "d");
	OK("c\t\n", "-n", "5", "scan", "--from=b\001", "--to=d");
	OK("a\tone\nb\\x00\\t\\n\\\\\tv\\xff\"q\n", "-n", "5", "scan",
	   "--limit", "2");
	OK("", "-n", "5", "scan", "--limit", "0");
	OK("d\\x7f\nc\nb\\x00\\t\\n\\\\\na\n", "-n", "5", "scan",
	   "--reverse", "--keys-only");
	OK("c\t\n", "-n", "5", "scan", "--reverse", "--to", "d",
	   "--limit", "1");
	OK("c\nb\\x00\\t\\n\\\\\n", "-n", "5", "scan", "--reverse",
	   "--from", "b", "--to", "d", "--keys-only");
	OK("", "-n", "5", "scan", "--from", "x");
	OK("", "-n", "6", "scan");
	OK("{\"key\":\"a\",\"value\":\"one\"}\n"
	   "{\"key\":\"b\\\\x00\\\\t\\\\n\\\\\\\\\",\"value\":\"v\\\\xff\\\"q\"}\n",
	   "-n", "5", "scan", "--json", "--to", "c");
	OK("{\"key\":\"d\\\\x7f\"}\n", "-n", "5", "scan", "--json",
	   "--keys-only", "--from", "d");
	/* dump | load into another namespace copies every byte. */
	for (i = 0; i < sizeof(all); i++)
		all[i] = (char)i;
	n = (size_t)snprintf(text, sizeof(text), "all\t");
	for (i = 0; i < sizeof(all); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\\x%02X",
				      (unsigned char)all[i]);
	text[n++] = '\n';
	write_input(text, n);
	OK("", "-n", "5", "load", "--", input);
	fake_ok(NULL, A("-n", "5", "get", "all"), all, sizeof(all), __FILE__,
		__LINE__);
	run_fake(&r, NULL, A("-n", "5", "dump"));
	CHECK_INT(r.status, 0);
	write_input(r.out, r.out_len);
	OK_IN(input, "", "-n", "9", "load", "-");
	run_fake(&r, NULL, A("-n", "9", "dump"));
	write_input(r.out, r.out_len);
	OK_IN(input, "", "-n", "10", "load", "-");
	fake_ok(NULL, A("-n", "10", "get", "all"), all, sizeof(all),
		__FILE__, __LINE__);
	/* What dump prints for it: the format, as DESIGN.md gives it. */
	n = (size_t)snprintf(text, sizeof(text), "a\tone\nall\t");
	for (i = 0; i < sizeof(all); i++) {
		unsigned char ch = (unsigned char)all[i];

		if (ch == '\\' || ch == '\t' || ch == '\n')
			n += (size_t)snprintf(text + n, sizeof(text) - n, "\\%c",
					      ch == '\\' ? '\\' :
					      ch == '\t' ? 't' : 'n');
		else if (ch < 0x20 || ch > 0x7e)
			n += (size_t)snprintf(text + n, sizeof(text) - n,
					      "\\x%02x", ch);
		else
			text[n++] = (char)ch;
	}
	snprintf(text + n, sizeof(text) - n, "\n%s", want_dump + 6);
	OK(text, "-n", "10", "dump");
	OK(text, "-n", "5", "dump");
	/* Malformed lines: exit 1, one line naming the line. */
	write_input("k1\tv\nk2\tv\nk3\\q\tv\n", 17);
	snprintf(text, sizeof(text), "cesiumctl: load %s: line 3: unknown "
		 "escape: only \\\\, \\t, \\n and \\xNN (0 records loaded "
		 "before it)\n", input);
	fake_fail(NULL, A("-n", "11", "load", input), text, __FILE__,
		  __LINE__);
	OK("", "-n", "11", "dump");
	fake_fail(input, A("-n", "11", "load", "-"), "cesiumctl: load -: line "
		  "3: unknown escape: only \\\\, \\t, \\n and \\xNN (0 records "
		  "loaded before it)\n", __FILE__, __LINE__);
	write_input("k1\tv\n\tv\n", 8);
	fake_fail(input, A("load", "-"), "cesiumctl: load -: line 2: empty "
		  "key (0 records loaded before it)\n", __FILE__, __LINE__);
	write_input("k1\tv\nk2 v\n", 10);
	fake_fail(input, A("load", "-"), "cesiumctl: load -: line 2: no tab "
		  "between key and value (0 records loaded before it)\n",
		  __FILE__, __LINE__);
	fake_fail(NULL, A("load", "/nonexistent/file"), "cesiumctl: load "
		  "/nonexistent/file: No such file or directory\n", __FILE__,
		  __LINE__);
	/* A key over the limit, refused by the device: its line. */
	f = fopen(input, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("ok\tv\n", f);
		for (i = 0; i < 256; i++)
			fputc('k', f);
		fputs("\tv\n", f);
		fclose(f);
	}
	run_fake(&r, input, A("-n", "12", "load", "-"));
	CHECK_INT(r.status, 1);
	CHECK_INT(lines(r.err), 1);
	CHECK(!strncmp(r.err, "cesiumctl: load -: line 2: key kkkk", 35));
	CHECK(strstr(r.err, "...: key is 256 bytes, over the device's "
		     "limit of 255 (0 records loaded before it)\n") != NULL);
	OK("", "-n", "12", "dump");
	/* 600 records: three batches; and one too big for a batch. */
	f = fopen(input, "w");
	CHECK(f != NULL);
	if (f) {
		for (i = 0; i < 600; i++)
			fprintf(f, "r%03zu\t%zu\n", i, i);
		memset(big, 'x', sizeof(big) - 1);
		fprintf(f, "big\t%s\n", big);
		fclose(f);
	}
	OK("", "-n", "13", "load", input);
	OK("r000\t0\nr001\t1\n", "-n", "13", "scan", "--from", "r",
	   "--limit", "2");
	OK("r599\nr598\n", "-n", "13", "scan", "--reverse", "--keys-only",
	   "--limit", "2");
	run_fake(&r, NULL, A("-n", "13", "scan", "--keys-only"));
	CHECK_INT(r.status, 0);
	CHECK_INT(lines(r.out), 601);
	run_fake(&r, NULL, A("-n", "13", "get", "big"));
	CHECK(r.status == 0 && r.out_len == sizeof(r.out) - 1);
	/* sync. */
	OK("", "sync");
	OK("", "-n", "13", "sync");
}

static void test_fake_device(void)
{
	static char bin[4096], big[(1 << 20) + 1], features[256];
	char key256[257];
	struct spawn_result r;
	int fd;
	size_t i;

	snprintf(store, sizeof(store), "/tmp/cesium-fake-store.XXXXXX");
	snprintf(input, sizeof(input), "/tmp/cesium-fake-input.XXXXXX");
	fd = mkstemp(store);
	CHECK(fd >= 0);
	close(fd);
	fd = mkstemp(input);
	CHECK(fd >= 0);
	close(fd);

	OK("", "put", "k", "v");
	OK("v", "get", "k");
	OK("", "put", "k", "second value");
	OK("second value", "get", "k");
	/* Values and keys that start with '-'. */
	OK("", "put", "k2", "-5");
	OK("-5", "get", "k2");
	OK("", "put", "--", "-k", "--sync");
	OK("--sync", "get", "--", "-k");
	OK("", "del", "--none", "--", "-k");
	/* Namespaces. */
	OK("", "-n", "5", "put", "k", "in five");
	OK("in five", "get", "-n", "0x5", "k");
	OK("second value", "get", "k");
	OK("", "del", "-n", "5", "k");
	FAIL_FAKE("cesiumctl: get k: no such key\n", "-n", "5", "get", "k");
	/* Binary values through stdin, and the empty value. */
	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (char)(i * 13);
	write_input(bin, sizeof(bin));
	fake_ok(input, A("put", "--sync", "bin", "-"), "", 0, __FILE__,
		__LINE__);
	fake_ok(NULL, A("get", "bin"), bin, sizeof(bin), __FILE__, __LINE__);
	write_input("", 0);
	OK_IN(input, "", "put", "empty", "-");
	OK("", "get", "empty");
	/* Over the device's limit, from stdin and from the command line. */
	write_input(big, sizeof(big));
	fake_fail(input, A("put", "big", "-"), "cesiumctl: put big: value on "
		  "standard input is over the device's limit of 1048576 "
		  "bytes\n", __FILE__, __LINE__);
	memset(key256, 'k', 256);
	key256[256] = '\0';
	run_fake(&r, NULL, A("put", key256, "v"));
	CHECK_INT(r.status, 1);
	CHECK(strstr(r.err, ": key is 256 bytes, over the device's limit of "
		     "255\n") != NULL);
	CHECK_INT(lines(r.err), 1);
	/* Errors, one line each, with the key escaped. */
	FAIL_FAKE("cesiumctl: get nokey: no such key\n", "get", "nokey");
	FAIL_FAKE("cesiumctl: del nokey: no such key\n", "del", "nokey");
	FAIL_FAKE("cesiumctl: get no\\x01\\nkey: no such key\n", "get",
		  "no\001\nkey");
	FAIL_FAKE("cesiumctl: put \"\": empty key: keys are 1 byte or "
		  "longer\n", "put", "", "v");
	FAIL_FAKE("cesiumctl: put k: key exists (--no-overwrite)\n", "put",
		  "--no-overwrite", "k", "v");
	FAIL_FAKE("cesiumctl: put new: no such key (--update-only)\n", "put",
		  "--update-only", "new", "v");
	OK("", "put", "--update-only", "k", "updated");
	OK("updated", "get", "k");
	OK("", "put", "--no-overwrite", "new", "v");
	OK("", "del", "--sync", "k");
	FAIL_FAKE("cesiumctl: get k: no such key\n", "get", "k");
	/* info and list. */
	run_fake(&r, NULL, A("info"));
	CHECK_INT(r.status, 0);
	CHECK(!strncmp(r.out, "abi_version: 1\n", 15));
	CHECK(strstr(r.out, "\nmax_key_len: 255\nmax_value_len: 1048576\n"
		     "state: online\n") != NULL);
	CHECK(strstr(r.out, "\nbdev_name: fake0n1\n") != NULL);
	/* The fake reports every feature of the header; names for these. */
	snprintf(features, sizeof(features), "\nfeatures: 0x%llx namespaces "
		 "durability exists scan batch sync uring_cmd",
		 (unsigned long long)CESIUM_FEATURES_ALL);
	CHECK(strstr(r.out, features) != NULL);
	OK("cesium0 fake0n1 online 268435456 bytes, 4096 used\n", "list");
	test_fake_range();
	test_fake_stats();

	unlink(store);
	unlink(input);
}

int main(void)
{
	const char *const no_args[] = { NULL };
	static char key256[257];

	HELP("--help");
	HELP("-h");
	HELP("put", "--help");
	HELP("-d", "cesium0", "get", "-h");

	usage(no_args, __FILE__, __LINE__);
	USAGE("bogus");
	USAGE("--bogus");
	USAGE("-x", "list");
	USAGE("-d");
	USAGE("-n");
	USAGE("-n", "x", "get", "k");
	USAGE("-n", "18446744073709551616", "get", "k");
	USAGE("-n", "-1", "get", "k");
	USAGE("-n", "0x", "get", "k");
	USAGE("--", "--help");
	USAGE("put");
	USAGE("put", "k");
	USAGE("put", "k", "v", "w");
	USAGE("put", "--sync", "--none", "k", "v");
	USAGE("put", "--no-overwrite", "--update-only", "k", "v");
	USAGE("put", "--force", "k", "v");
	USAGE("get");
	USAGE("get", "a", "b");
	USAGE("get", "--sync", "k");
	USAGE("del");
	USAGE("del", "--no-overwrite", "k");
	USAGE("del", "--periodic", "--none", "k");
	USAGE("info", "extra");
	USAGE("info", "-n", "1");
	USAGE("-n", "1", "info");
	USAGE("format");
	USAGE("format", "a", "b");
	USAGE("format", "--sync", "/dev/x");
	USAGE("attach");
	USAGE("attach", "--force", "/dev/x");
	USAGE("detach");
	USAGE("detach", "nvme0n1");
	USAGE("detach", "cesium");
	USAGE("detach", "cesium1x");
	USAGE("detach", "1", "2");
	USAGE("list", "x");
	USAGE("-d", "cesium0", "list");
	USAGE("-n", "3", "detach", "cesium0");
	USAGE("scan", "x");
	USAGE("scan", "--bogus");
	USAGE("scan", "--limit");
	USAGE("scan", "--limit", "x");
	USAGE("scan", "--limit", "-1");
	USAGE("scan", "--limit", "");
	USAGE("scan", "--limit=1x");
	USAGE("scan", "--limit", "18446744073709551616");
	USAGE("scan", "--from");
	USAGE("scan", "--to");
	memset(key256, 'k', 256);
	key256[256] = '\0';
	USAGE("scan", "--from", key256);
	USAGE("scan", "--to", key256, "--limit", "1");
	USAGE("scan", "--sync");
	USAGE("dump", "x");
	USAGE("dump", "--json");
	USAGE("dump", "--reverse");
	USAGE("load");
	USAGE("load", "a", "b");
	USAGE("load", "--sync", "f");
	USAGE("load", "--force", "f");
	USAGE("sync", "x");
	USAGE("sync", "--sync");
	USAGE("-n", "1", "list");

	/* What a machine without the module answers (the usual host). */
	if (!exists("/sys/class/cesium")) {
		FAILURE(NULL, "cesiumctl: get: no CesiumDB device attached\n",
			"get", "k");
		FAILURE(NULL, "cesiumctl: put: no CesiumDB device attached\n",
			"put", "--", "-k", "-");
		FAILURE(NULL, "cesiumctl: info: no CesiumDB device attached\n",
			"info");
		FAILURE(NULL, "cesiumctl: scan: no CesiumDB device attached\n",
			"scan", "--from", "a");
		FAILURE(NULL, "cesiumctl: dump: no CesiumDB device attached\n",
			"-n", "3", "dump");
		FAILURE(NULL, "cesiumctl: load: no CesiumDB device attached\n",
			"load", "/dev/null");
		FAILURE(NULL, "cesiumctl: sync: no CesiumDB device attached\n",
			"sync");
		FAILURE(NULL, "cesiumctl: get x\\ny\\x01: not a CesiumDB "
			"device: use cesiumN or /dev/cesiumN\n",
			"-d", "x\ny\001", "get", "k");
	}
	if (!exists("/dev/cesium9")) {
		FAILURE(NULL, "cesiumctl: del cesium9: no such CesiumDB device "
			"(see cesiumctl list)\n", "-d", "cesium9", "del", "k");
		FAILURE("cesium9", "cesiumctl: get cesium9: no such CesiumDB "
			"device (see cesiumctl list)\n", "get", "k");
		FAILURE("cesium9", "cesiumctl: get /dev/cesium9: no such "
			"CesiumDB device (see cesiumctl list)\n",
			"-d", "/dev/cesium9", "get", "k");
	}
	if (!exists("/dev/cesium-control")) {
		FAILURE(NULL, "cesiumctl: list: no /dev/cesium-control: is the "
			"cesium module loaded?\n", "list");
		FAILURE(NULL, "cesiumctl: detach cesium0: no "
			"/dev/cesium-control: is the cesium module loaded?\n",
			"detach", "cesium0");
		FAILURE(NULL, "cesiumctl: format /dev/null: no "
			"/dev/cesium-control: is the cesium module loaded?\n",
			"format", "/dev/null", "--force");
	}
	test_fake_device();
	return test_end("lib-cesiumctl");
}
