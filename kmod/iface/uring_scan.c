// SPDX-License-Identifier: GPL-2.0
/*
 * SCAN as an asynchronous uring_cmd.
 *
 * A SCAN's first issue (IO_URING_F_NONBLOCK) runs it whole when none of its
 * values has to be read from the device (uring.c, cesium_uring_inline());
 * else it is answered -EAGAIN and io_uring reissues it from an io-wq
 * worker. There it is decoded as the ioctl's is (cmd_range.c), its bounds
 * and output buffer in kernel memory, and the engine's scan runs up to its
 * device reads (cesium_scan_async_start(): the collection, the values from
 * the cache and the pending batch, every read started). The issue returns
 * -EIOCBQUEUED and the worker is free. The last read's end_io (interrupt
 * context) queues the checks of the records on system_unbound_wq
 * (cesium_scan_async_finish(): checksums and keys of every record read; a
 * key that moved is read again and a scan whose values changed length is
 * made again, both waiting), so that the scans of a ring are checked on
 * every CPU rather than all in the submitting task. Then
 * io_uring_cmd_complete_in_task() hands the command over; the task work,
 * which runs in the submitting task (its memory is there to write to),
 * writes the records and the result struct to user memory as
 * cesium_cmd_scan() does, counts the scan and calls io_uring_cmd_done(). A
 * scan that needs no read after all completes in the issue.
 *
 * The scan's output buffer (up to CESIUM_SCAN_BUF_MAX) and its read buffers
 * live until the completion. Lifetime: a command in flight holds a
 * reference on its file, so the file stays open (cesium_dev.open_count):
 * the device cannot be detached and the module not unloaded until the
 * last SCAN has completed.
 */
#include <linux/io_uring.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <uapi/cesium.h>
#include "../engine/scan_async.h"
#include "iface.h"

/**
 * struct cesium_uring_scan - a SCAN between its issue and its completion.
 * @sa:		the engine's scan.
 * @sc:		the decoded command, its bounds and output buffer.
 * @work:	checks the records once the reads have ended.
 * @ioucmd:	the command.
 * @cd:		the device.
 * @eret:	what cesium_scan_async_finish() returned.
 * @t0:		cesium_cmd_clock() at the issue, for the latency histogram.
 */
struct cesium_uring_scan {
	struct cesium_scan_async sa;
	struct cesium_scan_call sc;
	struct work_struct work;
	struct io_uring_cmd *ioucmd;
	struct cesium_dev *cd;
	int eret;
	u64 t0;
};

/* The command's pdu holds the pointer to its struct cesium_uring_scan. */
static struct cesium_uring_scan **cesium_usc_pdu(struct io_uring_cmd *ioucmd)
{
	BUILD_BUG_ON(sizeof(struct cesium_uring_scan *) > sizeof(ioucmd->pdu));
	return (struct cesium_uring_scan **)ioucmd->pdu;
}

/* Task work of a SCAN whose reads have ended: the submitter's context. */
static void cesium_usc_task(struct io_uring_cmd *ioucmd,
			    unsigned int issue_flags)
{
	struct cesium_uring_scan *us = *cesium_usc_pdu(ioucmd);
	struct cesium_dev *cd = us->cd;
	long ret;

	if (cesium_uring_task_gone()) {
		cesium_scan_async_cancel(&us->sa);
		ret = -ECANCELED;
	} else {
		ret = cesium_scan_call_out(&us->sc, us->eret, false);
		cesium_scan_async_end(&us->sa, us->eret);
		atomic64_inc(&cd->uring_async);
	}
	cesium_scan_call_free(&us->sc);
	cesium_cmd_account(cd, ioucmd->cmd_op, ret, us->t0);
	kfree(us);
	/* From here the file, and so @cd, may go away. */
	io_uring_cmd_done(ioucmd, ret, 0, issue_flags);
}

/* Check the records read, then hand the command to its task. */
static void cesium_usc_work(struct work_struct *work)
{
	struct cesium_uring_scan *us = container_of(work,
						    struct cesium_uring_scan,
						    work);

	us->eret = cesium_scan_async_finish(&us->sa);
	io_uring_cmd_complete_in_task(us->ioucmd, cesium_usc_task);
}

/* The SCAN's last read has ended: interrupt context, or the issue's own. */
static void cesium_usc_read_done(struct cesium_scan_async *sa)
{
	struct cesium_uring_scan *us = container_of(sa, struct cesium_uring_scan,
						    sa);

	queue_work(system_unbound_wq, &us->work);
}

/**
 * cesium_uring_scan() - SCAN as a uring_cmd in io-wq.
 * @ioucmd:	the command, from an IORING_SETUP_SQE128 ring.
 * @t0:		cesium_cmd_clock() at its issue.
 *
 * Context: an io-wq worker (no IO_URING_F_NONBLOCK), may sleep.
 * Return: -EIOCBQUEUED when the SCAN completes later (counted then);
 * else its result, for the caller to count and post: the number of
 * records or a negative errno.
 */
long cesium_uring_scan(struct io_uring_cmd *ioucmd, u64 t0)
{
	struct cesium_dev *cd = ioucmd->file->private_data;
	struct cesium_uring_scan *us;
	struct cesium_scan_cmd c;
	long ret;
	int eret;

	ret = cesium_uring_load_cmd(ioucmd, &c, sizeof(c),
				    offsetof(struct cesium_scan_cmd, reserved));
	if (ret)
		return ret;
	us = kmalloc(sizeof(*us), GFP_KERNEL);
	if (!us)
		return -ENOMEM;
	ret = cesium_scan_call_prep(&us->sc, &c, false);
	if (ret)
		goto out_free;
	us->ioucmd = ioucmd;
	us->cd = cd;
	us->t0 = t0;
	us->sa.st = cd->store;
	us->sa.a = &us->sc.a;
	us->sa.done = cesium_usc_read_done;
	INIT_WORK(&us->work, cesium_usc_work);
	*cesium_usc_pdu(ioucmd) = us;

	eret = cesium_scan_async_start(&us->sa);
	if (eret == -EIOCBQUEUED)
		return eret;	/* @us may be gone already. */
	ret = cesium_scan_call_out(&us->sc, eret, false);
	cesium_scan_async_end(&us->sa, eret);
	cesium_scan_call_free(&us->sc);
out_free:
	kfree(us);
	return ret;
}
