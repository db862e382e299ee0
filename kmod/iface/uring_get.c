// SPDX-License-Identifier: GPL-2.0
/*
 * GET as an asynchronous uring_cmd.
 *
 * In its issue, even the first one with IO_URING_F_NONBLOCK, a GET is
 * decoded and checked as the ioctl's is (cmd.c), and the key looked up
 * (cesium_get_async_start()). A value inline in the index goes to the
 * user's buffer at once and the command completes there. A value in the
 * written log is read with bios the GET does not wait for: the issue
 * returns -EIOCBQUEUED; the last bio's end_io (interrupt context) hands
 * the command over with io_uring_cmd_complete_in_task(), and the task work,
 * which runs in the submitting task (its memory is there to write to, and
 * it may sleep), checks the record, copies the value and its length out,
 * counts the GET and calls io_uring_cmd_done(). So many GETs of a ring are
 * in flight at once with no thread each.
 *
 * Under IO_URING_F_NONBLOCK nothing may sleep: the key is read and the
 * results written without page faults, memory comes from GFP_NOWAIT and
 * the index lock is only tried. Whatever would sleep (a fault, a contended
 * lock, a value still in the unwritten batch, a span too big for kmalloc,
 * a queue without REQ_NOWAIT) answers -EAGAIN before anything is counted,
 * and io_uring reissues the GET from an io-wq worker, where it runs the
 * same way but may sleep (and may still be queued).
 *
 * Lifetime: a command in flight holds a reference on its file, so the
 * file stays open (cesium_dev.open_count): the device cannot be detached
 * and the module not unloaded until the last GET has completed.
 */
#include <linux/io_uring.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <uapi/cesium.h>
#include "../engine/get_async.h"
#include "iface.h"

/**
 * struct cesium_uring_get - a GET between its issue and its completion.
 * @g:		the engine's get.
 * @ioucmd:	the command.
 * @cd:		the device.
 * @ubuf:	where the value goes.
 * @ulen:	where its length goes, or NULL.
 * @t0:		cesium_cmd_clock() at the issue, for the latency histogram.
 */
struct cesium_uring_get {
	struct cesium_get_async g;
	struct io_uring_cmd *ioucmd;
	struct cesium_dev *cd;
	void __user *ubuf;
	u64 __user *ulen;
	u64 t0;
};

/* The command's pdu holds the pointer to its struct cesium_uring_get. */
static struct cesium_uring_get **cesium_ug_pdu(struct io_uring_cmd *ioucmd)
{
	BUILD_BUG_ON(sizeof(struct cesium_uring_get *) > sizeof(ioucmd->pdu));
	return (struct cesium_uring_get **)ioucmd->pdu;
}

/*
 * Write a GET's outputs as cesium_cmd_get() does: the length with 0 and
 * -EOVERFLOW, the value with 0. @nofault: without page faults, -EAGAIN
 * when one would be needed. Return: the command's result.
 */
static int cesium_ug_copy_out(struct cesium_uring_get *ug, int ret,
			      bool nofault)
{
	u64 len = ug->g.value_len;

	if ((!ret || ret == -EOVERFLOW) && ug->ulen &&
	    (nofault ? copy_to_user_nofault(ug->ulen, &len, sizeof(len)) :
		       put_user(len, ug->ulen)))
		return nofault ? -EAGAIN : -EFAULT;
	if (!ret && len &&
	    (nofault ? copy_to_user_nofault(ug->ubuf, ug->g.value, len) :
		       copy_to_user(ug->ubuf, ug->g.value, len)))
		return nofault ? -EAGAIN : -EFAULT;
	return ret;
}

/*
 * A GET is over with engine result @eret and command result @ret: count
 * it in the store, in @path and in the latency histogram, free it.
 */
static int cesium_ug_end(struct cesium_uring_get *ug, int eret, int ret,
			 atomic64_t *path)
{
	cesium_get_async_end(&ug->g, eret);
	atomic64_inc(path);
	cesium_cmd_account(ug->cd, ug->ioucmd->cmd_op, ret, ug->t0);
	kfree(ug);
	return ret;
}

/* Task work of a GET whose read has ended: the submitter's context. */
static void cesium_ug_task(struct io_uring_cmd *ioucmd,
			   unsigned int issue_flags)
{
	struct cesium_uring_get *ug = *cesium_ug_pdu(ioucmd);
	struct cesium_dev *cd = ug->cd;
	int eret, ret;

	if (cesium_uring_task_gone()) {
		cesium_get_async_cancel(&ug->g);
		ret = -ECANCELED;
		cesium_cmd_account(cd, ioucmd->cmd_op, ret, ug->t0);
		kfree(ug);
	} else {
		eret = cesium_get_async_finish(&ug->g);
		ret = cesium_ug_copy_out(ug, eret, false);
		ret = cesium_ug_end(ug, eret, ret, &cd->uring_async);
	}
	/* From here the file, and so @cd, may go away. */
	io_uring_cmd_done(ioucmd, ret, 0, issue_flags);
}

/* The GET's read has ended: interrupt context, or the issue's own. */
static void cesium_ug_read_done(struct cesium_get_async *g)
{
	struct cesium_uring_get *ug = container_of(g, struct cesium_uring_get,
						   g);

	io_uring_cmd_complete_in_task(ug->ioucmd, cesium_ug_task);
}

/**
 * cesium_uring_get() - GET as a uring_cmd (IORING_SETUP_SQE128 rings).
 * @ioucmd:	the command.
 * @issue_flags: IO_URING_F_*.
 *
 * Context: io_uring issue path (IO_URING_F_NONBLOCK: does not sleep) or an
 * io-wq worker.
 * Return: the GET's result; -EIOCBQUEUED when it completes later; -EAGAIN
 * under IO_URING_F_NONBLOCK when it would have to sleep.
 */
int cesium_uring_get(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	bool nowait = issue_flags & IO_URING_F_NONBLOCK;
	struct cesium_dev *cd = ioucmd->file->private_data;
	struct cesium_uring_get *ug;
	struct cesium_kv_cmd c;
	u64 t0 = cesium_cmd_clock();
	int eret, ret;

	ret = cesium_uring_load_cmd(ioucmd, &c, sizeof(c),
				    offsetof(struct cesium_kv_cmd, reserved));
	if (!ret)
		ret = cesium_kv_check(ioucmd->file, _IOC_NR(CESIUM_IOC_GET), &c);
	if (ret)
		goto out_done;
	ug = kmalloc(sizeof(*ug), nowait ? GFP_NOWAIT | __GFP_NOWARN :
					   GFP_KERNEL);
	if (!ug) {
		if (nowait)
			goto out_punt;
		ret = -ENOMEM;
		goto out_done;
	}
	ret = cesium_copy_key(&c, ug->g.key, nowait);
	if (ret) {
		kfree(ug);
		if (nowait && ret == -EFAULT)
			goto out_punt;
		goto out_done;
	}
	ug->ioucmd = ioucmd;
	ug->cd = cd;
	ug->ubuf = u64_to_user_ptr(c.value_ptr);
	ug->ulen = u64_to_user_ptr(c.value_len_ptr);
	ug->t0 = t0;
	ug->g.st = cd->store;
	ug->g.ns = c.ns;
	ug->g.key_len = c.key_len;
	ug->g.buf_len = min_t(u32, c.value_len, CESIUM_MAX_VALUE_LEN);
	ug->g.done = cesium_ug_read_done;
	*cesium_ug_pdu(ioucmd) = ug;

	eret = cesium_get_async_start(&ug->g, nowait ? CESIUM_GET_NOWAIT : 0);
	if (eret == -EIOCBQUEUED)
		return eret;	/* @ug may be gone already. */
	if (nowait && eret == -EAGAIN)
		goto out_free;
	ret = cesium_ug_copy_out(ug, eret, nowait);
	if (nowait && ret == -EAGAIN)
		goto out_free;
	return cesium_ug_end(ug, eret, ret, &cd->uring_inline);

out_free:
	cesium_get_async_cancel(&ug->g);
	kfree(ug);
out_punt:
	atomic64_inc(&cd->uring_punted);
	return -EAGAIN;
out_done:
	cesium_cmd_account(cd, ioucmd->cmd_op, ret, t0);
	return ret;
}
