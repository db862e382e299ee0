// SPDX-License-Identifier: GPL-2.0
/*
 * The commands as io_uring uring_cmds: cmd_op is the ioctl request number,
 * the command struct travels by value in a 128-byte SQE (IORING_SETUP_SQE128)
 * and the result is cqe->res.
 *
 * GET runs without blocking in its first issue and, when it must read the
 * device, is queued and completes when its bios do (uring_get.c). Every
 * other command may sleep (device I/O, locks), so when io_uring issues one
 * inline with IO_URING_F_NONBLOCK it is answered -EAGAIN: io_uring then
 * copies the SQE's command bytes and reissues the command from an io-wq
 * worker, a thread of the submitting task, where blocking and access to the
 * task's memory are allowed. Such commands are in flight at once one per
 * worker. Permission checks use the file's credentials (file->f_mode,
 * file_ns_capable()), which hold in io-wq too.
 */
#include <linux/fs.h>
#include <linux/io_uring.h>

#include <uapi/cesium.h>
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
	return 0;
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
 * cesium_data_uring_cmd() - file_operations.uring_cmd of /dev/cesiumN.
 * @ioucmd:	the command.
 * @issue_flags: IO_URING_F_*.
 *
 * Context: io_uring issue path or an io-wq worker.
 * Return: the command's result, -EAGAIN to be reissued where it may block,
 * -EIOCBQUEUED for a GET that completes later, or -EINVAL without
 * IORING_SETUP_SQE128.
 */
int cesium_data_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	struct cesium_dev *cd = ioucmd->file->private_data;
	struct cesium_cmd_src src;
	int ret;

	if ((issue_flags & IO_URING_F_SQE128) &&
	    _IOC_TYPE(ioucmd->cmd_op) == CESIUM_IOC_MAGIC &&
	    _IOC_NR(ioucmd->cmd_op) == _IOC_NR(CESIUM_IOC_GET))
		return cesium_uring_get(ioucmd, issue_flags);
	ret = cesium_uring_src(ioucmd, issue_flags, &src);
	if (ret == -EAGAIN)
		atomic64_inc(&cd->uring_punted);
	if (ret)
		return ret;
	return cesium_uring_result(ioucmd,
				   cesium_data_cmd(cd, ioucmd->file,
						   ioucmd->cmd_op, &src),
				   issue_flags);
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
