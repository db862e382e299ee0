// SPDX-License-Identifier: GPL-2.0
/*
 * The commands as io_uring uring_cmds: cmd_op is the ioctl request number,
 * the command struct travels by value in a 128-byte SQE (IORING_SETUP_SQE128)
 * and the result is cqe->res.
 *
 * GET runs without blocking in its first issue and, when it must read the
 * device, is queued and completes when its bios do (uring_get.c). PUT and
 * DELETE without sync durability, EXISTS, and a SCAN whose values are
 * inline or in the hot-item cache run in their first issue too when
 * nothing has to wait: log.lock and index_lock free, room in the pending
 * batch, memory at once, the user's pages resident
 * (cesium_uring_inline()). Every other command may sleep (locks, memory,
 * device I/O), so when io_uring issues one inline with
 * IO_URING_F_NONBLOCK it is answered -EAGAIN (so is one of those four that
 * would wait after all): io_uring then copies the SQE's command bytes and
 * reissues the command from an io-wq worker, a thread of the submitting
 * task, where blocking and access to the task's memory are allowed. A
 * BATCH goes there at once (cesium_cmd_nowait_ok() says why).
 *
 * There, a SCAN does not wait for the device either (uring_scan.c): it
 * starts the reads of all its values in the log and returns -EIOCBQUEUED;
 * the last read's end_io (interrupt context) queues the checks of the
 * records on a workqueue, which then hands the command over with
 * io_uring_cmd_complete_in_task(), and the task work writes the records and
 * the result to the submitter's memory and calls io_uring_cmd_done(). A
 * CHECK, which reads the log batch after batch, runs on system_unbound_wq
 * and completes the same way (uring_check.c).
 *
 * A write that asks for sync durability (PUT, DELETE, BATCH with
 * CESIUM_DUR_SYNC, or the device's default) and SYNC do not wait for the
 * device: the write is applied and appended, the log's pending batch is
 * sealed (cesium_store_sync_async()), and the command returns -EIOCBQUEUED.
 * When that batch and every one before it are stable, the log's waiter
 * callback (a write's end_io, interrupt context, or the log's flush work)
 * hands the command over with io_uring_cmd_complete_in_task(), and the
 * task work calls io_uring_cmd_done(). So the worker is free at once, and
 * many sync writes of a ring wait for the device together (group commit).
 * Permission checks use the file's credentials (file->f_mode,
 * file_ns_capable()), which hold in io-wq too.
 */
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <uapi/cesium.h>
#include "../engine/log.h"
#include "../engine/store.h"
#include "iface.h"

static int cesium_uring_src(struct io_uring_cmd *ioucmd,
			    unsigned int issue_flags,
			    struct cesium_cmd_src *src)
{
	if (!(issue_flags & IO_URING_F_SQE128))
		return -EINVAL;
	if (issue_flags & IO_URING_F_NONBLOCK)
		return -EAGAIN;
	src->uarg = NULL;
	src->kbytes = ioucmd->cmd;
	src->klen = CESIUM_SQE_CMD_BYTES;
	src->defer_sync = NULL;
	return 0;
}

/**
 * cesium_uring_load_cmd() - cesium_load_cmd() from the command's SQE.
 * @ioucmd:	the command.
 * @kcmd:	receives the command struct.
 * @ksize:	its size.
 * @min:	the smallest size accepted.
 *
 * Return: as cesium_load_cmd().
 */
int cesium_uring_load_cmd(struct io_uring_cmd *ioucmd, void *kcmd,
			  size_t ksize, size_t min)
{
	const struct cesium_cmd_src src = {
		.kbytes = ioucmd->cmd,
		.klen = CESIUM_SQE_CMD_BYTES,
	};

	return cesium_load_cmd(&src, kcmd, ksize, min);
}

/**
 * cesium_uring_task_gone() - does task work of a queued command run in
 * io_uring's fallback worker?
 *
 * Then the submitting task is exiting and its memory is gone: nothing may
 * be copied out, and nobody reads the completion (-ECANCELED).
 *
 * Context: the command's task work.
 */
bool cesium_uring_task_gone(void)
{
	return unlikely(!current->mm);
}

/*
 * 6.1's io_uring_cmd() passes a positive return value on as if it were an
 * issue error and never completes the request: post positive results
 * (EXISTS, ATTACH) ourselves and tell io_uring the command is queued.
 */
static int cesium_uring_result(struct io_uring_cmd *ioucmd, long ret,
			       unsigned int issue_flags)
{
	if (ret <= 0)
		return ret;
	io_uring_cmd_done(ioucmd, ret, 0, issue_flags);
	return -EIOCBQUEUED;
}

/**
 * struct cesium_uring_sync - a write waiting for durability.
 * @w:		the log's waiter.
 * @ioucmd:	the command.
 * @cd:		the device.
 * @res:	the command's result once durable.
 * @t0:		cesium_cmd_clock() at the issue, for the latency histogram.
 */
struct cesium_uring_sync {
	struct cesium_log_waiter w;
	struct io_uring_cmd *ioucmd;
	struct cesium_dev *cd;
	long res;
	u64 t0;
};

/* The command's pdu holds the pointer to its struct cesium_uring_sync. */
static struct cesium_uring_sync **cesium_us_pdu(struct io_uring_cmd *ioucmd)
{
	BUILD_BUG_ON(sizeof(struct cesium_uring_sync *) > sizeof(ioucmd->pdu));
	return (struct cesium_uring_sync **)ioucmd->pdu;
}

/* Task work: the write is durable, or the device failed. */
static void cesium_us_task(struct io_uring_cmd *ioucmd,
			   unsigned int issue_flags)
{
	struct cesium_uring_sync *us = *cesium_us_pdu(ioucmd);
	long ret = us->w.err ? cesium_store_write_failed(us->cd->store,
							  us->w.err) :
			       us->res;

	cesium_cmd_account(us->cd, ioucmd->cmd_op, ret, us->t0);
	kfree(us);
	/* From here the file, and so the device, may go away. */
	io_uring_cmd_done(ioucmd, ret, 0, issue_flags);
}

/* The log's answer: any context. */
static void cesium_us_done(struct cesium_log_waiter *w, int err)
{
	struct cesium_uring_sync *us = container_of(w, struct cesium_uring_sync,
						    w);

	io_uring_cmd_complete_in_task(us->ioucmd, cesium_us_task);
}

/*
 * A command that deferred its sync durability has run (result @res >= 0):
 * complete it now if the log is durable already, else when it is.
 */
static long cesium_uring_sync_wait(struct io_uring_cmd *ioucmd,
				   struct cesium_dev *cd, long res, u64 t0)
{
	struct cesium_uring_sync *us;
	long ret;

	us = kzalloc(sizeof(*us), GFP_KERNEL);
	if (!us) {
		/* Wait here, as the ioctl does. */
		ret = cesium_store_sync(cd->store);
		return ret ? ret : res;
	}
	us->w.done = cesium_us_done;
	us->ioucmd = ioucmd;
	us->cd = cd;
	us->res = res;
	us->t0 = t0;
	*cesium_us_pdu(ioucmd) = us;
	ret = cesium_store_sync_async(cd->store, &us->w,
				      _IOC_NR(ioucmd->cmd_op) ==
				      _IOC_NR(CESIUM_IOC_SYNC));
	if (ret == -EIOCBQUEUED)
		return ret;
	kfree(us);
	return ret ? ret : res;
}

/*
 * A command in its first issue (IO_URING_F_NONBLOCK) that
 * cesium_cmd_nowait_ok() accepts: run at once when nothing has to wait
 * (the store's CESIUM_ST_NOWAIT); else -EAGAIN, with nothing changed, and
 * io_uring reissues it from an io-wq worker.
 */
static int cesium_uring_inline(struct io_uring_cmd *ioucmd,
			       struct cesium_dev *cd, u64 t0,
			       unsigned int issue_flags)
{
	struct cesium_cmd_src src = {
		.kbytes = ioucmd->cmd,
		.klen = CESIUM_SQE_CMD_BYTES,
		.nowait = true,
	};
	long ret;

	ret = cesium_data_exec(cd, ioucmd->file, ioucmd->cmd_op, &src);
	if (ret == -EAGAIN)
		return ret;
	atomic64_inc(&cd->uring_inline);
	cesium_cmd_account(cd, ioucmd->cmd_op, ret, t0);
	return cesium_uring_result(ioucmd, ret, issue_flags);
}

/**
 * cesium_data_uring_cmd() - file_operations.uring_cmd of /dev/cesiumN.
 * @ioucmd:	the command.
 * @issue_flags: IO_URING_F_*.
 *
 * Context: io_uring issue path or an io-wq worker.
 * Return: the command's result, -EAGAIN to be reissued where it may block,
 * -EIOCBQUEUED for a command that completes later (a GET or SCAN waiting
 * for its reads, a write waiting for durability), or -EINVAL without
 * IORING_SETUP_SQE128.
 */
int cesium_data_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	struct cesium_dev *cd = ioucmd->file->private_data;
	struct cesium_cmd_src src;
	bool deferred = false;
	long ret;
	u64 t0;

	/* GET takes its own time stamp (a clock read is an exit under TCG). */
	if ((issue_flags & IO_URING_F_SQE128) &&
	    _IOC_TYPE(ioucmd->cmd_op) == CESIUM_IOC_MAGIC &&
	    _IOC_NR(ioucmd->cmd_op) == _IOC_NR(CESIUM_IOC_GET))
		return cesium_uring_get(ioucmd, issue_flags);
	t0 = cesium_cmd_clock();
	if ((issue_flags & (IO_URING_F_SQE128 | IO_URING_F_NONBLOCK)) ==
	    (IO_URING_F_SQE128 | IO_URING_F_NONBLOCK) &&
	    _IOC_TYPE(ioucmd->cmd_op) == CESIUM_IOC_MAGIC &&
	    cesium_cmd_nowait_ok(_IOC_NR(ioucmd->cmd_op))) {
		ret = cesium_uring_inline(ioucmd, cd, t0, issue_flags);
		if (ret != -EAGAIN)
			return ret;
	}
	ret = cesium_uring_src(ioucmd, issue_flags, &src);
	if (ret == -EAGAIN)
		atomic64_inc(&cd->uring_punted);
	if (ret)
		return ret;
	src.defer_sync = &deferred;
	if (_IOC_TYPE(ioucmd->cmd_op) == CESIUM_IOC_MAGIC &&
	    _IOC_NR(ioucmd->cmd_op) == _IOC_NR(CESIUM_IOC_SCAN)) {
		ret = cesium_uring_scan(ioucmd, t0);
		if (ret == -EIOCBQUEUED)
			return ret;
	} else if (_IOC_TYPE(ioucmd->cmd_op) == CESIUM_IOC_MAGIC &&
		   _IOC_NR(ioucmd->cmd_op) == _IOC_NR(CESIUM_IOC_CHECK)) {
		ret = cesium_uring_check(ioucmd, t0);
		if (ret == -EIOCBQUEUED)
			return ret;
	} else {
		ret = cesium_data_exec(cd, ioucmd->file, ioucmd->cmd_op, &src);
	}
	if (deferred && ret >= 0) {
		ret = cesium_uring_sync_wait(ioucmd, cd, ret, t0);
		if (ret == -EIOCBQUEUED)
			return ret;
	}
	cesium_cmd_account(cd, ioucmd->cmd_op, ret, t0);
	return cesium_uring_result(ioucmd, ret, issue_flags);
}

/**
 * cesium_control_uring_cmd() - file_operations.uring_cmd of the control
 * device.
 * @ioucmd:	the command.
 * @issue_flags: IO_URING_F_*.
 *
 * Context: io_uring issue path or an io-wq worker.
 * Return: as cesium_data_uring_cmd().
 */
int cesium_control_uring_cmd(struct io_uring_cmd *ioucmd,
			     unsigned int issue_flags)
{
	struct cesium_cmd_src src;
	int ret;

	ret = cesium_uring_src(ioucmd, issue_flags, &src);
	if (ret)
		return ret;
	return cesium_uring_result(ioucmd,
				   cesium_control_cmd(ioucmd->file,
						      ioucmd->cmd_op, &src),
				   issue_flags);
}
