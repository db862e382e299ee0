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
		p->value = malloc(p->value_len + 1);
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

static int kv(unsigned long req, struct cesium_kv_cmd *cmd, int acc)
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
		v = malloc(cmd->value_len + 1);
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
		} else {
			free(p->value);
		}
		p->value = v;
		p->value_len = cmd->value_len;
		save();
		return 0;
	case 0x42:	/* DELETE */
		if (!p)
			return -ENOENT;
		free(p->value);
		*p = pairs[--nr_pairs];
		save();
		return 0;
	case 0x43:	/* EXISTS */
		return !!p;
	}
	return -ENOTTY;
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
		ret = kv(req, arg, fds[fd].acc);
	else
		ret = -ENOTTY;
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

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
