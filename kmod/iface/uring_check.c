// SPDX-License-Identifier: GPL-2.0
/*
 * CHECK as an asynchronous uring_cmd.
 *
 * CHECK reads up to max_bytes of the log, batch after batch, and verifies
 * each: it must wait for the device, so its first issue (IO_URING_F_NONBLOCK)
 * answers -EAGAIN and io_uring reissues it from an io-wq worker (uring.c).
 * There it is decoded and checked as the ioctl's is (cmd.c), the verifying
 * is queued on system_unbound_wq, and the issue returns -EIOCBQUEUED, so
 * the io-wq worker is free at once. When cesium_store_check() has
 * returned, the work hands the command over with
 * io_uring_cmd_complete_in_task(); the task work, which runs in the
 * submitting task (its memory is there to write to), writes the result
 * and the list of damaged stretches, counts the command and calls
 * io_uring_cmd_done().
 *
 * Lifetime: a command in flight holds a reference on its file, so the
 * file stays open (cesium_dev.open_count): the device cannot be detached
 * and the module not unloaded until the last CHECK has completed.
 */
#include <linux/io_uring.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <uapi/cesium.h>
#include "../engine/store.h"
#include "iface.h"

/**
 * struct cesium_uring_check - a CHECK between its issue and its completion.
 * @work:	runs the check.
 * @ioucmd:	the command.
 * @cd:		the device.
 * @c:		the decoded command.
 * @a:		the engine's arguments and results.
 * @ret:	what cesium_store_check() returned.
 * @t0:		cesium_cmd_clock() at the issue, for the latency histogram.
 */
struct cesium_uring_check {
	struct work_struct work;
	struct io_uring_cmd *ioucmd;
	struct cesium_dev *cd;
	struct cesium_check_cmd c;
	struct cesium_check_args a;
	int ret;
	u64 t0;
};

/* The command's pdu holds the pointer to its struct cesium_uring_check. */
static struct cesium_uring_check **cesium_uc_pdu(struct io_uring_cmd *ioucmd)
{
	BUILD_BUG_ON(sizeof(struct cesium_uring_check *) > sizeof(ioucmd->pdu));
	return (struct cesium_uring_check **)ioucmd->pdu;
}

/* Task work of a CHECK that has run: the submitter's context. */
static void cesium_uc_task(struct io_uring_cmd *ioucmd,
			   unsigned int issue_flags)
{
	struct cesium_uring_check *uc = *cesium_uc_pdu(ioucmd);
	struct cesium_dev *cd = uc->cd;
	long ret;

	if (cesium_uring_task_gone()) {
		ret = -ECANCELED;
	} else {
		ret = cesium_check_out(&uc->c, &uc->a, uc->ret);
		atomic64_inc(&cd->uring_async);
	}
	cesium_check_free(&uc->a);
	cesium_cmd_account(cd, ioucmd->cmd_op, ret, uc->t0);
	kfree(uc);
	/* From here the file, and so @cd, may go away. */
	io_uring_cmd_done(ioucmd, ret, 0, issue_flags);
}

static void cesium_uc_work(struct work_struct *work)
{
	struct cesium_uring_check *uc = container_of(work,
						     struct cesium_uring_check,
						     work);

	uc->ret = cesium_store_check(uc->cd->store, &uc->a);
	io_uring_cmd_complete_in_task(uc->ioucmd, cesium_uc_task);
}

/**
 * cesium_uring_check() - CHECK as a uring_cmd in io-wq.
 * @ioucmd:	the command, from an IORING_SETUP_SQE128 ring.
 * @t0:		cesium_cmd_clock() at its issue.
 *
 * Context: an io-wq worker (no IO_URING_F_NONBLOCK), may sleep.
 * Return: -EIOCBQUEUED when the CHECK completes later (counted then);
 * else its error, for the caller to count and post.
 */
long cesium_uring_check(struct io_uring_cmd *ioucmd, u64 t0)
{
	struct cesium_dev *cd = ioucmd->file->private_data;
	struct cesium_uring_check *uc;
	long ret;

	uc = kmalloc(sizeof(*uc), GFP_KERNEL);
	if (!uc)
		return -ENOMEM;
	ret = cesium_uring_load_cmd(ioucmd, &uc->c, sizeof(uc->c),
				    offsetof(struct cesium_check_cmd, reserved));
	if (ret)
		goto out_free;
	ret = cesium_check_prep(&uc->c, &uc->a);
	if (ret)
		goto out_args;
	uc->ioucmd = ioucmd;
	uc->cd = cd;
	uc->t0 = t0;
	*cesium_uc_pdu(ioucmd) = uc;
	INIT_WORK(&uc->work, cesium_uc_work);
	queue_work(system_unbound_wq, &uc->work);
	return -EIOCBQUEUED;

out_args:
	cesium_check_free(&uc->a);
out_free:
	kfree(uc);
	return ret;
}
