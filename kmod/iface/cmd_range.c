// SPDX-License-Identifier: GPL-2.0
/*
 * SCAN and BATCH: the commands that carry many keys. Both copy everything
 * they need from user memory before the engine runs, and write their
 * outputs back after it returns, so the engine never touches user memory.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <uapi/cesium.h>
#include "../engine/store.h"
#include "iface.h"

/* Size of struct cesium_batch_op in ABI version 1: the least accepted. */
#define CESIUM_BATCH_OP_V1	48
/* Key and value bytes of one batch: what one log batch can hold. */
#define CESIUM_BATCH_PAYLOAD_MAX	CESIUM_MAX_VALUE_LEN

/*
 * Copy a bound of a scan; 0 bytes is no bound. @nofault: without page
 * faults (then -EFAULT also means "not resident").
 */
static int cesium_copy_bound(u64 uptr, u32 len, u8 *key, bool nofault)
{
	const void __user *p = u64_to_user_ptr(uptr);

	if (len > CESIUM_MAX_KEY_LEN)
		return -E2BIG;
	if (len && (nofault ? copy_from_user_nofault(key, p, len) :
			      copy_from_user(key, p, len)))
		return -EFAULT;
	return 0;
}

/* Copy to user memory, without page faults when @nofault. */
static int cesium_copy_out(u64 uptr, const void *from, size_t len,
			   bool nofault)
{
	void __user *p = u64_to_user_ptr(uptr);

	return (nofault ? copy_to_user_nofault(p, from, len) :
			  copy_to_user(p, from, len)) ? -EFAULT : 0;
}

/**
 * cesium_cmd_scan() - SCAN.
 * @cd:		the device.
 * @c:		the decoded command.
 * @nowait:	a uring_cmd's first issue: nothing may sleep. -EAGAIN when
 *		something would (a value to read from the device, memory,
 *		a lock, a page fault), for the command to run again where it
 *		may; the output may have been written meanwhile.
 *
 * Context: process context, may sleep unless @nowait.
 * Return: the number of records, or a negative errno.
 */
long cesium_cmd_scan(struct cesium_dev *cd, const struct cesium_scan_cmd *c,
		     bool nowait)
{
	gfp_t gfp = nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_KERNEL;
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
	if (nowait)
		a.flags |= CESIUM_ST_SCAN_NOWAIT;

	bounds = kmalloc(2 * CESIUM_MAX_KEY_LEN, gfp);
	if (!bounds)
		return nowait ? -EAGAIN : -ENOMEM;
	ret = cesium_copy_bound(c->start_ptr, c->start_len, bounds, nowait);
	if (!ret)
		ret = cesium_copy_bound(c->end_ptr, c->end_len,
					bounds + CESIUM_MAX_KEY_LEN, nowait);
	if (ret)
		goto out_bounds;
	a.start = bounds;
	a.end = bounds + CESIUM_MAX_KEY_LEN;
	if (a.buf_len) {
		/* kvmalloc() without GFP_KERNEL tries kmalloc() only. */
		a.buf = kvmalloc(a.buf_len, gfp);
		if (!a.buf) {
			ret = nowait ? -EAGAIN : -ENOMEM;
			goto out_bounds;
		}
	}

	ret = cesium_store_scan(cd->store, &a);
	if (ret && ret != -EOVERFLOW)
		goto out_buf;
	res.nr_records = a.nr;
	res.flags = a.more ? CESIUM_SCAN_MORE : 0;
	res.bytes = a.bytes;
	if (cesium_copy_out(c->result_ptr, &res, sizeof(res), nowait) ||
	    (!ret && a.bytes &&
	     cesium_copy_out(c->buf_ptr, a.buf, a.bytes, nowait)))
		ret = -EFAULT;
	if (!ret)
		ret = a.nr;
out_buf:
	kvfree(a.buf);
out_bounds:
	kfree(bounds);
	return ret == -EFAULT && nowait ? -EAGAIN : ret;
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

/*
 * Read the user's operations into @items and their keys and values into
 * @arena; @uaddr (2 per operation) keeps the user addresses in between.
 * On failure *@bad is the operation at fault (nr_ops: none in particular).
 */
static int cesium_batch_load(const struct cesium_batch_cmd *c,
			     struct cesium_batch_item *items, u64 *uaddr,
			     u8 **arena, u32 *bad)
{
	void __user *uops = u64_to_user_ptr(c->ops_ptr);
	struct cesium_batch_op op;
	size_t bytes = 0, off = 0;
	u32 i;
	int ret;

	for (i = 0; i < c->nr_ops; i++) {
		void __user *uop = uops + (size_t)i * c->op_size;
		s32 __user *ures = uop + offsetof(struct cesium_batch_op, result);

		*bad = i;
		ret = copy_struct_from_user(&op, sizeof(op), uop, c->op_size);
		/* -E2BIG there means non-zero bytes we do not know. */
		if (ret == -E2BIG)
			ret = -EINVAL;
		if (!ret)
			ret = cesium_batch_op_check(&op);
		/*
		 * The results are written back after the batch is applied:
		 * make sure they can be before, so that a batch applied is
		 * never reported as -EFAULT. The field holds 0 (checked).
		 */
		if (!ret && put_user(0, ures))
			ret = -EFAULT;
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
		uaddr[2 * i] = op.key_ptr;
		uaddr[2 * i + 1] = op.value_ptr;
	}
	*bad = c->nr_ops;
	*arena = kvmalloc(max_t(size_t, bytes, 1), GFP_KERNEL);
	if (!*arena)
		return -ENOMEM;
	for (i = 0; i < c->nr_ops; i++) {
		struct cesium_batch_item *it = &items[i];

		*bad = i;
		if (copy_from_user(*arena + off, u64_to_user_ptr(uaddr[2 * i]),
				   it->key_len) ||
		    copy_from_user(*arena + off + it->key_len,
				   u64_to_user_ptr(uaddr[2 * i + 1]),
				   it->value_len))
			return -EFAULT;
		it->key = *arena + off;
		it->value = *arena + off + it->key_len;
		off += it->key_len + it->value_len;
	}
	return 0;
}

/**
 * cesium_cmd_batch() - BATCH.
 * @cd:		the device.
 * @file:	the open file: it must be open for writing.
 * @c:		the decoded command.
 * @src:	its source (a uring_cmd may defer sync durability).
 *
 * Context: process context, may sleep.
 * Return: 0, or the error of the first operation that failed.
 */
long cesium_cmd_batch(struct cesium_dev *cd, struct file *file,
		      const struct cesium_batch_cmd *c,
		      const struct cesium_cmd_src *src)
{
	struct cesium_batch_item *items;
	u64 *uaddr = NULL;
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
	uaddr = kvmalloc_array(2 * c->nr_ops, sizeof(*uaddr), GFP_KERNEL);
	if (!items || !uaddr) {
		ret = -ENOMEM;
		goto out;
	}
	ret = cesium_batch_load(c, items, uaddr, &arena, &bad);
	if (ret) {
		for (i = 0; i < c->nr_ops; i++)
			items[i].result = i == bad ? ret : -ECANCELED;
	} else {
		ret = cesium_store_batch(cd->store, items, c->nr_ops,
					 cesium_cmd_dur(cd, src, c->flags));
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
out:
	kvfree(arena);
	kvfree(uaddr);
	kvfree(items);
	return ret;
}
