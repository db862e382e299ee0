// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * uringtest: the data commands as io_uring uring_cmds, in the VM guest.
 *
 *   uringtest /dev/cesiumN            the suite
 *   uringtest get /dev/cesiumN KEY    one GET: prints "res=N len=L"
 *   uringtest scan /dev/cesiumN       one SCAN of everything, the cache
 *                                     off: prints "res=N async=D"
 *   uringtest detach /dev/cesiumN     rmmod and DETACH while GETs and
 *                                     SCANs are in flight (then detaches
 *                                     the device, or rmmod unloads the
 *                                     module)
 *   uringtest exit /dev/cesiumN       a process exits with GETs in flight
 *
 * GETs of values in the written log complete asynchronously (the module's
 * stats/uring_async counts them): the suite checks that 64 of them in
 * flight at once all do, with no command answered -EAGAIN for io-wq
 * (stats/uring_punted), and the errors such a completion carries. SCANs
 * whose values are read from the device go to io-wq and complete
 * asynchronously from there: 32 in flight at once, and their errors.
 *
 * Prints "CESIUM-RESULT PASS|FAIL uring/<name>" lines; exits 1 on a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>
#include <linux/cesium.h>

#define INFLIGHT 64
#define BIG 4096

static int failures;

static void result(const char *name, int ok, const char *fmt, long a, long b)
{
	if (ok) {
		printf("CESIUM-RESULT PASS uring/%s\n", name);
		return;
	}
	failures++;
	printf("CESIUM-RESULT FAIL uring/%s: ", name);
	printf(fmt, a, b);
	printf("\n");
}

static void check_res(const char *name, long got, long want)
{
	result(name, got == want, "got %ld, want %ld", got, want);
}

static void kv_cmd(struct cesium_kv_cmd *c, const char *key, void *val,
		   unsigned int vlen, unsigned long long *lenp)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->key_ptr = (unsigned long)key;
	c->key_len = strlen(key);
	c->value_ptr = (unsigned long)val;
	c->value_len = vlen;
	c->value_len_ptr = (unsigned long)lenp;
}

static void prep(struct io_uring *ring, int fd, unsigned int op,
		 const void *cmd, size_t len, unsigned long long data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, cmd, len);
	sqe->user_data = data;
}

/* Submit one command and wait for its result. */
static int run1(struct io_uring *ring, int fd, unsigned int op,
		const void *cmd, size_t len)
{
	struct io_uring_cqe *cqe;
	int res;

	prep(ring, fd, op, cmd, len, 1);
	if (io_uring_submit_and_wait(ring, 1) < 0 ||
	    io_uring_wait_cqe(ring, &cqe) < 0)
		return -1000;
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

/* The number in the file @path, or -1. */
static long long read_number(const char *path)
{
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* The path of sysfs attribute @name of @dev (/dev/cesiumN). */
static void attr_path(char *path, size_t size, const char *dev,
		      const char *name)
{
	const char *base = strrchr(dev, '/');

	snprintf(path, size, "/sys/class/cesium/%s/%s",
		 base ? base + 1 : dev, name);
}

/* The number in sysfs attribute @name of @dev, or -1. */
static long long attr_read(const char *dev, const char *name)
{
	char path[128];

	attr_path(path, sizeof(path), dev, name);
	return read_number(path);
}

/* Write @v to sysfs attribute @name of @dev; 0 or -1. */
static int attr_write(const char *dev, const char *name, long long v)
{
	char path[128];
	FILE *f;
	int ret;

	attr_path(path, sizeof(path), dev, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ret = fprintf(f, "%lld\n", v) < 0 ? -1 : 0;
	return fclose(f) || ret ? -1 : 0;
}

/* A counter of stats/ in sysfs for the device @dev. */
static long long stat_read(const char *dev, const char *name)
{
	char stat[64];

	snprintf(stat, sizeof(stat), "stats/%s", name);
	return attr_read(dev, stat);
}

/* max_sectors_kb of the block device under @dev (/dev/cesiumN). */
static long long queue_max_kb(const char *dev)
{
	char path[128], bdev[64];
	FILE *f;

	attr_path(path, sizeof(path), dev, "device");
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%63s", bdev) != 1)
		bdev[0] = 0;
	fclose(f);
	snprintf(path, sizeof(path), "/sys/block/%s/queue/max_sectors_kb", bdev);
	return read_number(path);
}

static int ioctl_put(int fd, const char *key, const void *val,
		     unsigned int len)
{
	struct cesium_kv_cmd c;

	kv_cmd(&c, key, (void *)val, len, NULL);
	return ioctl(fd, CESIUM_IOC_PUT, &c) ? -errno : 0;
}

static int ioctl_sync(int fd)
{
	struct cesium_sync_cmd c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	return ioctl(fd, CESIUM_IOC_SYNC, &c) ? -errno : 0;
}

static int ring_sqe128(struct io_uring *ring, unsigned int entries)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128;
	return io_uring_queue_init_params(entries, ring, &p);
}

/* The value of key @k over the ioctl: 0 when it is @want, @len bytes. */
static int get_is(int fd, const char *key, const void *want, unsigned int len)
{
	unsigned long long got = 0;
	struct cesium_kv_cmd c;
	char out[256];

	kv_cmd(&c, key, out, sizeof(out), &got);
	if (ioctl(fd, CESIUM_IOC_GET, &c))
		return -errno;
	return got == len && !memcmp(out, want, len) ? 0 : 1;
}

/*
 * Submit what is prepared and reap @n completions: the number whose result
 * is not 0. *@submitted: what io_uring_submit() said; *@seen: completions.
 */
static int submit_reap(struct io_uring *ring, int n, int *submitted,
		       int *seen)
{
	struct io_uring_cqe *cqe;
	int bad = 0;

	*submitted = io_uring_submit(ring);
	for (*seen = 0; *seen < n; (*seen)++) {
		if (io_uring_wait_cqe(ring, &cqe) < 0)
			break;
		bad += cqe->res != 0;
		io_uring_cqe_seen(ring, cqe);
	}
	return bad;
}

/*
 * PUTs without sync durability run in their first issue (uring_inline);
 * a sync PUT and one whose value is not resident go to an io-wq worker
 * (uring_punted) and complete all the same; a bad value pointer is
 * -EFAULT either way.
 */
static void put_paths(struct io_uring *ring, int fd, const char *dev)
{
	static char keys[INFLIGHT][16], vals[INFLIGHT][100];
	long long i0, p0, i1, p1;
	struct cesium_kv_cmd c;
	int i, bad, seen, ret;
	char zeros[100], *fresh;

	i0 = stat_read(dev, "uring_inline");
	p0 = stat_read(dev, "uring_punted");
	for (i = 0; i < INFLIGHT; i++) {
		snprintf(keys[i], sizeof(keys[i]), "p-%03d", i);
		memset(vals[i], 'a' + i % 26, sizeof(vals[i]));
		kv_cmd(&c, keys[i], vals[i], sizeof(vals[i]), NULL);
		c.flags = CESIUM_DUR_PERIODIC;
		prep(ring, fd, CESIUM_IOC_PUT, &c, sizeof(c), i);
	}
	bad = submit_reap(ring, INFLIGHT, &ret, &seen);
	i1 = stat_read(dev, "uring_inline");
	p1 = stat_read(dev, "uring_punted");
	for (i = 0; i < INFLIGHT; i++)
		bad += get_is(fd, keys[i], vals[i], sizeof(vals[i])) != 0;
	printf("CESIUM-NOTE %d periodic PUTs in flight: %lld ran in their first issue, %lld went to io-wq\n",
	       INFLIGHT, i1 - i0, p1 - p0);
	result("puts-inline", ret == INFLIGHT && seen == INFLIGHT && !bad &&
	       i0 >= 0 && i1 - i0 >= INFLIGHT / 2,
	       "%ld wrong, %ld inline", bad, i1 - i0);

	p0 = stat_read(dev, "uring_punted");
	kv_cmd(&c, "p-sync", "s", 1, NULL);
	c.flags = CESIUM_DUR_SYNC;
	ret = run1(ring, fd, CESIUM_IOC_PUT, &c, sizeof(c));
	p1 = stat_read(dev, "uring_punted");
	result("put-sync-punted", ret == 0 && p1 == p0 + 1 &&
	       !get_is(fd, "p-sync", "s", 1), "res %ld, punted %ld", ret,
	       p1 - p0);

	/* A page never touched: no copy without a page fault. */
	fresh = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(zeros, 0, sizeof(zeros));
	p0 = stat_read(dev, "uring_punted");
	kv_cmd(&c, "p-fresh", fresh, sizeof(zeros), NULL);
	ret = fresh == MAP_FAILED ? -1000 :
	      run1(ring, fd, CESIUM_IOC_PUT, &c, sizeof(c));
	p1 = stat_read(dev, "uring_punted");
	result("put-fault-punted", ret == 0 && p1 == p0 + 1 &&
	       !get_is(fd, "p-fresh", zeros, sizeof(zeros)),
	       "res %ld, punted %ld", ret, p1 - p0);
	if (fresh != MAP_FAILED)
		munmap(fresh, 4096);
	kv_cmd(&c, "p-bad", (void *)8, 10, NULL);
	check_res("put-bad-value-efault",
		  run1(ring, fd, CESIUM_IOC_PUT, &c, sizeof(c)), -EFAULT);
	check_res("put-bad-value-absent", get_is(fd, "p-bad", "", 0), -ENOENT);
}

/* The byte at @i of the 4 KiB value of big key @k. */
static char big_byte(int k, int i)
{
	return (char)(k * 31 + i * 7 + (i >> 8));
}

/* Reap @n completions of GETs into @out[user_data]; count wrong ones. */
static int reap_big_gets(struct io_uring *ring, int n,
			 char (*out)[BIG], unsigned long long *lens, int *seen)
{
	struct io_uring_cqe *cqe;
	int bad = 0, k, i;

	for (*seen = 0; *seen < n; (*seen)++) {
		if (io_uring_wait_cqe(ring, &cqe) < 0)
			break;
		k = cqe->user_data;
		if (cqe->res != 0 || lens[k] != BIG) {
			bad++;
		} else {
			for (i = 0; i < BIG; i++)
				if (out[k][i] != big_byte(k, i))
					break;
			bad += i != BIG;
		}
		io_uring_cqe_seen(ring, cqe);
	}
	return bad;
}

/*
 * 64 GETs of 4 KiB values in the written log, in flight at once: right
 * bytes and lengths, all completed asynchronously, none punted. Then the
 * errors of such GETs, and values that take other paths (pending batch,
 * 1 MiB spans).
 */
static void big_gets(struct io_uring *ring, int fd, const char *dev)
{
	static char vals[INFLIGHT][BIG], out[INFLIGHT][BIG], keys[INFLIGHT][16];
	static unsigned long long lens[INFLIGHT];
	long long a0, p0, i0, a1, p1, i1, r0, r1, maxkb;
	unsigned long long len;
	struct cesium_kv_cmd c;
	int i, k, bad, seen, ret;
	char small[100], *huge, *hout;

	for (k = 0, bad = 0; k < INFLIGHT; k++) {
		snprintf(keys[k], sizeof(keys[k]), "b-%03d", k);
		for (i = 0; i < BIG; i++)
			vals[k][i] = big_byte(k, i);
		bad += ioctl_put(fd, keys[k], vals[k], BIG) != 0;
	}
	check_res("big-puts", bad, 0);
	check_res("big-sync", ioctl_sync(fd), 0);

	a0 = stat_read(dev, "uring_async");
	p0 = stat_read(dev, "uring_punted");
	i0 = stat_read(dev, "uring_inline");
	memset(out, 0, sizeof(out));
	for (k = 0; k < INFLIGHT; k++) {
		lens[k] = 0;
		kv_cmd(&c, keys[k], out[k], BIG, &lens[k]);
		prep(ring, fd, CESIUM_IOC_GET, &c, sizeof(c), k);
	}
	ret = io_uring_submit(ring);
	bad = reap_big_gets(ring, INFLIGHT, out, lens, &seen);
	result("inflight-big-gets", ret == INFLIGHT && seen == INFLIGHT && !bad,
	       "submitted %ld, wrong %ld", ret, bad);
	a1 = stat_read(dev, "uring_async");
	p1 = stat_read(dev, "uring_punted");
	i1 = stat_read(dev, "uring_inline");
	printf("CESIUM-NOTE %d GETs of 4 KiB in flight: %lld completed asynchronously, %lld inline, %lld punted to io-wq\n",
	       INFLIGHT, a1 - a0, i1 - i0, p1 - p0);
	result("big-gets-async", a0 >= 0 && a1 - a0 == INFLIGHT,
	       "uring_async went up by %ld, not %ld", a1 - a0, INFLIGHT);
	result("big-gets-not-punted", p0 >= 0 && p1 == p0,
	       "uring_punted went up by %ld of %ld", p1 - p0, INFLIGHT);

	/* Errors of GETs, inline and from the log. */
	kv_cmd(&c, "b-none", out[0], BIG, &len);
	check_res("get-missing-enoent",
		  run1(ring, fd, CESIUM_IOC_GET, &c, sizeof(c)), -ENOENT);
	len = 0;
	kv_cmd(&c, keys[3], small, sizeof(small), &len);
	ret = run1(ring, fd, CESIUM_IOC_GET, &c, sizeof(c));
	result("get-log-eoverflow", ret == -EOVERFLOW && len == BIG,
	       "res %ld len %ld", ret, (long)len);
	kv_cmd(&c, keys[3], (void *)8, BIG, &len);
	check_res("get-log-bad-buffer-efault",
		  run1(ring, fd, CESIUM_IOC_GET, &c, sizeof(c)), -EFAULT);
	kv_cmd(&c, keys[3], out[3], BIG, (unsigned long long *)8);
	check_res("get-log-bad-length-efault",
		  run1(ring, fd, CESIUM_IOC_GET, &c, sizeof(c)), -EFAULT);
	kv_cmd(&c, "u-001", (void *)8, 64, &len);
	check_res("get-inline-bad-buffer-efault",
		  run1(ring, fd, CESIUM_IOC_GET, &c, sizeof(c)), -EFAULT);
	kv_cmd(&c, keys[3], NULL, 0, NULL);
	c.flags = 1U << 30;
	check_res("get-flags-einval",
		  run1(ring, fd, CESIUM_IOC_GET, &c, sizeof(c)), -EINVAL);
	kv_cmd(&c, keys[3], out[3], BIG, &len);
	c.key_ptr = 8;
	check_res("get-bad-key-efault",
		  run1(ring, fd, CESIUM_IOC_GET, &c, sizeof(c)), -EFAULT);

	/* A value still in the unwritten batch. */
	check_res("pending-put", ioctl_put(fd, "b-pending", vals[5], BIG), 0);
	memset(out[5], 0, BIG);
	len = 0;
	kv_cmd(&c, "b-pending", out[5], BIG, &len);
	ret = run1(ring, fd, CESIUM_IOC_GET, &c, sizeof(c));
	result("get-pending", ret == 0 && len == BIG && !memcmp(out[5], vals[5], BIG),
	       "res %ld len %ld", ret, (long)len);

	/* A 1 MiB value: a span of many bios, from a vmalloc'ed buffer. */
	huge = malloc(CESIUM_MAX_VALUE_LEN);
	hout = malloc(CESIUM_MAX_VALUE_LEN);
	if (!huge || !hout) {
		result("get-1mib", 0, "malloc failed %ld %ld", 0, 0);
		goto out;
	}
	for (i = 0; i < (int)CESIUM_MAX_VALUE_LEN; i++)
		huge[i] = (char)(i * 13 + (i >> 12));
	memset(hout, 0, CESIUM_MAX_VALUE_LEN);
	check_res("put-1mib", ioctl_put(fd, "b-huge", huge, CESIUM_MAX_VALUE_LEN), 0);
	check_res("sync-1mib", ioctl_sync(fd), 0);
	len = 0;
	kv_cmd(&c, "b-huge", hout, CESIUM_MAX_VALUE_LEN, &len);
	r0 = stat_read(dev, "device_reads");
	ret = run1(ring, fd, CESIUM_IOC_GET, &c, sizeof(c));
	r1 = stat_read(dev, "device_reads");
	result("get-1mib", ret == 0 && len == CESIUM_MAX_VALUE_LEN &&
	       !memcmp(huge, hout, CESIUM_MAX_VALUE_LEN),
	       "res %ld len %ld", ret, (long)len);
	/* Cut into bios of at most the queue's max_sectors. */
	maxkb = queue_max_kb(dev);
	printf("CESIUM-NOTE a 1 MiB GET: %lld bios (max_sectors_kb %lld)\n",
	       r1 - r0, maxkb);
	result("get-1mib-bios", maxkb > 0 && r1 - r0 > 1024 / maxkb,
	       "%ld bios for 1 MiB, max_sectors_kb %ld", r1 - r0, maxkb);
out:
	free(huge);
	free(hout);
}


static void scan_cmd(struct cesium_scan_cmd *s, const char *start,
		     const char *end, void *buf, unsigned int len,
		     struct cesium_scan_result *r)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->start_ptr = (unsigned long)start;
	s->start_len = strlen(start);
	s->end_ptr = (unsigned long)end;
	s->end_len = strlen(end);
	s->buf_ptr = (unsigned long)buf;
	s->buf_len = len;
	s->result_ptr = (unsigned long)r;
}

/*
 * The @n records of a SCAN's output @buf (@bytes long): keys @fmt % i and
 * values @vals[i] (@vlen bytes each, @stride apart), i from @first on. 0
 * when all are right.
 */
static int scan_out_bad_from(const void *buf, unsigned long long bytes,
			     int first, int n, const char *fmt,
			     const char *vals, unsigned int vlen, size_t stride)
{
	const unsigned char *p = buf, *end = p + bytes;
	char key[16];
	int i;

	for (i = 0; i < n; i++) {
		const struct cesium_scan_rec *rec = (const void *)p;
		const char *k = (const char *)(rec + 1);

		snprintf(key, sizeof(key), fmt, first + i);
		if (p + sizeof(*rec) > end || rec->key_len != strlen(key) ||
		    rec->value_len != vlen || memcmp(k, key, rec->key_len) ||
		    memcmp(k + rec->key_len, vals + (size_t)(first + i) * stride, vlen))
			return i + 1;
		p += (sizeof(*rec) + rec->key_len + rec->value_len + 7) & ~7u;
	}
	return p != end;
}

/*
 * The @n records of a SCAN's output @buf (@bytes long): keys @fmt % i and
 * values @vals[i] (@vlen bytes each, @stride apart). 0 when all are right.
 */
static int scan_out_bad(const void *buf, unsigned long long bytes, int n,
			const char *fmt, const char *vals, unsigned int vlen,
			size_t stride)
{
	return scan_out_bad_from(buf, bytes, 0, n, fmt, vals, vlen, stride);
}

#define NSCANS 32
#define SCAN_RECS 8

/*
 * 32 SCANs of values in the log (the cache off) in flight at once on one
 * ring, each over 8 of the 4 KiB values "b-NNN" from its own start: each
 * right, and each completed asynchronously (stats/uring_async).
 */
static void inflight_scans(struct io_uring *ring, int fd, const char *dev,
			   char (*big)[BIG])
{
	static char out[NSCANS][SCAN_RECS * (BIG + 64)], from[NSCANS][16];
	static struct cesium_scan_result res[NSCANS];
	struct io_uring_cqe *cqe;
	struct cesium_scan_cmd s;
	long long a0, a1;
	int k, bad, seen, ret;

	a0 = stat_read(dev, "uring_async");
	for (k = 0; k < NSCANS; k++) {
		snprintf(from[k], sizeof(from[k]), "b-%03d", k);
		scan_cmd(&s, from[k], "b-1", out[k], sizeof(out[k]), &res[k]);
		s.limit = SCAN_RECS;
		prep(ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s), k);
	}
	ret = io_uring_submit(ring);
	for (bad = seen = 0; seen < NSCANS; seen++) {
		if (io_uring_wait_cqe(ring, &cqe) < 0)
			break;
		k = cqe->user_data;
		/* Keys b-k .. b-(k+7). */
		if (cqe->res != SCAN_RECS || res[k].nr_records != SCAN_RECS ||
		    !(res[k].flags & CESIUM_SCAN_MORE))
			bad++;
		else
			bad += scan_out_bad_from(out[k], res[k].bytes, k,
						 SCAN_RECS, "b-%03d", big[0],
						 BIG, BIG) != 0;
		io_uring_cqe_seen(ring, cqe);
	}
	a1 = stat_read(dev, "uring_async");
	printf("CESIUM-NOTE %d SCANs of log values in flight: %lld completed asynchronously\n",
	       NSCANS, a1 - a0);
	result("inflight-scans", ret == NSCANS && seen == NSCANS && !bad,
	       "submitted %ld, wrong %ld", ret, bad);
	result("inflight-scans-async", a0 >= 0 && a1 - a0 == NSCANS,
	       "uring_async went up by %ld, not %ld", a1 - a0, NSCANS);
}

/*
 * EXISTS, DELETE and SCAN in their first issue (uring_inline), after
 * put_paths() and big_gets(): a SCAN of inline values runs there, one
 * whose output page is not resident or whose values are on the device
 * (cache off) goes to io-wq (uring_punted) and is right all the same;
 * non-sync DELETEs run there, a sync one goes to io-wq.
 */
static void inline_paths(struct io_uring *ring, int fd, const char *dev)
{
	static char vals[INFLIGHT][100], big[INFLIGHT][BIG], sbuf[300 << 10];
	static char keys[INFLIGHT][16];
	long long i0, p0, i1, p1, a0, a1, cache;
	struct cesium_scan_result r;
	struct cesium_scan_cmd s;
	struct cesium_kv_cmd c;
	int i, k, ret, bad, seen;
	char *fresh;

	for (i = 0; i < INFLIGHT; i++) {
		memset(vals[i], 'a' + i % 26, sizeof(vals[i]));
		for (k = 0; k < BIG; k++)
			big[i][k] = big_byte(i, k);
	}
	memset(sbuf, 0, sizeof(sbuf));
	i0 = stat_read(dev, "uring_inline");
	p0 = stat_read(dev, "uring_punted");
	scan_cmd(&s, "p-0", "p-1", sbuf, sizeof(sbuf), &r);
	ret = run1(ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s));
	i1 = stat_read(dev, "uring_inline");
	p1 = stat_read(dev, "uring_punted");
	bad = scan_out_bad(sbuf, r.bytes, INFLIGHT, "p-%03d", vals[0],
			   sizeof(vals[0]), sizeof(vals[0]));
	result("scan-inline", ret == INFLIGHT && !bad && i1 == i0 + 1 &&
	       p1 == p0, "res %ld, record %ld wrong or inline/punted off",
	       ret, bad);

	/* Output to pages never touched: a copy would fault. */
	fresh = mmap(NULL, 64 << 10, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p0 = stat_read(dev, "uring_punted");
	scan_cmd(&s, "p-0", "p-1", fresh, 64 << 10, &r);
	ret = fresh == MAP_FAILED ? -1000 :
	      run1(ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s));
	p1 = stat_read(dev, "uring_punted");
	bad = ret < 0 ? -1 : scan_out_bad(fresh, r.bytes, INFLIGHT, "p-%03d",
					  vals[0], sizeof(vals[0]),
					  sizeof(vals[0]));
	result("scan-fault-punted", ret == INFLIGHT && !bad && p1 == p0 + 1,
	       "res %ld, punted %ld", ret, p1 - p0);
	if (fresh != MAP_FAILED)
		munmap(fresh, 64 << 10);

	/*
	 * Values in the log with the cache off: device reads, in io-wq,
	 * where the SCAN is queued and completes when its reads end.
	 */
	cache = attr_read(dev, "cache_bytes");
	ret = cache < 0 ? -1 : attr_write(dev, "cache_bytes", 0);
	p0 = stat_read(dev, "uring_punted");
	a0 = stat_read(dev, "uring_async");
	scan_cmd(&s, "b-0", "b-1", sbuf, sizeof(sbuf), &r);
	ret = ret ? -1000 : run1(ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s));
	p1 = stat_read(dev, "uring_punted");
	a1 = stat_read(dev, "uring_async");
	bad = ret < 0 ? -1 : scan_out_bad(sbuf, r.bytes, INFLIGHT, "b-%03d",
					  big[0], BIG, BIG);
	result("scan-log-punted", ret == INFLIGHT && !bad && p1 == p0 + 1,
	       "res %ld, punted %ld", ret, p1 - p0);
	result("scan-log-async", a0 >= 0 && a1 == a0 + 1,
	       "uring_async went up by %ld, not %ld", a1 - a0, 1);
	inflight_scans(ring, fd, dev, big);

	/* Bad output pointers of a queued SCAN: -EFAULT from its task work. */
	scan_cmd(&s, "b-0", "b-1", (void *)8, sizeof(sbuf), &r);
	check_res("scan-log-bad-buffer-efault",
		  run1(ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s)), -EFAULT);
	scan_cmd(&s, "b-0", "b-1", sbuf, sizeof(sbuf),
		 (struct cesium_scan_result *)8);
	check_res("scan-log-bad-result-efault",
		  run1(ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s)), -EFAULT);
	memset(&r, 0, sizeof(r));
	scan_cmd(&s, "b-0", "b-1", sbuf, 100, &r);
	ret = run1(ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s));
	result("scan-log-eoverflow", ret == -EOVERFLOW && r.bytes > 100,
	       "res %ld, bytes %ld", ret, (long)r.bytes);
	if (cache >= 0)
		attr_write(dev, "cache_bytes", cache);
	scan_cmd(&s, "p-0", "p-1", (void *)8, 4096, &r);
	check_res("scan-bad-buffer-efault",
		  run1(ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s)), -EFAULT);

	i0 = stat_read(dev, "uring_inline");
	kv_cmd(&c, "p-000", NULL, 0, NULL);
	ret = run1(ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c));
	i1 = stat_read(dev, "uring_inline");
	result("exists-inline", ret == 1 && i1 == i0 + 1, "res %ld, inline %ld",
	       ret, i1 - i0);

	/* 64 periodic DELETEs in flight, then one of an absent key. */
	i0 = stat_read(dev, "uring_inline");
	for (i = 0; i < INFLIGHT; i++) {
		snprintf(keys[i], sizeof(keys[i]), "p-%03d", i);
		kv_cmd(&c, keys[i], NULL, 0, NULL);
		c.flags = CESIUM_DUR_PERIODIC;
		prep(ring, fd, CESIUM_IOC_DELETE, &c, sizeof(c), i);
	}
	bad = submit_reap(ring, INFLIGHT, &ret, &seen);
	i1 = stat_read(dev, "uring_inline");
	for (i = 0; i < INFLIGHT; i++)
		bad += get_is(fd, keys[i], "", 0) != -ENOENT;
	printf("CESIUM-NOTE %d periodic DELETEs in flight: %lld ran in their first issue\n",
	       INFLIGHT, i1 - i0);
	result("deletes-inline", ret == INFLIGHT && seen == INFLIGHT && !bad &&
	       i1 - i0 >= INFLIGHT / 2, "%ld wrong, %ld inline", bad, i1 - i0);
	i0 = stat_read(dev, "uring_inline");
	kv_cmd(&c, "p-000", NULL, 0, NULL);
	ret = run1(ring, fd, CESIUM_IOC_DELETE, &c, sizeof(c));
	i1 = stat_read(dev, "uring_inline");
	result("delete-absent-inline", ret == -ENOENT && i1 == i0 + 1,
	       "res %ld, inline %ld", ret, i1 - i0);
	p0 = stat_read(dev, "uring_punted");
	kv_cmd(&c, "p-sync", NULL, 0, NULL);
	c.flags = CESIUM_DUR_SYNC;
	ret = run1(ring, fd, CESIUM_IOC_DELETE, &c, sizeof(c));
	p1 = stat_read(dev, "uring_punted");
	result("delete-sync-punted", ret == 0 && p1 == p0 + 1 &&
	       get_is(fd, "p-sync", "", 0) == -ENOENT, "res %ld, punted %ld",
	       ret, p1 - p0);
}

static void check_cmd(struct cesium_check_cmd *k,
		      struct cesium_check_result *r, unsigned long long *dmg)
{
	memset(k, 0, sizeof(*k));
	k->size = sizeof(*k);
	k->max_bytes = 1ULL << 40;	/* the whole log in one call */
	k->result_ptr = (unsigned long)r;
	k->damaged_ptr = (unsigned long)dmg;
	k->nr_damaged = 16;
}

/*
 * CHECK through the ring: queued from io-wq, verified on a workqueue and
 * completed from task work (uring_async), with the result the ioctl gives.
 */
static void check_async(struct io_uring *ring, int fd, const char *dev)
{
	struct cesium_check_result want, got;
	unsigned long long dmg[16];
	struct cesium_check_cmd k;
	long long a0, a1;
	int ret, wret;

	check_res("check-sync", ioctl_sync(fd), 0);
	memset(&want, 0xff, sizeof(want));
	check_cmd(&k, &want, dmg);
	wret = ioctl(fd, CESIUM_IOC_CHECK, &k) ? -errno : 0;
	memset(&got, 0xff, sizeof(got));
	check_cmd(&k, &got, dmg);
	a0 = stat_read(dev, "uring_async");
	ret = run1(ring, fd, CESIUM_IOC_CHECK, &k, sizeof(k));
	a1 = stat_read(dev, "uring_async");
	printf("CESIUM-NOTE CHECK through the ring: %llu bytes, %llu batches, %llu damaged\n",
	       (unsigned long long)got.checked_bytes,
	       (unsigned long long)got.batches,
	       (unsigned long long)got.damaged);
	result("check-async", wret == 0 && ret == 0 && a1 == a0 + 1 &&
	       got.checked_bytes > 0 && got.damaged == 0 &&
	       got.next_offset == got.end_offset &&
	       !memcmp(&got, &want, sizeof(got)),
	       "res %ld, async %ld (or the result differs from the ioctl's)",
	       ret, a1 - a0);
	check_cmd(&k, (void *)8, dmg);
	check_res("check-async-bad-result-efault",
		  run1(ring, fd, CESIUM_IOC_CHECK, &k, sizeof(k)), -EFAULT);
	check_cmd(&k, &got, dmg);
	k.flags = 1;
	check_res("check-async-flags-einval",
		  run1(ring, fd, CESIUM_IOC_CHECK, &k, sizeof(k)), -EINVAL);
}

/* uringtest get DEV KEY: one GET through the ring. */
static int get_one(const char *dev, const char *key)
{
	static char buf[CESIUM_MAX_VALUE_LEN];
	unsigned long long len = 0;
	struct cesium_kv_cmd c;
	struct io_uring ring;
	int fd, ret;

	fd = open(dev, O_RDONLY);
	if (fd < 0 || ring_sqe128(&ring, 4) < 0) {
		perror(dev);
		return 1;
	}
	kv_cmd(&c, key, buf, sizeof(buf), &len);
	ret = run1(&ring, fd, CESIUM_IOC_GET, &c, sizeof(c));
	printf("res=%d len=%llu\n", ret, len);
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}

/*
 * uringtest scan DEV: one SCAN of the whole device through the ring, the
 * cache off: prints "res=N async=D", D what stats/uring_async went up by.
 */
static int scan_one(const char *dev)
{
	static char buf[1 << 20];
	struct cesium_scan_result r;
	struct cesium_scan_cmd s;
	long long a0, cache;
	struct io_uring ring;
	int fd, ret;

	fd = open(dev, O_RDONLY);
	if (fd < 0 || ring_sqe128(&ring, 4) < 0) {
		perror(dev);
		return 1;
	}
	cache = attr_read(dev, "cache_bytes");
	if (cache > 0)
		attr_write(dev, "cache_bytes", 0);
	a0 = stat_read(dev, "uring_async");
	scan_cmd(&s, "", "", buf, sizeof(buf), &r);
	ret = run1(&ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s));
	printf("res=%d async=%lld\n", ret, stat_read(dev, "uring_async") - a0);
	if (cache > 0)
		attr_write(dev, "cache_bytes", cache);
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };

	nanosleep(&ts, NULL);
}

static int detach_index(int ctl, unsigned int index)
{
	struct cesium_ctl_cmd c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.index = index;
	return ioctl(ctl, CESIUM_IOC_DETACH, &c) ? -errno : 0;
}

/* The byte at @i of the 1 MiB value of huge key @k. */
static char huge_byte(int k, int i)
{
	return (char)(k * 131 + i * 7 + (i >> 12));
}

#define NHUGE 16
#define NDSCAN 8

/*
 * uringtest detach DEV: 64 GETs of 4 KiB values and 16 of 1 MiB values in
 * flight, and 8 SCANs of the 64 4 KiB values (the cache off: they read the
 * device), the file closed (the ring's requests hold it), then DETACH and
 * rmmod: each must be refused while a command has not completed. Then
 * every result is checked, and the device detached once they are done
 * (unless rmmod went through, which detaches it).
 */
static int detach_inflight(const char *dev)
{
	static char vals[INFLIGHT][BIG], out[INFLIGHT][BIG];
	static char keys[INFLIGHT + NHUGE][16];
	static unsigned long long lens[INFLIGHT + NHUGE];
	static struct cesium_scan_result sres[NDSCAN];
	unsigned int index = strtoul(dev + strcspn(dev, "0123456789"), NULL, 10);
	const unsigned int nget = INFLIGHT + NHUGE, n = nget + NDSCAN;
	const size_t sbytes = INFLIGHT * (BIG + 64);
	char *huge, *hout[NHUGE], *sout[NDSCAN];
	struct cesium_scan_cmd s;
	long long cache;
	struct io_uring_cqe *cqe;
	unsigned int before;
	struct cesium_kv_cmd c;
	struct io_uring ring;
	int fd, ctl, k, i, ret, bad, sbad, seen, tries, unloaded = 0;

	huge = malloc(CESIUM_MAX_VALUE_LEN);
	for (k = 0; k < NHUGE; k++)
		hout[k] = malloc(CESIUM_MAX_VALUE_LEN);
	for (k = 0; k < NDSCAN; k++)
		sout[k] = malloc(sbytes);
	fd = open(dev, O_RDWR);
	if (!huge || !hout[NHUGE - 1] || !sout[NDSCAN - 1] || fd < 0 ||
	    ring_sqe128(&ring, 2 * n) < 0) {
		printf("CESIUM-RESULT FAIL uring/detach-setup: %s\n", strerror(errno));
		return 1;
	}
	for (k = 0, bad = 0; k < (int)nget; k++) {
		snprintf(keys[k], sizeof(keys[k]), "d-%03d", k);
		if (k < INFLIGHT) {
			for (i = 0; i < BIG; i++)
				vals[k][i] = big_byte(k, i);
			bad += ioctl_put(fd, keys[k], vals[k], BIG) != 0;
			continue;
		}
		for (i = 0; i < (int)CESIUM_MAX_VALUE_LEN; i++)
			huge[i] = huge_byte(k, i);
		bad += ioctl_put(fd, keys[k], huge, CESIUM_MAX_VALUE_LEN) != 0;
	}
	check_res("detach-puts", bad, 0);
	check_res("detach-sync", ioctl_sync(fd), 0);
	for (k = 0; k < (int)nget; k++) {
		if (k < INFLIGHT)
			kv_cmd(&c, keys[k], out[k], BIG, &lens[k]);
		else
			kv_cmd(&c, keys[k], hout[k - INFLIGHT],
			       CESIUM_MAX_VALUE_LEN, &lens[k]);
		prep(&ring, fd, CESIUM_IOC_GET, &c, sizeof(c), k);
	}
	cache = attr_read(dev, "cache_bytes");
	if (cache > 0)
		attr_write(dev, "cache_bytes", 0);
	for (k = 0; k < NDSCAN; k++) {
		/* d-000 .. d-063, the 4 KiB values. */
		scan_cmd(&s, "d-000", "d-064", sout[k], sbytes, &sres[k]);
		prep(&ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s), nget + k);
	}
	ctl = open(CESIUM_CONTROL_PATH, O_RDWR);
	ret = io_uring_submit(&ring);
	close(fd);

	before = io_uring_cq_ready(&ring);
	ret = detach_index(ctl, index);
	printf("CESIUM-NOTE DETACH %s with %u of %u completions posted\n",
	       ret ? strerror(-ret) : "succeeded", before, n);
	result("detach-inflight", ret == -EBUSY || (ret == 0 && before == n),
	       "DETACH returned %ld with %ld commands in flight", ret,
	       n - before);
	/* The control device holds the module too: let go of it first. */
	close(ctl);
	before = io_uring_cq_ready(&ring);
	if (syscall(__NR_delete_module, "cesium", O_NONBLOCK) == 0) {
		unloaded = 1;
		result("rmmod-inflight", before == n,
		       "rmmod went through with %ld of %ld commands in flight",
		       n - before, n);
		printf("CESIUM-NOTE rmmod went through: every command had completed\n");
	} else {
		result("rmmod-inflight", errno == EBUSY || errno == EWOULDBLOCK,
		       "rmmod failed with errno %ld (%ld)", errno, 0);
		printf("CESIUM-NOTE rmmod refused (%s) with %u of %u completions posted\n",
		       strerror(errno), before, n);
	}

	for (bad = sbad = seen = 0; seen < (int)n; seen++) {
		if (io_uring_wait_cqe(&ring, &cqe) < 0)
			break;
		k = cqe->user_data;
		if (k >= (int)nget) {
			k -= nget;
			sbad += cqe->res != INFLIGHT ||
				scan_out_bad(sout[k], sres[k].bytes, INFLIGHT,
					     "d-%03d", vals[0], BIG, BIG);
		} else if (cqe->res != 0) {
			bad++;
		} else if (k < INFLIGHT) {
			for (i = 0; i < BIG && out[k][i] == big_byte(k, i); i++)
				;
			bad += lens[k] != BIG || i != BIG;
		} else {
			for (i = 0; i < (int)CESIUM_MAX_VALUE_LEN &&
			     hout[k - INFLIGHT][i] == huge_byte(k, i); i++)
				;
			bad += lens[k] != CESIUM_MAX_VALUE_LEN ||
			       i != (int)CESIUM_MAX_VALUE_LEN;
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	result("detach-inflight-gets", seen == (int)n && !bad,
	       "completed %ld, wrong %ld", seen, bad);
	result("detach-inflight-scans", seen == (int)n && !sbad,
	       "completed %ld, wrong %ld", seen, sbad);
	io_uring_queue_exit(&ring);
	/* Once the last request has let go of the file, DETACH works. */
	if (!unloaded && ret == -EBUSY) {
		ctl = open(CESIUM_CONTROL_PATH, O_RDWR);
		for (tries = 0; ret == -EBUSY && tries < 200; tries++) {
			sleep_ms(10);
			ret = detach_index(ctl, index);
		}
		check_res("detach-after", ret, 0);
		close(ctl);
	} else if (!unloaded && cache > 0) {
		attr_write(dev, "cache_bytes", cache);
	}
	free(huge);
	for (k = 0; k < NHUGE; k++)
		free(hout[k]);
	for (k = 0; k < NDSCAN; k++)
		free(sout[k]);
	return failures ? 1 : 0;
}

/*
 * uringtest exit DEV: a child puts the GETs of 'detach' in flight, and 8
 * SCANs that read the device (the cache off), and exits at once; io_uring
 * completes them while the child goes away (in the exiting task or its
 * fallback worker). The device must go on.
 */
static int exit_inflight(const char *dev)
{
	static char out[INFLIGHT + NHUGE][BIG];
	static unsigned long long lens[INFLIGHT + NHUGE];
	const unsigned int n = INFLIGHT + NHUGE;
	struct cesium_scan_result sres;
	struct cesium_scan_cmd s;
	struct cesium_kv_cmd c;
	struct io_uring ring;
	char key[16], buf[BIG], *sout;
	unsigned long long len = 0;
	int fd, k, status = 0;
	long long cache;
	pid_t pid;

	cache = attr_read(dev, "cache_bytes");
	if (cache > 0)
		attr_write(dev, "cache_bytes", 0);
	pid = fork();
	if (pid == 0) {
		fd = open(dev, O_RDONLY);
		if (fd < 0 || ring_sqe128(&ring, 2 * n) < 0)
			_exit(1);
		for (k = 0; k < (int)n; k++) {
			snprintf(key, sizeof(key), "d-%03d", k);
			/* Room for the 4 KiB values; the 1 MiB ones overflow. */
			kv_cmd(&c, key, out[k], BIG, &lens[k]);
			prep(&ring, fd, CESIUM_IOC_GET, &c, sizeof(c), k);
		}
		sout = malloc(INFLIGHT * (BIG + 64));
		if (!sout)
			_exit(1);
		for (k = 0; k < NDSCAN; k++) {
			/* One buffer for all: nobody reads it. */
			scan_cmd(&s, "d-000", "d-064", sout,
				 INFLIGHT * (BIG + 64), &sres);
			prep(&ring, fd, CESIUM_IOC_SCAN, &s, sizeof(s), n + k);
		}
		_exit(io_uring_submit(&ring) == (int)n + NDSCAN ? 0 : 1);
	}
	result("exit-inflight", pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "child %ld status %ld", pid, status);
	if (cache > 0)
		attr_write(dev, "cache_bytes", cache);
	fd = open(dev, O_RDONLY);
	kv_cmd(&c, "d-007", buf, sizeof(buf), &len);
	result("exit-then-get", fd >= 0 && ioctl(fd, CESIUM_IOC_GET, &c) == 0 &&
	       len == BIG && buf[10] == big_byte(7, 10), "fd %ld len %ld",
	       fd, (long)len);
	close(fd);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	static char vals[INFLIGHT][64], keys[INFLIGHT][16], out[INFLIGHT][64];
	static unsigned long long lens[INFLIGHT];
	struct io_uring_params p;
	struct cesium_kv_cmd c;
	struct io_uring ring, small;
	struct io_uring_cqe *cqe;
	int fd, i, ret, bad, seen;
	unsigned long long len = 0;
	char buf[64];

	if (argc == 4 && !strcmp(argv[1], "get"))
		return get_one(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "scan"))
		return scan_one(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "detach"))
		return detach_inflight(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "exit"))
		return exit_inflight(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: uringtest [get|scan|detach|exit] /dev/cesiumN [KEY]\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128;
	ret = io_uring_queue_init_params(2 * INFLIGHT, &ring, &p);
	if (ret < 0) {
		printf("CESIUM-RESULT FAIL uring/setup: %s\n", strerror(-ret));
		return 1;
	}

	kv_cmd(&c, "u-one", "hello", 5, NULL);
	check_res("put", run1(&ring, fd, CESIUM_IOC_PUT, &c, sizeof(c)), 0);
	kv_cmd(&c, "u-one", buf, sizeof(buf), &len);
	ret = run1(&ring, fd, CESIUM_IOC_GET, &c, sizeof(c));
	result("get", ret == 0 && len == 5 && !memcmp(buf, "hello", 5),
	       "res %ld len %ld", ret, (long)len);
	kv_cmd(&c, "u-one", buf, 2, &len);
	ret = run1(&ring, fd, CESIUM_IOC_GET, &c, sizeof(c));
	result("get-eoverflow", ret == -EOVERFLOW && len == 5,
	       "res %ld len %ld", ret, (long)len);
	kv_cmd(&c, "u-one", NULL, 0, NULL);
	check_res("exists", run1(&ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c)), 1);
	check_res("delete", run1(&ring, fd, CESIUM_IOC_DELETE, &c, sizeof(c)), 0);
	check_res("get-enoent", run1(&ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c)), 0);
	kv_cmd(&c, "", NULL, 0, NULL);
	check_res("empty-key-einval",
		  run1(&ring, fd, CESIUM_IOC_DELETE, &c, sizeof(c)), -EINVAL);
	kv_cmd(&c, "k", NULL, 0, NULL);
	c.reserved[1] = 1;
	check_res("reserved-einval",
		  run1(&ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c)), -EINVAL);
	kv_cmd(&c, "k", NULL, 0, NULL);
	c.flags = 1U << 30;
	check_res("flags-einval",
		  run1(&ring, fd, CESIUM_IOC_PUT, &c, sizeof(c)), -EINVAL);
	kv_cmd(&c, "k", NULL, 0, NULL);
	c.size = 81;
	check_res("size-einval",
		  run1(&ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c)), -EINVAL);
	kv_cmd(&c, "k", NULL, 0, NULL);
	c.key_ptr = 8;
	check_res("bad-pointer-efault",
		  run1(&ring, fd, CESIUM_IOC_EXISTS, &c, sizeof(c)), -EFAULT);
	kv_cmd(&c, "k", NULL, 0, NULL);
	check_res("unknown-op-enotty",
		  run1(&ring, fd, _IOW(CESIUM_IOC_MAGIC, 0x3f,
				       struct cesium_kv_cmd), &c, sizeof(c)),
		  -ENOTTY);

	/* Many in flight: puts, then gets, each with its own buffers. */
	for (i = 0; i < INFLIGHT; i++) {
		snprintf(keys[i], sizeof(keys[i]), "u-%03d", i);
		snprintf(vals[i], sizeof(vals[i]), "value-%d-%d", i, i * 7);
		kv_cmd(&c, keys[i], vals[i], strlen(vals[i]), NULL);
		prep(&ring, fd, CESIUM_IOC_PUT, &c, sizeof(c), i);
	}
	ret = io_uring_submit(&ring);
	for (bad = seen = 0; seen < INFLIGHT; seen++) {
		if (io_uring_wait_cqe(&ring, &cqe) < 0)
			break;
		bad += cqe->res != 0;
		io_uring_cqe_seen(&ring, cqe);
	}
	result("inflight-puts", ret == INFLIGHT && seen == INFLIGHT && !bad,
	       "submitted %ld, failed %ld", ret, bad);
	for (i = 0; i < INFLIGHT; i++) {
		kv_cmd(&c, keys[i], out[i], sizeof(out[i]), &lens[i]);
		prep(&ring, fd, CESIUM_IOC_GET, &c, sizeof(c), i);
	}
	ret = io_uring_submit(&ring);
	for (bad = seen = 0; seen < INFLIGHT; seen++) {
		if (io_uring_wait_cqe(&ring, &cqe) < 0)
			break;
		i = cqe->user_data;
		bad += cqe->res != 0 || lens[i] != strlen(vals[i]) ||
		       memcmp(out[i], vals[i], lens[i]);
		io_uring_cqe_seen(&ring, cqe);
	}
	result("inflight-gets", ret == INFLIGHT && seen == INFLIGHT && !bad,
	       "submitted %ld, wrong %ld", ret, bad);
	big_gets(&ring, fd, argv[1]);
	put_paths(&ring, fd, argv[1]);
	inline_paths(&ring, fd, argv[1]);
	check_async(&ring, fd, argv[1]);

	/* A ring of 64-byte SQEs cannot carry the command. */
	if (io_uring_queue_init(4, &small, 0) == 0) {
		kv_cmd(&c, "k", NULL, 0, NULL);
		check_res("no-sqe128-einval",
			  run1(&small, fd, CESIUM_IOC_EXISTS, &c, 16), -EINVAL);
		io_uring_queue_exit(&small);
	}
	io_uring_queue_exit(&ring);

	/* A read-only file cannot put, through io_uring either. */
	close(fd);
	fd = open(argv[1], O_RDONLY);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128;
	if (fd >= 0 && io_uring_queue_init_params(4, &ring, &p) == 0) {
		kv_cmd(&c, "k", "v", 1, NULL);
		check_res("readonly-ebadf",
			  run1(&ring, fd, CESIUM_IOC_PUT, &c, sizeof(c)), -EBADF);
		io_uring_queue_exit(&ring);
	}
	close(fd);
	return failures ? 1 : 0;
}
