// SPDX-License-Identifier: GPL-2.0
/*
 * SCAN and BATCH: the commands that carry many keys. Both copy everything
 * they need from user memory before the engine runs, and write their
 * outputs back after it returns, so the engine never touches user memory.
 * A SCAN is decoded into a struct cesium_scan_call and its outputs written
 * by helpers that uring_scan.c shares: there, in io-wq, the engine's scan
 * runs in two halves around its device reads, and the outputs are written
 * from task work in the submitting task.
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
 * cesium_scan_call_prep() - decode a SCAN: its flags, its bounds and its
 * output buffer, in kernel memory.
 * @sc:		receives the scan; end with cesium_scan_call_free().
 * @c:		the decoded command.
 * @nowait:	a uring_cmd's first issue: nothing may sleep (-EAGAIN when
 *		something would: memory, a page fault).
 *
 * Context: process context, may sleep unless @nowait.
 * Return: 0 or a negative errno (nothing to free then).
 */
int cesium_scan_call_prep(struct cesium_scan_call *sc,
			  const struct cesium_scan_cmd *c, bool nowait)
{
	gfp_t gfp = nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_KERNEL;
	struct cesium_scan_args *a = &sc->a;
	int ret;

	memset(sc, 0, sizeof(*sc));
	if ((c->flags & ~CESIUM_SCAN_FLAGS_ALL) || c->reserved ||
	    !c->result_ptr)
		return -EINVAL;
	sc->result_ptr = c->result_ptr;
	sc->buf_ptr = c->buf_ptr;
	a->ns = c->ns;
	a->start_len = c->start_len;
	a->end_len = c->end_len;
	a->limit = c->limit;
	a->buf_len = min_t(u32, c->buf_len, CESIUM_SCAN_BUF_MAX);
	if (c->flags & CESIUM_SCAN_REVERSE)
		a->flags |= CESIUM_ST_SCAN_REVERSE;
	if (c->flags & CESIUM_SCAN_KEYS_ONLY)
		a->flags |= CESIUM_ST_SCAN_KEYS_ONLY;
	if (c->flags & CESIUM_SCAN_START_EXCLUSIVE)
		a->flags |= CESIUM_ST_SCAN_START_EXCL;
	if (nowait)
		a->flags |= CESIUM_ST_SCAN_NOWAIT;

	sc->bounds = kmalloc(2 * CESIUM_MAX_KEY_LEN, gfp);
	if (!sc->bounds)
		return nowait ? -EAGAIN : -ENOMEM;
	ret = cesium_copy_bound(c->start_ptr, c->start_len, sc->bounds,
				nowait);
	if (!ret)
		ret = cesium_copy_bound(c->end_ptr, c->end_len,
					sc->bounds + CESIUM_MAX_KEY_LEN, nowait);
	if (ret)
		goto out_bounds;
	a->start = sc->bounds;
	a->end = sc->bounds + CESIUM_MAX_KEY_LEN;
	if (a->buf_len) {
		/* kvmalloc() without GFP_KERNEL tries kmalloc() only. */
		a->buf = kvmalloc(a->buf_len, gfp);
		if (!a->buf) {
			ret = nowait ? -EAGAIN : -ENOMEM;
			goto out_bounds;
		}
	}
	return 0;

out_bounds:
	kfree(sc->bounds);
	sc->bounds = NULL;
	return ret == -EFAULT && nowait ? -EAGAIN : ret;
}

/**
 * cesium_scan_call_out() - write a SCAN's outputs: the result struct with
 * 0 and -EOVERFLOW, the records with 0.
 * @sc:		the scan.
 * @ret:	the engine's result.
 * @nowait:	without page faults (then -EAGAIN when one would be needed).
 *
 * Context: process context, in the task whose memory the pointers are.
 * Return: the command's result: the number of records, or a negative
 * errno (-EFAULT for a bad pointer).
 */
long cesium_scan_call_out(struct cesium_scan_call *sc, int ret, bool nowait)
{
	struct cesium_scan_result res = { 0 };

	if (ret && ret != -EOVERFLOW)
		return ret;
	res.nr_records = sc->a.nr;
	res.flags = sc->a.more ? CESIUM_SCAN_MORE : 0;
	res.bytes = sc->a.bytes;
	if (cesium_copy_out(sc->result_ptr, &res, sizeof(res), nowait) ||
	    (!ret && sc->a.bytes &&
	     cesium_copy_out(sc->buf_ptr, sc->a.buf, sc->a.bytes, nowait)))
		return nowait ? -EAGAIN : -EFAULT;
	return ret ? ret : sc->a.nr;
}

/**
 * cesium_scan_call_free() - free what cesium_scan_call_prep() allocated.
 * @sc:		the scan.
 */
void cesium_scan_call_free(struct cesium_scan_call *sc)
{
	kvfree(sc->a.buf);
	sc->a.buf = NULL;
	kfree(sc->bounds);
	sc->bounds = NULL;
}

/**
 * cesium_cmd_scan() - SCAN, waiting for the device.
 * @cd:		the device.
 * @c:		the decoded command.
 * @nowait:	a uring_cmd's first issue: nothing may sleep. -EAGAIN when
 *		something would (a value to read from the device, memory,
 *		a lock, a page fault), for the command to run again where it
 *		may; the output may have been written meanwhile.
 *
 * The ioctl's SCAN, and the uring_cmd's first issue; in io-wq a uring_cmd
 * SCAN does not wait for its reads (uring_scan.c).
 *
 * Context: process context, may sleep unless @nowait.
 * Return: the number of records, or a negative errno.
 */
long cesium_cmd_scan(struct cesium_dev *cd, const struct cesium_scan_cmd *c,
		     bool nowait)
{
	struct cesium_scan_call sc;
	long ret;

	ret = cesium_scan_call_prep(&sc, c, nowait);
	if (ret)
		return ret;
	ret = cesium_scan_call_out(&sc, cesium_store_scan(cd->store, &sc.a),
				   nowait);
	cesium_scan_call_free(&sc);
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
