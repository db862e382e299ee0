// SPDX-License-Identifier: GPL-2.0
/*
 * The command decoder: every user command passes here, is copied and
 * checked field by field, and only then reaches the engine.
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

/* Size of struct cesium_batch_op in ABI version 1: the least accepted. */
#define CESIUM_BATCH_OP_V1	48
/* Key and value bytes of one batch: what one log batch can hold. */
#define CESIUM_BATCH_PAYLOAD_MAX	CESIUM_MAX_VALUE_LEN
/* Size of struct cesium_list_entry in ABI version 1: the least accepted. */
#define CESIUM_LIST_ENTRY_V1	64
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
	BUILD_BUG_ON(sizeof(struct cesium_batch_op) != CESIUM_BATCH_OP_V1);
	BUILD_BUG_ON(sizeof(struct cesium_batch_cmd) != 40);
	BUILD_BUG_ON(sizeof(struct cesium_sync_cmd) != 32);
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
static int cesium_load_cmd(const struct cesium_cmd_src *src, void *kcmd,
			   size_t ksize, size_t min)
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

static bool cesium_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

/* ---- data commands ----------------------------------------------------- */

static int cesium_copy_key(const struct cesium_kv_cmd *c, u8 *key)
{
	if (!c->key_len)
		return -EINVAL;
	if (c->key_len > CESIUM_MAX_KEY_LEN)
		return -E2BIG;
	if (copy_from_user(key, u64_to_user_ptr(c->key_ptr), c->key_len))
		return -EFAULT;
	return 0;
}

static int cesium_cmd_put(struct cesium_dev *cd, const struct cesium_kv_cmd *c,
			  const u8 *key)
{
	enum cesium_durability dur = (c->flags & CESIUM_DUR_MASK) >>
				     CESIUM_DUR_SHIFT;
	unsigned int flags = 0;
	void *value = NULL;
	int ret;

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
	if (c->value_len) {
		value = kvmalloc(c->value_len, GFP_KERNEL);
		if (!value)
			return -ENOMEM;
		if (copy_from_user(value, u64_to_user_ptr(c->value_ptr),
				   c->value_len)) {
			ret = -EFAULT;
			goto out;
		}
	}
	ret = cesium_store_put(cd->store, c->ns, key, c->key_len, value,
			       c->value_len, flags, dur);
out:
	kvfree(value);
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

	if (cap) {
		buf = kvmalloc(cap, GFP_KERNEL);
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
	kvfree(buf);
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

static long cesium_cmd_kv(struct cesium_dev *cd, struct file *file,
			  unsigned int nr, const struct cesium_kv_cmd *c)
{
	u8 key[CESIUM_MAX_KEY_LEN];
	int ret;

	if (!cesium_zero(c->reserved, sizeof(c->reserved)) ||
	    (c->flags & ~cesium_kv_flags_all(nr)))
		return -EINVAL;
	if ((nr == _IOC_NR(CESIUM_IOC_PUT) || nr == _IOC_NR(CESIUM_IOC_DELETE)) &&
	    !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if ((nr == _IOC_NR(CESIUM_IOC_DELETE) || nr == _IOC_NR(CESIUM_IOC_EXISTS)) &&
	    (c->value_len || c->value_ptr || c->value_len_ptr))
		return -EINVAL;
	ret = cesium_copy_key(c, key);
	if (ret)
		return ret;

	switch (nr) {
	case _IOC_NR(CESIUM_IOC_PUT):
		return cesium_cmd_put(cd, c, key);
	case _IOC_NR(CESIUM_IOC_GET):
		return cesium_cmd_get(cd, c, key);
	case _IOC_NR(CESIUM_IOC_DELETE):
		return cesium_store_delete(cd->store, c->ns, key, c->key_len,
					   (c->flags & CESIUM_DUR_MASK) >>
					   CESIUM_DUR_SHIFT);
	default:
		return cesium_store_exists(cd->store, c->ns, key, c->key_len);
	}
}

/* Copy a bound of a scan; 0 bytes is no bound. */
static int cesium_copy_bound(u64 uptr, u32 len, u8 *key)
{
	if (len > CESIUM_MAX_KEY_LEN)
		return -E2BIG;
	if (len && copy_from_user(key, u64_to_user_ptr(uptr), len))
		return -EFAULT;
	return 0;
}

static long cesium_cmd_scan(struct cesium_dev *cd,
			    const struct cesium_scan_cmd *c)
{
	struct cesium_scan_args a = {
		.ns = c->ns,
		.start_len = c->start_len,
		.end_len = c->end_len,
		.limit = c->limit,
		.buf_len = min_t(u32, c->buf_len, CESIUM_SCAN_BUF_MAX),
	};
	struct cesium_scan_result res = { 0 };
	u8 *bounds;
	int ret;

	if ((c->flags & ~CESIUM_SCAN_FLAGS_ALL) || c->reserved ||
	    !c->result_ptr)
		return -EINVAL;
	if (c->flags & CESIUM_SCAN_REVERSE)
		a.flags |= CESIUM_ST_SCAN_REVERSE;
	if (c->flags & CESIUM_SCAN_KEYS_ONLY)
		a.flags |= CESIUM_ST_SCAN_KEYS_ONLY;
	if (c->flags & CESIUM_SCAN_START_EXCLUSIVE)
		a.flags |= CESIUM_ST_SCAN_START_EXCL;

	bounds = kmalloc(2 * CESIUM_MAX_KEY_LEN, GFP_KERNEL);
	if (!bounds)
		return -ENOMEM;
	ret = cesium_copy_bound(c->start_ptr, c->start_len, bounds);
	if (!ret)
		ret = cesium_copy_bound(c->end_ptr, c->end_len,
					bounds + CESIUM_MAX_KEY_LEN);
	if (ret)
		goto out_bounds;
	a.start = bounds;
	a.end = bounds + CESIUM_MAX_KEY_LEN;
	if (a.buf_len) {
		a.buf = kvmalloc(a.buf_len, GFP_KERNEL);
		if (!a.buf) {
			ret = -ENOMEM;
			goto out_bounds;
		}
	}

	ret = cesium_store_scan(cd->store, &a);
	if (ret && ret != -EOVERFLOW)
		goto out_buf;
	res.nr_records = a.nr;
	res.flags = a.more ? CESIUM_SCAN_MORE : 0;
	res.bytes = a.bytes;
	if (copy_to_user(u64_to_user_ptr(c->result_ptr), &res, sizeof(res)) ||
	    (!ret && a.bytes &&
	     copy_to_user(u64_to_user_ptr(c->buf_ptr), a.buf, a.bytes)))
		ret = -EFAULT;
	if (!ret)
		ret = a.nr;
out_buf:
	kvfree(a.buf);
out_bounds:
	kfree(bounds);
	return ret;
}

static int cesium_batch_op_check(const struct cesium_batch_op *op)
{
	if (op->reserved || op->result)
		return -EINVAL;
	if (op->op == CESIUM_OP_PUT) {
		if (op->flags & ~(CESIUM_PUT_NO_OVERWRITE |
				  CESIUM_PUT_UPDATE_ONLY) ||
		    op->flags == (CESIUM_PUT_NO_OVERWRITE |
				  CESIUM_PUT_UPDATE_ONLY))
			return -EINVAL;
	} else if (op->op != CESIUM_OP_DELETE || op->flags ||
		   op->value_len || op->value_ptr) {
		return -EINVAL;
	}
	if (!op->key_len)
		return -EINVAL;
	if (op->key_len > CESIUM_MAX_KEY_LEN ||
	    op->value_len > CESIUM_MAX_VALUE_LEN)
		return -E2BIG;
	return 0;
}

/* Read the user's operations into @items, keys and values into @arena. */
static int cesium_batch_load(const struct cesium_batch_cmd *c,
			     struct cesium_batch_item *items, u8 **arena,
			     u32 *bad)
{
	void __user *uops = u64_to_user_ptr(c->ops_ptr);
	struct cesium_batch_op op;
	size_t bytes = 0, off = 0;
	u32 i;
	int ret;

	for (i = 0; i < c->nr_ops; i++) {
		*bad = i;
		ret = copy_struct_from_user(&op, sizeof(op),
					    uops + (size_t)i * c->op_size,
					    c->op_size);
		/* -E2BIG there means non-zero bytes we do not know. */
		if (ret == -E2BIG)
			ret = -EINVAL;
		if (!ret)
			ret = cesium_batch_op_check(&op);
		if (ret)
			return ret;
		bytes += op.key_len + op.value_len;
		if (bytes > CESIUM_BATCH_PAYLOAD_MAX)
			return -E2BIG;
		items[i].op = op.op == CESIUM_OP_PUT ? CESIUM_REC_PUT :
						       CESIUM_REC_DELETE;
		items[i].flags = (op.flags & CESIUM_PUT_NO_OVERWRITE ?
				  CESIUM_ST_NO_OVERWRITE : 0) |
				 (op.flags & CESIUM_PUT_UPDATE_ONLY ?
				  CESIUM_ST_UPDATE_ONLY : 0);
		items[i].ns = op.ns;
		items[i].key_len = op.key_len;
		items[i].value_len = op.value_len;
		/* Stash the user pointers until the arena exists. */
		items[i].key = u64_to_user_ptr(op.key_ptr);
		items[i].value = u64_to_user_ptr(op.value_ptr);
	}
	*bad = c->nr_ops;
	*arena = kvmalloc(max_t(size_t, bytes, 1), GFP_KERNEL);
	if (!*arena)
		return -ENOMEM;
	for (i = 0; i < c->nr_ops; i++) {
		struct cesium_batch_item *it = &items[i];
		const void __user *ukey = (const void __user *)it->key;
		const void __user *uval = (const void __user *)it->value;

		*bad = i;
		if (copy_from_user(*arena + off, ukey, it->key_len) ||
		    copy_from_user(*arena + off + it->key_len, uval,
				   it->value_len))
			return -EFAULT;
		it->key = *arena + off;
		it->value = *arena + off + it->key_len;
		off += it->key_len + it->value_len;
	}
	return 0;
}

static long cesium_cmd_batch(struct cesium_dev *cd, struct file *file,
			     const struct cesium_batch_cmd *c)
{
	struct cesium_batch_item *items;
	u8 *arena = NULL;
	u32 i, bad = 0;
	int ret;

	if ((c->flags & ~CESIUM_DUR_MASK) ||
	    !cesium_zero(c->reserved, sizeof(c->reserved)) ||
	    c->op_size < CESIUM_BATCH_OP_V1 || c->op_size > PAGE_SIZE ||
	    !c->nr_ops)
		return -EINVAL;
	if (c->nr_ops > CESIUM_BATCH_MAX_OPS)
		return -E2BIG;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	items = kvcalloc(c->nr_ops, sizeof(*items), GFP_KERNEL);
	if (!items)
		return -ENOMEM;
	ret = cesium_batch_load(c, items, &arena, &bad);
	if (ret) {
		for (i = 0; i < c->nr_ops; i++)
			items[i].result = i == bad ? ret : -ECANCELED;
	} else {
		ret = cesium_store_batch(cd->store, items, c->nr_ops,
					 (c->flags & CESIUM_DUR_MASK) >>
					 CESIUM_DUR_SHIFT);
	}
	for (i = 0; i < c->nr_ops; i++) {
		void __user *ures = u64_to_user_ptr(c->ops_ptr) +
				    (size_t)i * c->op_size +
				    offsetof(struct cesium_batch_op, result);

		if (put_user(items[i].result, (s32 __user *)ures)) {
			ret = ret ?: -EFAULT;
			break;
		}
	}
	kvfree(arena);
	kvfree(items);
	return ret;
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

/**
 * cesium_data_cmd() - decode and run a command on /dev/cesiumN.
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
	unsigned int nr = _IOC_NR(cmd);
	union {
		struct cesium_kv_cmd kv;
		struct cesium_info_cmd info;
		struct cesium_scan_cmd scan;
		struct cesium_batch_cmd batch;
		struct cesium_sync_cmd sync;
	} c;
	int ret;

	cesium_abi_checks();
	if (_IOC_TYPE(cmd) != CESIUM_IOC_MAGIC)
		return -ENOTTY;
	switch (nr) {
	case _IOC_NR(CESIUM_IOC_GET):
	case _IOC_NR(CESIUM_IOC_PUT):
	case _IOC_NR(CESIUM_IOC_DELETE):
	case _IOC_NR(CESIUM_IOC_EXISTS):
		ret = cesium_load_cmd(src, &c.kv, sizeof(c.kv),
				      offsetof(struct cesium_kv_cmd, reserved));
		return ret ? ret : cesium_cmd_kv(cd, file, nr, &c.kv);
	case _IOC_NR(CESIUM_IOC_INFO):
		ret = cesium_load_cmd(src, &c.info, sizeof(c.info),
				      offsetof(struct cesium_info_cmd, reserved));
		return ret ? ret : cesium_cmd_info(cd, &c.info);
	case _IOC_NR(CESIUM_IOC_SCAN):
		ret = cesium_load_cmd(src, &c.scan, sizeof(c.scan),
				      offsetof(struct cesium_scan_cmd, reserved));
		return ret ? ret : cesium_cmd_scan(cd, &c.scan);
	case _IOC_NR(CESIUM_IOC_BATCH):
		ret = cesium_load_cmd(src, &c.batch, sizeof(c.batch),
				      offsetof(struct cesium_batch_cmd, reserved));
		return ret ? ret : cesium_cmd_batch(cd, file, &c.batch);
	case _IOC_NR(CESIUM_IOC_SYNC):
		ret = cesium_load_cmd(src, &c.sync, sizeof(c.sync),
				      offsetof(struct cesium_sync_cmd, reserved));
		if (ret)
			return ret;
		if (c.sync.flags || !cesium_zero(c.sync.reserved,
						 sizeof(c.sync.reserved)))
			return -EINVAL;
		return cesium_store_sync(cd->store);
	default:
		return -ENOTTY;
	}
}

/* ---- control commands -------------------------------------------------- */

static char *cesium_copy_path(const struct cesium_ctl_cmd *c)
{
	char *path;

	if (!c->path_len)
		return ERR_PTR(-EINVAL);
	if (c->path_len >= CESIUM_PATH_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	path = memdup_user_nul(u64_to_user_ptr(c->path_ptr), c->path_len);
	if (IS_ERR(path))
		return path;
	if (strlen(path) != c->path_len) {
		kfree(path);
		return ERR_PTR(-EINVAL);
	}
	return path;
}

static const u64 cesium_sig_uapi[] = {
	[CESIUM_SIGNATURE_NONE] = CESIUM_SIG_NONE,
	[CESIUM_SIGNATURE_CESIUM] = CESIUM_SIG_CESIUM,
	[CESIUM_SIGNATURE_PARTITIONS] = CESIUM_SIG_PARTITION_TABLE,
	[CESIUM_SIGNATURE_EXT] = CESIUM_SIG_EXT,
	[CESIUM_SIGNATURE_XFS] = CESIUM_SIG_XFS,
	[CESIUM_SIGNATURE_BTRFS] = CESIUM_SIG_BTRFS,
	[CESIUM_SIGNATURE_SWAP] = CESIUM_SIG_SWAP,
};

/* Exclusive-open holder of a device being formatted. */
static int cesium_format_holder;

static long cesium_cmd_format(const struct cesium_ctl_cmd *c, const char *path)
{
	enum cesium_signature sig = CESIUM_SIGNATURE_NONE;
	struct cesium_backend *be;
	int ret;

	be = cesium_bio_backend_open(path, &cesium_format_holder);
	if (IS_ERR(be))
		return PTR_ERR(be);
	ret = cesium_store_format(be, c->flags & CESIUM_FORMAT_FORCE, &sig);
	cesium_be_release(be);
	if ((!ret || ret == -EEXIST) && c->result_ptr &&
	    put_user(cesium_sig_uapi[sig], (u64 __user *)u64_to_user_ptr(c->result_ptr)))
		return -EFAULT;
	if (!ret)
		pr_info("cesium: formatted %s\n", path);
	return ret;
}

static long cesium_cmd_ctl(unsigned int nr, const struct cesium_ctl_cmd *c)
{
	bool format = nr == _IOC_NR(CESIUM_IOC_FORMAT);
	char *path;
	long ret;

	if (!cesium_zero(c->reserved, sizeof(c->reserved)) ||
	    (c->flags & ~(format ? CESIUM_FORMAT_FLAGS_ALL : 0)))
		return -EINVAL;
	if (nr == _IOC_NR(CESIUM_IOC_DETACH)) {
		if (c->path_ptr || c->path_len || c->result_ptr)
			return -EINVAL;
		return c->index >= CESIUM_MAX_DEVICES ? -ENODEV :
		       cesium_devs_detach(c->index);
	}
	if (c->index || (!format && c->result_ptr))
		return -EINVAL;
	path = cesium_copy_path(c);
	if (IS_ERR(path))
		return PTR_ERR(path);
	ret = format ? cesium_cmd_format(c, path) : cesium_devs_attach(path);
	kfree(path);
	return ret;
}

static long cesium_cmd_list(const struct cesium_list_cmd *c)
{
	if (c->flags || !cesium_zero(c->reserved, sizeof(c->reserved)))
		return -EINVAL;
	if (c->nr_entries > CESIUM_MAX_DEVICES ||
	    c->entry_size < CESIUM_LIST_ENTRY_V1 ||
	    c->entry_size > PAGE_SIZE)
		return -EINVAL;
	return cesium_devs_list(u64_to_user_ptr(c->entries_ptr), c->nr_entries,
				c->entry_size, u64_to_user_ptr(c->count_ptr));
}

/**
 * cesium_control_cmd() - decode and run a command on /dev/cesium-control.
 * @file:	the open file; its opener must have had CAP_SYS_ADMIN.
 * @cmd:	the request number (ioctl) or cmd_op (uring_cmd).
 * @src:	where the command struct is.
 *
 * Context: process context, may sleep.
 * Return: the command's result, or a negative errno.
 */
long cesium_control_cmd(struct file *file, unsigned int cmd,
			const struct cesium_cmd_src *src)
{
	union {
		struct cesium_ctl_cmd ctl;
		struct cesium_list_cmd list;
	} c;
	int ret;

	if (_IOC_TYPE(cmd) != CESIUM_IOC_MAGIC)
		return -ENOTTY;
	/* The opener's credentials, not the caller's: also for io-wq. */
	if (!file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(CESIUM_IOC_FORMAT):
	case _IOC_NR(CESIUM_IOC_ATTACH):
	case _IOC_NR(CESIUM_IOC_DETACH):
		ret = cesium_load_cmd(src, &c.ctl, sizeof(c.ctl),
				      offsetof(struct cesium_ctl_cmd, reserved));
		return ret ? ret : cesium_cmd_ctl(_IOC_NR(cmd), &c.ctl);
	case _IOC_NR(CESIUM_IOC_LIST):
		ret = cesium_load_cmd(src, &c.list, sizeof(c.list),
				      offsetof(struct cesium_list_cmd, reserved));
		return ret ? ret : cesium_cmd_list(&c.list);
	default:
		return -ENOTTY;
	}
}
