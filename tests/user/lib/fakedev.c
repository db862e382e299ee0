// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * fakedev.so: a stand-in for the cesium module, in user space, preloaded
 * (LD_PRELOAD) into build/tests/libtest so that the guest test program and
 * the library run end to end on the host (tests/user/lib/libtest.c).
 *
 * It intercepts open() of /dev/cesium0 and /dev/cesium-control (an fd of
 * /dev/null stands in, with its access mode remembered) and ioctl() on
 * those fds, and answers as uapi/cesium.h says the kernel does: an
 * in-memory store, the validation rules, -EBADF for writes through a
 * read-only fd, -EACCES for anyone but root (or the uid FAKEDEV_OWNER
 * names, for tests run by another user). It is a reading of the ABI,
 * not the kernel: where the two disagree, the VM run decides.
 *
 * With FAKEDEV_STORE=<file> in the environment the store lives in that
 * file, so that it outlasts a process: each cesiumctl run is one.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/cesium.h>

#define FAKE_DATA	"/dev/cesium0"
#define MAX_FDS		1024
#define MAX_PAIRS	4096

enum kind { NONE, DATA, CONTROL };

static struct {
	enum kind kind;
	int acc;
} fds[MAX_FDS];

static struct pair {
	uint64_t ns;
	uint32_t key_len, value_len;
	unsigned char key[CESIUM_MAX_KEY_LEN];
	unsigned char *value;
} pairs[MAX_PAIRS];
static int nr_pairs;

/*
 * Values are never freed one by one (a BATCH that fails puts the old ones
 * back); each is remembered here, and fakedev_reset() frees them all.
 */
static void **values;
static size_t nr_values, cap_values;

static void *value_alloc(size_t n)
{
	void *v, **bigger;

	if (nr_values == cap_values) {
		cap_values = cap_values ? 2 * cap_values : 1024;
		bigger = realloc(values, cap_values * sizeof(*values));
		if (!bigger)
			return NULL;
		values = bigger;
	}
	v = malloc(n);
	if (v)
		values[nr_values++] = v;
	return v;
}

/* An empty store, and no memory held. */
static __attribute__((unused)) void fakedev_reset(void)
{
	while (nr_values)
		free(values[--nr_values]);
	free(values);
	values = NULL;
	cap_values = 0;
	nr_pairs = 0;
}

/* The store's file, if any: records of ns, key_len, value_len, key, value. */
static void load(void)
{
	static int loaded;
	const char *name = getenv("FAKEDEV_STORE");
	struct pair *p;
	FILE *f;

	if (loaded || !name)
		return;
	loaded = 1;
	f = fopen(name, "r");
	if (!f)
		return;
	while (nr_pairs < MAX_PAIRS) {
		p = &pairs[nr_pairs];
		if (fread(&p->ns, 8, 1, f) != 1 ||
		    fread(&p->key_len, 4, 1, f) != 1 ||
		    fread(&p->value_len, 4, 1, f) != 1 ||
		    p->key_len > CESIUM_MAX_KEY_LEN ||
		    fread(p->key, 1, p->key_len, f) != p->key_len)
			break;
		p->value = value_alloc(p->value_len + 1);
		if (!p->value || fread(p->value, 1, p->value_len, f) !=
				 p->value_len) {
			free(p->value);
			break;
		}
		nr_pairs++;
	}
	fclose(f);
}

static void save(void)
{
	const char *name = getenv("FAKEDEV_STORE");
	struct pair *p;
	FILE *f;
	int i;

	if (!name)
		return;
	f = fopen(name, "w");
	if (!f)
		abort();
	for (i = 0; i < nr_pairs; i++) {
		p = &pairs[i];
		fwrite(&p->ns, 8, 1, f);
		fwrite(&p->key_len, 4, 1, f);
		fwrite(&p->value_len, 4, 1, f);
		fwrite(p->key, 1, p->key_len, f);
		fwrite(p->value, 1, p->value_len, f);
	}
	if (fclose(f))
		abort();
}

static void *uptr(uint64_t p)
{
	return (void *)(uintptr_t)p;
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

static struct pair *find(uint64_t ns, const void *key, uint32_t len)
{
	int i;

	for (i = 0; i < nr_pairs; i++)
		if (pairs[i].ns == ns && pairs[i].key_len == len &&
		    !memcmp(pairs[i].key, key, len))
			return &pairs[i];
	return NULL;
}

static int kv_apply(unsigned long req, struct cesium_kv_cmd *cmd, int acc,
		    int do_save)
{
	unsigned int nr = _IOC_NR(req), allowed;
	struct pair *p;
	unsigned char *v;

	if (cmd->size != sizeof(*cmd) || !all_zero(cmd->reserved,
						   sizeof(cmd->reserved)))
		return -EINVAL;
	allowed = nr == 0x41 ? CESIUM_PUT_FLAGS_ALL :
		  nr == 0x42 ? CESIUM_DELETE_FLAGS_ALL : 0;
	if (cmd->flags & ~allowed)
		return -EINVAL;
	if ((cmd->flags & CESIUM_PUT_NO_OVERWRITE) &&
	    (cmd->flags & CESIUM_PUT_UPDATE_ONLY))
		return -EINVAL;
	if (nr != 0x40 && cmd->value_len_ptr)
		return -EINVAL;
	if ((nr == 0x42 || nr == 0x43) && cmd->value_len)
		return -EINVAL;
	if (!cmd->key_len)
		return -EINVAL;
	if (cmd->key_len > CESIUM_MAX_KEY_LEN)
		return -E2BIG;
	if (!cmd->key_ptr)
		return -EFAULT;
	if ((nr == 0x41 || nr == 0x42) && acc == O_RDONLY)
		return -EBADF;
	p = find(cmd->ns, uptr(cmd->key_ptr), cmd->key_len);
	switch (nr) {
	case 0x40:	/* GET */
		if (!p)
			return -ENOENT;
		if (cmd->value_len_ptr)
			*(uint64_t *)uptr(cmd->value_len_ptr) = p->value_len;
		if (p->value_len > cmd->value_len)
			return -EOVERFLOW;
		if (p->value_len)
			memcpy(uptr(cmd->value_ptr), p->value, p->value_len);
		return 0;
	case 0x41:	/* PUT */
		if (cmd->value_len > CESIUM_MAX_VALUE_LEN)
			return -E2BIG;
		if (p && (cmd->flags & CESIUM_PUT_NO_OVERWRITE))
			return -EEXIST;
		if (!p && (cmd->flags & CESIUM_PUT_UPDATE_ONLY))
			return -ENOENT;
		v = value_alloc(cmd->value_len + 1);
		if (!v)
			return -ENOMEM;
		if (cmd->value_len)
			memcpy(v, uptr(cmd->value_ptr), cmd->value_len);
		if (!p) {
			if (nr_pairs == MAX_PAIRS) {
				free(v);
				return -ENOSPC;
			}
			p = &pairs[nr_pairs++];
			p->ns = cmd->ns;
			p->key_len = cmd->key_len;
			memcpy(p->key, uptr(cmd->key_ptr), cmd->key_len);
		}
		/* The old value is leaked: a BATCH may restore it. */
		p->value = v;
		p->value_len = cmd->value_len;
		if (do_save)
			save();
		return 0;
	case 0x42:	/* DELETE */
		if (!p)
			return -ENOENT;
		*p = pairs[--nr_pairs];
		if (do_save)
			save();
		return 0;
	case 0x43:	/* EXISTS */
		return !!p;
	}
	return -ENOTTY;
}

/* Keys in order: unsigned bytes, a prefix first. */
static int key_cmp(const void *a, uint32_t alen, const void *b, uint32_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = *(const struct pair *const *)a;
	const struct pair *y = *(const struct pair *const *)b;

	return key_cmp(x->key, x->key_len, y->key, y->key_len);
}

/* SCAN as the kernel's cesium_store_scan() does it (uapi/cesium.h). */
static int scan(struct cesium_scan_cmd *cmd)
{
	static struct pair *sorted[MAX_PAIRS];
	const unsigned char *start = uptr(cmd->start_ptr);
	const unsigned char *end = uptr(cmd->end_ptr);
	struct cesium_scan_result res = { 0, 0, 0 };
	int reverse = cmd->flags & CESIUM_SCAN_REVERSE;
	uint32_t buf_len = cmd->buf_len < CESIUM_SCAN_BUF_MAX ?
			   cmd->buf_len : CESIUM_SCAN_BUF_MAX;
	unsigned char *out = uptr(cmd->buf_ptr);
	int i, n = 0, ret = 0;

	if (cmd->size != sizeof(*cmd) || (cmd->flags & ~CESIUM_SCAN_FLAGS_ALL) ||
	    cmd->reserved || !cmd->result_ptr)
		return -EINVAL;
	if (cmd->start_len > CESIUM_MAX_KEY_LEN ||
	    cmd->end_len > CESIUM_MAX_KEY_LEN)
		return -E2BIG;
	for (i = 0; i < nr_pairs; i++)
		if (pairs[i].ns == cmd->ns)
			sorted[n++] = &pairs[i];
	qsort(sorted, (size_t)n, sizeof(sorted[0]), pair_cmp);
	for (i = 0; i < n; i++) {
		struct pair *p = sorted[reverse ? n - 1 - i : i];
		uint32_t vlen = cmd->flags & CESIUM_SCAN_KEYS_ONLY ? 0 :
				p->value_len;
		uint64_t need = (8 + p->key_len + vlen + 7) & ~7ULL;
		struct cesium_scan_rec rec = { p->key_len, vlen };
		int c;

		if (cmd->start_len) {
			c = key_cmp(p->key, p->key_len, start, cmd->start_len);
			if (c < 0 || (!c && (cmd->flags &
					     CESIUM_SCAN_START_EXCLUSIVE)))
				continue;
		}
		if (cmd->end_len &&
		    key_cmp(p->key, p->key_len, end, cmd->end_len) >= 0)
			continue;
		if (cmd->limit && res.nr_records == cmd->limit) {
			res.flags = CESIUM_SCAN_MORE;
			break;
		}
		if (res.bytes + need > buf_len) {
			res.flags = CESIUM_SCAN_MORE;
			if (!res.nr_records) {
				res.bytes = need;
				ret = -EOVERFLOW;
			}
			break;
		}
		memcpy(out + res.bytes, &rec, sizeof(rec));
		memcpy(out + res.bytes + 8, p->key, p->key_len);
		memcpy(out + res.bytes + 8 + p->key_len, p->value, vlen);
		memset(out + res.bytes + 8 + p->key_len + vlen, 0,
		       need - 8 - p->key_len - vlen);
		res.bytes += need;
		res.nr_records++;
	}
	memcpy(uptr(cmd->result_ptr), &res, sizeof(res));
	return ret ? ret : (int)res.nr_records;
}

/*
 * BATCH: checked first, then applied one by one with FAKEDEV_STORE saved
 * once; an operation that fails is undone by restoring the pairs as they
 * were (the fake keeps it simple: a copy of the table).
 */
static int batch(struct cesium_batch_cmd *cmd, int acc)
{
	static struct pair saved[MAX_PAIRS];
	struct cesium_batch_op *ops = uptr(cmd->ops_ptr);
	int saved_nr = nr_pairs, ret = 0;
	uint32_t i, bad = 0;

	if (cmd->size != sizeof(*cmd) || (cmd->flags & ~CESIUM_DUR_MASK) ||
	    !all_zero(cmd->reserved, sizeof(cmd->reserved)) ||
	    cmd->op_size != sizeof(*ops) || !cmd->nr_ops)
		return -EINVAL;
	if (cmd->nr_ops > CESIUM_BATCH_MAX_OPS)
		return -E2BIG;
	if (acc == O_RDONLY)
		return -EBADF;
	for (i = 0; i < cmd->nr_ops && !ret; i++) {
		struct cesium_batch_op *op = &ops[i];

		bad = i;
		if (op->reserved || op->result || !op->key_len ||
		    (op->op != CESIUM_OP_PUT && op->op != CESIUM_OP_DELETE) ||
		    (op->op == CESIUM_OP_DELETE && (op->flags || op->value_len ||
						    op->value_ptr)) ||
		    (op->flags & ~(CESIUM_PUT_NO_OVERWRITE |
				   CESIUM_PUT_UPDATE_ONLY)))
			ret = -EINVAL;
		else if (op->key_len > CESIUM_MAX_KEY_LEN ||
			 op->value_len > CESIUM_MAX_VALUE_LEN)
			ret = -E2BIG;
	}
	if (!ret) {
		/* Values are shared with the copy: restore, never free. */
		memcpy(saved, pairs, sizeof(pairs[0]) * (size_t)nr_pairs);
		for (i = 0; i < cmd->nr_ops && !ret; i++) {
			struct cesium_batch_op *op = &ops[i];
			struct cesium_kv_cmd kc = {
				.size = sizeof(kc), .flags = op->flags,
				.ns = op->ns, .key_ptr = op->key_ptr,
				.key_len = op->key_len,
				.value_ptr = op->value_ptr,
				.value_len = op->value_len,
			};

			bad = i;
			ret = kv_apply(op->op == CESIUM_OP_PUT ?
				       CESIUM_IOC_PUT : CESIUM_IOC_DELETE,
				       &kc, acc, 0);
		}
		if (ret) {
			memcpy(pairs, saved, sizeof(pairs[0]) * (size_t)saved_nr);
			nr_pairs = saved_nr;
		} else {
			save();
		}
	}
	for (i = 0; i < cmd->nr_ops; i++)
		ops[i].result = !ret ? 0 : i == bad ? ret : -ECANCELED;
	return ret;
}

static int sync_cmd(struct cesium_sync_cmd *cmd)
{
	if (cmd->size != sizeof(*cmd) || cmd->flags ||
	    !all_zero(cmd->reserved, sizeof(cmd->reserved)))
		return -EINVAL;
	return 0;
}

static int info(struct cesium_info_cmd *cmd)
{
	struct cesium_info in;

	if (cmd->size != sizeof(*cmd) || cmd->flags || cmd->pad ||
	    !all_zero(cmd->reserved, sizeof(cmd->reserved)) ||
	    cmd->info_len < 8)
		return -EINVAL;
	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	in.abi_version = CESIUM_ABI_VERSION;
	in.features = CESIUM_FEATURES_ALL;
	in.format_version = 1;
	in.max_key_len = CESIUM_MAX_KEY_LEN;
	in.max_value_len = CESIUM_MAX_VALUE_LEN;
	in.state = CESIUM_STATE_ONLINE;
	in.index = 0;
	in.logical_block_size = 512;
	in.capacity_bytes = 1 << 28;
	in.used_bytes = 4096;
	in.nr_keys = (uint64_t)nr_pairs;
	strcpy(in.bdev_name, "fake0n1");
	memcpy(uptr(cmd->info_ptr), &in,
	       cmd->info_len < sizeof(in) ? cmd->info_len : sizeof(in));
	return 0;
}

/*
 * STATS: fixed figures, so that tests know the lines: 100 gets, 60 in
 * bucket 13 ([8192, 16384) ns) and 40 in bucket 17; 2 puts in the last
 * bucket; nr_keys the store's; 70 cache hits, 30 misses, 8192 bytes cached.
 */
static int stats_cmd(struct cesium_stats_cmd *cmd)
{
	struct cesium_stats st;

	if (cmd->size != sizeof(*cmd) || cmd->flags || cmd->pad ||
	    !all_zero(cmd->reserved, sizeof(cmd->reserved)) ||
	    cmd->stats_len < 8)
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.gets = 100;
	st.puts = 2;
	st.bytes_out = 1000;
	st.nr_keys = (uint64_t)nr_pairs;
	st.capacity_bytes = 1 << 28;
	st.latency[CESIUM_LAT_GET][13] = 60;
	st.latency[CESIUM_LAT_GET][17] = 40;
	st.latency[CESIUM_LAT_PUT][CESIUM_LAT_BUCKETS - 1] = 2;
	st.cache_hits = 70;
	st.cache_misses = 30;
	st.cache_bytes = 8192;
	st.uring_inline = 5;
	st.uring_async = 6;
	st.uring_punted = 7;
	st.gc_stalls = 3;
	memcpy(uptr(cmd->stats_ptr), &st,
	       cmd->stats_len < sizeof(st) ? cmd->stats_len : sizeof(st));
	return 0;
}

static int control(unsigned long req, void *arg)
{
	struct cesium_list_cmd *lc = arg;
	struct cesium_list_entry e = { 0 };

	if (req != CESIUM_IOC_LIST)
		return -EOPNOTSUPP;	/* not needed by libtest */
	if (lc->size != sizeof(*lc) || lc->flags ||
	    lc->entry_size != sizeof(struct cesium_list_entry))
		return -EINVAL;
	*(uint64_t *)uptr(lc->count_ptr) = 1;
	if (lc->nr_entries < 1)
		return -EOVERFLOW;
	e.state = CESIUM_STATE_ONLINE;
	e.capacity_bytes = 1 << 28;
	e.used_bytes = 4096;
	strcpy(e.bdev_name, "fake0n1");
	memcpy(uptr(lc->entries_ptr), &e, sizeof(e));
	return 1;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd < 0 || fd >= MAX_FDS || fds[fd].kind == NONE) {
		if (!real)
			real = (int (*)(int, unsigned long, ...))
				dlsym(RTLD_NEXT, "ioctl");
		return real(fd, req, arg);
	}
	load();
	if (_IOC_TYPE(req) != CESIUM_IOC_MAGIC)
		ret = -ENOTTY;
	else if (fds[fd].kind == CONTROL)
		ret = _IOC_NR(req) >= 0x60 ? control(req, arg) : -ENOTTY;
	else if (req == CESIUM_IOC_INFO)
		ret = info(arg);
	else if (req == CESIUM_IOC_GET || req == CESIUM_IOC_PUT ||
		 req == CESIUM_IOC_DELETE || req == CESIUM_IOC_EXISTS)
		ret = kv_apply(req, arg, fds[fd].acc, 1);
	else if (req == CESIUM_IOC_SCAN)
		ret = scan(arg);
	else if (req == CESIUM_IOC_BATCH)
		ret = batch(arg, fds[fd].acc);
	else if (req == CESIUM_IOC_SYNC)
		ret = sync_cmd(arg);
	else if (req == CESIUM_IOC_STATS)
		ret = stats_cmd(arg);
	else
		ret = -ENOTTY;
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

#ifdef FAKEDEV_IN_PROCESS
/*
 * Compiled into a test program (#include "fakedev.c") instead of
 * preloaded: the program makes its descriptors with fakedev_fd() and only
 * ioctl() is replaced.
 */
static int fakedev_fd(int acc)
{
	int fd = dup(STDIN_FILENO);

	if (fd >= 0 && fd < MAX_FDS) {
		fds[fd].kind = DATA;
		fds[fd].acc = acc;
	}
	return fd;
}
#else
int open(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	enum kind kind = NONE;
	mode_t mode = 0;
	va_list ap;
	int fd;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (!strcmp(path, FAKE_DATA))
		kind = DATA;
	else if (!strcmp(path, CESIUM_CONTROL_PATH))
		kind = CONTROL;
	if (!real)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	if (kind == NONE)
		return real(path, flags, mode);
	/* The nodes are 0600, root's, or FAKEDEV_OWNER's (a uid). */
	if (geteuid() != (uid_t)atol(getenv("FAKEDEV_OWNER") ?
				     getenv("FAKEDEV_OWNER") : "0")) {
		errno = EACCES;
		return -1;
	}
	fd = real("/dev/null", flags & (O_ACCMODE | O_CLOEXEC | O_NONBLOCK));
	if (fd >= 0 && fd < MAX_FDS) {
		fds[fd].kind = kind;
		fds[fd].acc = flags & O_ACCMODE;
	}
	return fd;
}

int close(int fd)
{
	static int (*real)(int);

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "close");
	if (fd >= 0 && fd < MAX_FDS)
		fds[fd].kind = NONE;
	return real(fd);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return open(path, flags, mode);
}
#endif /* FAKEDEV_IN_PROCESS */
