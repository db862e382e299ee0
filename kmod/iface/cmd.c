// SPDX-License-Identifier: GPL-2.0
/*
 * The command decoder: every user command passes here, is copied and
 * checked field by field, and only then reaches the engine. This file has
 * the loader shared by ioctl and uring_cmd, the dispatcher of data commands
 * and the single-key commands; cmd_range.c has SCAN and BATCH, control.c
 * the control commands.
 *
 * Commands are told apart by the ioctl type and number; the size bits of
 * the request are not used, the struct's own size field is (so a struct can
 * grow without a new request number): a shorter struct reads as if the
 * missing fields were zero, a longer one is accepted if its extra bytes are
 * zero (copy_struct_from_user()).
 */
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/unaligned.h>

#include <uapi/cesium.h>
#include "../engine/store.h"
#include "../io/backend.h"
#include "../io/bio_backend.h"
#include "iface.h"

#define CREATE_TRACE_POINTS
#include "trace_cmd.h"

/* Largest command struct size accepted from user space. */
#define CESIUM_CMD_SIZE_MAX	512

static void cesium_abi_checks(void)
{
	BUILD_BUG_ON(sizeof(struct cesium_kv_cmd) != 64);
	BUILD_BUG_ON(sizeof(struct cesium_info) != 176);
	BUILD_BUG_ON(sizeof(struct cesium_info_cmd) != 40);
	BUILD_BUG_ON(sizeof(struct cesium_ctl_cmd) != 64);
	BUILD_BUG_ON(sizeof(struct cesium_list_entry) != 64);
	BUILD_BUG_ON(sizeof(struct cesium_list_cmd) != 48);
	BUILD_BUG_ON(sizeof(struct cesium_scan_cmd) != 72);
	BUILD_BUG_ON(sizeof(struct cesium_scan_result) != 16);
	BUILD_BUG_ON(sizeof(struct cesium_scan_rec) !=
		     sizeof(struct cesium_scan_out_rec));
	BUILD_BUG_ON(sizeof(struct cesium_batch_op) != 48);
	BUILD_BUG_ON(sizeof(struct cesium_batch_cmd) != 40);
	BUILD_BUG_ON(sizeof(struct cesium_sync_cmd) != 32);
	BUILD_BUG_ON(sizeof(struct cesium_stats) != 1848);
	BUILD_BUG_ON(sizeof(struct cesium_stats_cmd) != 40);
	BUILD_BUG_ON(sizeof(struct cesium_ns_cmd) != 48);
	BUILD_BUG_ON(sizeof(struct cesium_check_cmd) != 56);
	BUILD_BUG_ON(sizeof(struct cesium_check_result) != 64);
	BUILD_BUG_ON(CESIUM_BATCH_MAX_OPS != CESIUM_STORE_BATCH_MAX);
	BUILD_BUG_ON(CESIUM_MAX_KEY_LEN != CESIUM_STORE_KEY_MAX);
	BUILD_BUG_ON(CESIUM_MAX_VALUE_LEN != CESIUM_STORE_VALUE_MAX);
	BUILD_BUG_ON(CESIUM_STATE_READ_ONLY != CESIUM_STORE_READ_ONLY);
	BUILD_BUG_ON(CESIUM_STATE_FAILED != CESIUM_STORE_FAILED);
	BUILD_BUG_ON(CESIUM_DUR_SYNC >> CESIUM_DUR_SHIFT != CESIUM_DURABILITY_SYNC);
	BUILD_BUG_ON(CESIUM_DUR_NONE >> CESIUM_DUR_SHIFT != CESIUM_DURABILITY_NONE);
}

/*
 * Load a command struct whose first field is its __u32 size, from where the
 * command came: the user's struct (ioctl) or the SQE's bytes (uring_cmd).
 * @min is the smallest size accepted: every field up to the reserved ones.
 */
int cesium_load_cmd(const struct cesium_cmd_src *src, void *kcmd, size_t ksize,
		    size_t min)
{
	u32 usize;
	int ret;

	if (src->kbytes) {
		usize = get_unaligned((const u32 *)src->kbytes);
		if (usize < min || usize > src->klen)
			return -EINVAL;
		if (usize > ksize &&
		    memchr_inv(src->kbytes + ksize, 0, usize - ksize))
			return -EINVAL;
		memset(kcmd, 0, ksize);
		memcpy(kcmd, src->kbytes, min_t(size_t, usize, ksize));
		return 0;
	}
	if (get_user(usize, (const u32 __user *)src->uarg))
		return -EFAULT;
	if (usize < min || usize > CESIUM_CMD_SIZE_MAX)
		return -EINVAL;
	ret = copy_struct_from_user(kcmd, ksize, src->uarg, usize);
	/* -E2BIG there means non-zero bytes we do not know: bad fields. */
	return ret == -E2BIG ? -EINVAL : ret;
}

bool cesium_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

/* ---- data commands ----------------------------------------------------- */

/**
 * cesium_copy_key() - check a KV command's key length and copy its key.
 * @c:		the command.
 * @key:	receives the key, CESIUM_MAX_KEY_LEN bytes of room.
 * @nofault:	copy without taking page faults (no sleeping): -EFAULT then
 *		also means the key's page is not resident.
 *
 * Return: 0, -EINVAL, -E2BIG or -EFAULT.
 */
int cesium_copy_key(const struct cesium_kv_cmd *c, u8 *key, bool nofault)
{
	const void __user *ukey = u64_to_user_ptr(c->key_ptr);

	if (!c->key_len)
		return -EINVAL;
	if (c->key_len > CESIUM_MAX_KEY_LEN)
		return -E2BIG;
	if (nofault ? copy_from_user_nofault(key, ukey, c->key_len) :
		      copy_from_user(key, ukey, c->key_len))
		return -EFAULT;
	return 0;
}

/**
 * cesium_cmd_dur() - the durability a write command runs with.
 * @cd:		the device.
 * @src:	the command's source.
 * @flags:	the command's flags (CESIUM_DUR_*).
 *
 * A uring_cmd whose write would wait for sync durability runs it without
 * waiting and is completed when the log is durable (uring.c).
 *
 * Return: the durability to pass to the store.
 */
enum cesium_durability cesium_cmd_dur(struct cesium_dev *cd,
				      const struct cesium_cmd_src *src,
				      u32 flags)
{
	enum cesium_durability dur = (flags & CESIUM_DUR_MASK) >>
				     CESIUM_DUR_SHIFT;

	if (src->defer_sync && cesium_store_durability(cd->store, dur) ==
			       CESIUM_DURABILITY_SYNC) {
		*src->defer_sync = true;
		return CESIUM_DURABILITY_NONE;
	}
	return dur;
}

static int cesium_cmd_put(struct cesium_dev *cd, const struct cesium_kv_cmd *c,
			  const u8 *key, const struct cesium_cmd_src *src)
{
	enum cesium_durability dur = cesium_cmd_dur(cd, src, c->flags);
	unsigned int flags = 0;
	void *value = NULL;
	int ret;

	/* A sync put waits for its batch: not worth copying the value. */
	if (src->nowait &&
	    cesium_store_durability(cd->store, dur) == CESIUM_DURABILITY_SYNC)
		return -EAGAIN;
	if (c->value_len_ptr)
		return -EINVAL;
	if ((c->flags & CESIUM_PUT_NO_OVERWRITE) &&
	    (c->flags & CESIUM_PUT_UPDATE_ONLY))
		return -EINVAL;
	if (c->value_len > CESIUM_MAX_VALUE_LEN)
		return -E2BIG;
	if (c->flags & CESIUM_PUT_NO_OVERWRITE)
		flags |= CESIUM_ST_NO_OVERWRITE;
	if (c->flags & CESIUM_PUT_UPDATE_ONLY)
		flags |= CESIUM_ST_UPDATE_ONLY;
	if (src->nowait)
		flags |= CESIUM_ST_NOWAIT;
	/*
	 * Without waiting (src->nowait): no reclaim and no page fault, else
	 * -EAGAIN and the io-wq worker does it.
	 */
	if (c->value_len) {
		value = cesium_store_buf_alloc(cd->store, c->value_len,
					       src->nowait ?
					       GFP_NOWAIT | __GFP_NOWARN :
					       GFP_KERNEL);
		if (!value)
			return src->nowait ? -EAGAIN : -ENOMEM;
		if (src->nowait ?
		    copy_from_user_nofault(value, u64_to_user_ptr(c->value_ptr),
					   c->value_len) :
		    copy_from_user(value, u64_to_user_ptr(c->value_ptr),
				   c->value_len)) {
			ret = src->nowait ? -EAGAIN : -EFAULT;
			goto out;
		}
	}
	ret = cesium_store_put(cd->store, c->ns, key, c->key_len, value,
			       c->value_len, flags, dur);
out:
	cesium_store_buf_free(cd->store, value, c->value_len);
	return ret;
}

static int cesium_cmd_get(struct cesium_dev *cd, const struct cesium_kv_cmd *c,
			  const u8 *key)
{
	u32 cap = min_t(u32, c->value_len, CESIUM_MAX_VALUE_LEN);
	u64 __user *lenp = u64_to_user_ptr(c->value_len_ptr);
	void *buf = NULL;
	u32 vlen = 0;
	int ret;

	/* Only the value's bytes, written by the get, go out. */
	if (cap) {
		buf = cesium_store_buf_alloc(cd->store, cap, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	ret = cesium_store_get(cd->store, c->ns, key, c->key_len, buf, cap,
			       &vlen);
	if ((!ret || ret == -EOVERFLOW) && lenp && put_user((u64)vlen, lenp))
		ret = -EFAULT;
	if (!ret && vlen &&
	    copy_to_user(u64_to_user_ptr(c->value_ptr), buf, vlen))
		ret = -EFAULT;
	cesium_store_buf_free(cd->store, buf, cap);
	return ret;
}

static u32 cesium_kv_flags_all(unsigned int nr)
{
	switch (nr) {
	case _IOC_NR(CESIUM_IOC_PUT):
		return CESIUM_PUT_FLAGS_ALL;
	case _IOC_NR(CESIUM_IOC_DELETE):
		return CESIUM_DELETE_FLAGS_ALL;
	case _IOC_NR(CESIUM_IOC_GET):
		return CESIUM_GET_FLAGS_ALL;
	default:
		return CESIUM_EXISTS_FLAGS_ALL;
	}
}

/**
 * cesium_kv_check() - the checks of a KV command before its key is read.
 * @file:	the open file (its mode).
 * @nr:		_IOC_NR() of GET, PUT, DELETE or EXISTS.
 * @c:		the command.
 *
 * Return: 0, -EINVAL or -EBADF.
 */
int cesium_kv_check(struct file *file, unsigned int nr,
		    const struct cesium_kv_cmd *c)
{
	if (!cesium_zero(c->reserved, sizeof(c->reserved)) ||
	    (c->flags & ~cesium_kv_flags_all(nr)))
		return -EINVAL;
	if ((nr == _IOC_NR(CESIUM_IOC_PUT) || nr == _IOC_NR(CESIUM_IOC_DELETE)) &&
	    !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if ((nr == _IOC_NR(CESIUM_IOC_DELETE) || nr == _IOC_NR(CESIUM_IOC_EXISTS)) &&
	    (c->value_len || c->value_ptr || c->value_len_ptr))
		return -EINVAL;
	return 0;
}

static long cesium_cmd_kv(struct cesium_dev *cd, struct file *file,
			  unsigned int nr, const struct cesium_kv_cmd *c,
			  const struct cesium_cmd_src *src)
{
	u8 key[CESIUM_MAX_KEY_LEN];
	int ret;

	ret = cesium_kv_check(file, nr, c);
	if (ret)
		return ret;
	ret = cesium_copy_key(c, key, src->nowait);
	if (ret)
		return ret == -EFAULT && src->nowait ? -EAGAIN : ret;

	switch (nr) {
	case _IOC_NR(CESIUM_IOC_PUT):
		return cesium_cmd_put(cd, c, key, src);
	case _IOC_NR(CESIUM_IOC_GET):
		return cesium_cmd_get(cd, c, key);
	case _IOC_NR(CESIUM_IOC_DELETE):
		return cesium_store_delete(cd->store, c->ns, key, c->key_len,
					   src->nowait ? CESIUM_ST_NOWAIT : 0,
					   cesium_cmd_dur(cd, src, c->flags));
	default:
		return cesium_store_exists(cd->store, c->ns, key, c->key_len,
					   src->nowait ? CESIUM_ST_NOWAIT : 0);
	}
}

static long cesium_cmd_info(struct cesium_dev *cd,
			    const struct cesium_info_cmd *c)
{
	struct cesium_store_info si;
	struct cesium_info info;

	if (c->flags || c->pad || !cesium_zero(c->reserved, sizeof(c->reserved)))
		return -EINVAL;
	if (c->info_len < 8)
		return -EINVAL;
	cesium_store_info(cd->store, &si);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.abi_version = CESIUM_ABI_VERSION;
	info.features = CESIUM_FEATURES_ALL;
	info.format_version = si.format_version;
	info.max_key_len = CESIUM_MAX_KEY_LEN;
	info.max_value_len = CESIUM_MAX_VALUE_LEN;
	info.state = si.state;
	info.index = cd->index;
	info.logical_block_size = cd->be->logical_block_size;
	info.capacity_bytes = si.capacity_bytes;
	info.used_bytes = si.used_bytes;
	info.nr_keys = si.nr_keys;
	memcpy(info.uuid, si.uuid, sizeof(info.uuid));
	strscpy(info.bdev_name, cd->be->name, sizeof(info.bdev_name));
	if (copy_to_user(u64_to_user_ptr(c->info_ptr), &info,
			 min_t(size_t, c->info_len, sizeof(info))))
		return -EFAULT;
	return 0;
}

/* Most ids NAMESPACES returns in one call. */
#define CESIUM_NS_LIST_MAX	65536

static long cesium_cmd_namespaces(struct cesium_dev *cd,
				  const struct cesium_ns_cmd *c)
{
	u32 cap = min_t(u32, c->nr_ids, CESIUM_NS_LIST_MAX);
	u64 *ids = NULL, total;
	long ret;
	u32 n;

	if (c->flags || c->pad || !cesium_zero(c->reserved, sizeof(c->reserved)))
		return -EINVAL;
	if (cap) {
		ids = kvmalloc_array(cap, sizeof(*ids), GFP_KERNEL);
		if (!ids)
			return -ENOMEM;
	}
	n = cesium_store_namespaces(cd->store, ids, cap, &total);
	ret = total > c->nr_ids ? -EOVERFLOW : n;
	if (n && copy_to_user(u64_to_user_ptr(c->ids_ptr), ids,
			      n * sizeof(*ids)))
		ret = -EFAULT;
	else if (c->count_ptr &&
		 put_user(total, (u64 __user *)u64_to_user_ptr(c->count_ptr)))
		ret = -EFAULT;
	kvfree(ids);
	return ret;
}

/* Most damaged offsets CHECK reports in one call. */
#define CESIUM_CHECK_LIST_MAX	4096

/**
 * cesium_check_prep() - check a CHECK command and make room for its list.
 * @c:		the decoded command.
 * @a:		receives the engine's arguments; free with cesium_check_free().
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int cesium_check_prep(const struct cesium_check_cmd *c,
		      struct cesium_check_args *a)
{
	memset(a, 0, sizeof(*a));
	if (c->flags || c->pad || c->reserved || !c->result_ptr)
		return -EINVAL;
	a->offset = c->offset;
	a->max_bytes = c->max_bytes;
	a->nr_damaged = min_t(u32, c->nr_damaged, CESIUM_CHECK_LIST_MAX);
	if (a->nr_damaged) {
		a->damaged = kvmalloc_array(a->nr_damaged, sizeof(u64),
					    GFP_KERNEL);
		if (!a->damaged)
			return -ENOMEM;
	}
	return 0;
}

/**
 * cesium_check_out() - write a CHECK's results to user memory.
 * @c:		the command.
 * @a:		what cesium_store_check() made of it.
 * @ret:	what cesium_store_check() returned.
 *
 * Context: the caller's task (its memory).
 * Return: the command's result: the damaged stretches found, or a negative
 * errno (@ret, -EFAULT).
 */
long cesium_check_out(const struct cesium_check_cmd *c,
		      const struct cesium_check_args *a, int ret)
{
	struct cesium_check_result res = {
		.next_offset = a->offset,
		.start_offset = a->head,
		.end_offset = a->tail,
		.checked_bytes = a->checked,
		.batches = a->batches,
		.damaged = a->found,
		.lost_segments = a->lost_segs,
	};

	if (ret)
		return ret;
	if (copy_to_user(u64_to_user_ptr(c->result_ptr), &res, sizeof(res)) ||
	    (a->found && a->nr_damaged &&
	     copy_to_user(u64_to_user_ptr(c->damaged_ptr), a->damaged,
			  min_t(u64, a->found, a->nr_damaged) * sizeof(u64))))
		return -EFAULT;
	return min_t(u64, a->found, INT_MAX);
}

void cesium_check_free(struct cesium_check_args *a)
{
	kvfree(a->damaged);
	a->damaged = NULL;
}

static long cesium_cmd_check(struct cesium_dev *cd,
			     const struct cesium_check_cmd *c)
{
	struct cesium_check_args a;
	long ret;

	ret = cesium_check_prep(c, &a);
	if (!ret)
		ret = cesium_check_out(c, &a, cesium_store_check(cd->store, &a));
	cesium_check_free(&a);
	return ret;
}

/**
 * cesium_cmd_nowait_ok() - may a command run where nothing may sleep?
 * @nr:		_IOC_NR() of the command.
 *
 * PUT and DELETE (unless sync), EXISTS and SCAN can (each answers -EAGAIN
 * when it would wait after all); GET has its own path (uring_get.c). A
 * BATCH cannot: a failed allocation half-way through its index changes
 * cannot be undone, so it allocates with GFP_KERNEL. CHECK reads the
 * device; SYNC waits for it; the others are rare and copy to user memory.
 *
 * Return: true when cesium_data_exec() accepts it with src->nowait.
 */
bool cesium_cmd_nowait_ok(unsigned int nr)
{
	return nr == _IOC_NR(CESIUM_IOC_PUT) || nr == _IOC_NR(CESIUM_IOC_DELETE) ||
	       nr == _IOC_NR(CESIUM_IOC_EXISTS) || nr == _IOC_NR(CESIUM_IOC_SCAN);
}

/**
 * cesium_data_exec() - decode and run a command on /dev/cesiumN.
 * @cd:		the device.
 * @file:	the open file.
 * @cmd:	the request number (ioctl) or cmd_op (uring_cmd).
 * @src:	where the command struct is.
 *
 * Context: process context, may sleep.
 * Return: the command's result, or a negative errno.
 */
long cesium_data_exec(struct cesium_dev *cd, struct file *file,
			     unsigned int cmd, const struct cesium_cmd_src *src)
{
	unsigned int nr = _IOC_NR(cmd);
	union {
		struct cesium_kv_cmd kv;
		struct cesium_info_cmd info;
		struct cesium_scan_cmd scan;
		struct cesium_batch_cmd batch;
		struct cesium_sync_cmd sync;
		struct cesium_stats_cmd stats;
		struct cesium_ns_cmd ns;
		struct cesium_check_cmd check;
	} c;
	int ret;

	cesium_abi_checks();
	if (_IOC_TYPE(cmd) != CESIUM_IOC_MAGIC)
		return -ENOTTY;
	if (src->nowait && !cesium_cmd_nowait_ok(nr))
		return -EAGAIN;
	switch (nr) {
	case _IOC_NR(CESIUM_IOC_GET):
	case _IOC_NR(CESIUM_IOC_PUT):
	case _IOC_NR(CESIUM_IOC_DELETE):
	case _IOC_NR(CESIUM_IOC_EXISTS):
		ret = cesium_load_cmd(src, &c.kv, sizeof(c.kv),
				      offsetof(struct cesium_kv_cmd, reserved));
		return ret ? ret : cesium_cmd_kv(cd, file, nr, &c.kv, src);
	case _IOC_NR(CESIUM_IOC_INFO):
		ret = cesium_load_cmd(src, &c.info, sizeof(c.info),
				      offsetof(struct cesium_info_cmd, reserved));
		return ret ? ret : cesium_cmd_info(cd, &c.info);
	case _IOC_NR(CESIUM_IOC_SCAN):
		ret = cesium_load_cmd(src, &c.scan, sizeof(c.scan),
				      offsetof(struct cesium_scan_cmd, reserved));
		return ret ? ret : cesium_cmd_scan(cd, &c.scan, src->nowait);
	case _IOC_NR(CESIUM_IOC_BATCH):
		ret = cesium_load_cmd(src, &c.batch, sizeof(c.batch),
				      offsetof(struct cesium_batch_cmd, reserved));
		return ret ? ret : cesium_cmd_batch(cd, file, &c.batch, src);
	case _IOC_NR(CESIUM_IOC_SYNC):
		ret = cesium_load_cmd(src, &c.sync, sizeof(c.sync),
				      offsetof(struct cesium_sync_cmd, reserved));
		if (ret)
			return ret;
		if (c.sync.flags || !cesium_zero(c.sync.reserved,
						 sizeof(c.sync.reserved)))
			return -EINVAL;
		if (src->defer_sync) {
			/* The uring_cmd waits without a thread (uring.c). */
			*src->defer_sync = true;
			return 0;
		}
		return cesium_store_sync(cd->store);
	case _IOC_NR(CESIUM_IOC_STATS):
		ret = cesium_load_cmd(src, &c.stats, sizeof(c.stats),
				      offsetof(struct cesium_stats_cmd, reserved));
		return ret ? ret : cesium_cmd_stats(cd, &c.stats);
	case _IOC_NR(CESIUM_IOC_NAMESPACES):
		ret = cesium_load_cmd(src, &c.ns, sizeof(c.ns),
				      offsetof(struct cesium_ns_cmd, reserved));
		return ret ? ret : cesium_cmd_namespaces(cd, &c.ns);
	case _IOC_NR(CESIUM_IOC_CHECK):
		ret = cesium_load_cmd(src, &c.check, sizeof(c.check),
				      offsetof(struct cesium_check_cmd, reserved));
		return ret ? ret : cesium_cmd_check(cd, &c.check);
	default:
		return -ENOTTY;
	}
}

/**
 * cesium_data_cmd() - decode and run a command on /dev/cesiumN, and count
 * its latency.
 * @cd:		the device.
 * @file:	the open file (its mode and credentials decide what is allowed).
 * @cmd:	the request number (ioctl) or cmd_op (uring_cmd).
 * @src:	where the command struct is.
 *
 * Context: process context, may sleep.
 * Return: the command's result, or a negative errno.
 */
long cesium_data_cmd(struct cesium_dev *cd, struct file *file,
		     unsigned int cmd, const struct cesium_cmd_src *src)
{
	u64 t0 = cesium_cmd_clock();
	long ret;

	ret = cesium_data_exec(cd, file, cmd, src);
	cesium_cmd_account(cd, cmd, ret, t0);
	return ret;
}

/**
 * cesium_cmd_account() - count a finished data command: its latency
 * histogram and the cesium_cmd tracepoint.
 * @cd:		the device.
 * @cmd:	the request number (ioctl) or cmd_op (uring_cmd).
 * @ret:	the command's result.
 * @t0:		cesium_cmd_clock() when the command came in.
 *
 * Context: any.
 */
void cesium_cmd_account(struct cesium_dev *cd, unsigned int cmd, long ret,
			u64 t0)
{
	int op = _IOC_TYPE(cmd) == CESIUM_IOC_MAGIC ?
		 cesium_lat_op(_IOC_NR(cmd)) : -1;
	u64 now = cesium_cmd_clock();
	u64 dt = now > t0 ? now - t0 : 0;

	if (op >= 0)
		cesium_lat_record(cd, op, dt);
	trace_cesium_cmd(cd->index, _IOC_NR(cmd), ret, dt);
}
