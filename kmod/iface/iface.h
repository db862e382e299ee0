/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What user space touches: the control device, one char device per
 * attached block device, the command decoder shared by ioctl and
 * uring_cmd, the uring_cmd paths that complete later, sysfs.
 */
#ifndef _CESIUM_IFACE_H
#define _CESIUM_IFACE_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/sched/clock.h>
#include <linux/types.h>

#include "../engine/store.h"

struct cesium_backend;
struct cesium_store;
struct io_uring_cmd;

/* /dev/cesium0 .. /dev/cesium255; the control device takes the next minor. */
#define CESIUM_MAX_DEVICES	256
#define CESIUM_CONTROL_MINOR	CESIUM_MAX_DEVICES

/**
 * struct cesium_dev - one attached block device: /dev/cesiumN.
 * @dev:	the class device cesiumN; its release frees this struct.
 * @cdev:	the char device.
 * @index:	N.
 * @be:		the block device, opened exclusively.
 * @store:	the engine's store on it.
 * @bdev_devt:	the block device's number.
 * @open_count:	open files; protected by cesium_devs_lock.
 * @dead:	detached; no new open; protected by cesium_devs_lock.
 * @lat:	latency histograms of the data commands (stats.c).
 * @uring_inline: uring_cmds completed within their first issue, with no
 *		read queued and no worker (uring_get.c, uring.c).
 * @uring_async: uring_cmd GETs, SCANs and CHECKs queued (-EIOCBQUEUED)
 *		and completed from task work when their device reads ended.
 * @uring_punted: uring_cmds answered -EAGAIN under IO_URING_F_NONBLOCK,
 *		so that io_uring reissues them from an io-wq worker.
 */
struct cesium_dev {
	struct device dev;
	struct cdev cdev;
	int index;
	struct cesium_backend *be;
	struct cesium_store *store;
	dev_t bdev_devt;
	unsigned int open_count;
	bool dead;
	struct cesium_lat_hist __percpu *lat;
	atomic64_t uring_inline;
	atomic64_t uring_async;
	atomic64_t uring_punted;
};

/* main.c */
extern struct class *cesium_class;
extern dev_t cesium_devt_base;
extern unsigned int cesium_commit_ms;

/* chardev.c: attached devices. */
int cesium_devs_attach(const char *path);
int cesium_devs_detach(int index);
int cesium_devs_list(void __user *entries, u32 nr, u32 entry_size,
		     u64 __user *count);
void cesium_devs_sync_all(void);
void cesium_devs_detach_all(void);
extern const struct file_operations cesium_data_fops;

/* control.c */
int cesium_control_init(void);
void cesium_control_exit(void);

/*
 * cmd.c: the command decoder. A command struct comes from user memory
 * (ioctl: @uarg) or from the SQE (uring_cmd: @kbytes, @klen bytes, copied by
 * io_uring before the command may run in an io-wq worker).
 */
struct cesium_cmd_src {
	const void __user *uarg;
	const void *kbytes;
	size_t klen;
	/*
	 * uring_cmd only, else NULL: a write that would wait for sync
	 * durability does not; it sets *@defer_sync, and the command
	 * completes once the log is durable (uring.c).
	 */
	bool *defer_sync;
	/*
	 * uring_cmd's first issue (IO_URING_F_NONBLOCK), for PUT, DELETE,
	 * EXISTS and SCAN (cesium_data_exec() answers -EAGAIN to the
	 * others): nothing may sleep; -EAGAIN, with nothing changed, sends
	 * the command to an io-wq worker.
	 */
	bool nowait;
};

int cesium_load_cmd(const struct cesium_cmd_src *src, void *kcmd, size_t ksize,
		    size_t min);
bool cesium_zero(const void *p, size_t len);
long cesium_data_cmd(struct cesium_dev *cd, struct file *file,
		     unsigned int cmd, const struct cesium_cmd_src *src);
long cesium_data_exec(struct cesium_dev *cd, struct file *file,
		      unsigned int cmd, const struct cesium_cmd_src *src);
bool cesium_cmd_nowait_ok(unsigned int nr);
enum cesium_durability cesium_cmd_dur(struct cesium_dev *cd,
				      const struct cesium_cmd_src *src,
				      u32 flags);
void cesium_cmd_account(struct cesium_dev *cd, unsigned int cmd, long ret,
			u64 t0);

/*
 * The clock of command latencies, in nanoseconds: local_clock(), which
 * reads the TSC, rather than ktime_get_ns(), which reads the clocksource.
 * In the TCG guests of the tests and benchmarks that is the HPET, an
 * emulated MMIO read: two of them took 3% of all CPU samples of uring gets
 * of 400-byte values (profile.md). local_clock() may differ a little
 * between CPUs and a command can end on another CPU than it began on, so
 * cesium_cmd_account() takes a span that comes out negative as 0.
 */
static inline u64 cesium_cmd_clock(void)
{
	return local_clock();
}
struct cesium_kv_cmd;
int cesium_kv_check(struct file *file, unsigned int nr,
		    const struct cesium_kv_cmd *c);
int cesium_copy_key(const struct cesium_kv_cmd *c, u8 *key, bool nofault);
long cesium_control_cmd(struct file *file, unsigned int cmd,
			const struct cesium_cmd_src *src);

/* cmd_range.c */
struct cesium_scan_cmd;
struct cesium_batch_cmd;

/**
 * struct cesium_scan_call - a decoded SCAN, between its decoding and its
 * outputs (cesium_scan_call_prep(), _out(), _free()).
 * @a:		the engine's scan; its bounds and output in kernel memory.
 * @result_ptr:	user pointer to the struct cesium_scan_result.
 * @buf_ptr:	user pointer to the records' buffer.
 * @bounds:	the two bounds' bytes (@a points into it).
 */
struct cesium_scan_call {
	struct cesium_scan_args a;
	u64 result_ptr;
	u64 buf_ptr;
	u8 *bounds;
};

int cesium_scan_call_prep(struct cesium_scan_call *sc,
			  const struct cesium_scan_cmd *c, bool nowait);
long cesium_scan_call_out(struct cesium_scan_call *sc, int ret, bool nowait);
void cesium_scan_call_free(struct cesium_scan_call *sc);
long cesium_cmd_scan(struct cesium_dev *cd, const struct cesium_scan_cmd *c,
		     bool nowait);
long cesium_cmd_batch(struct cesium_dev *cd, struct file *file,
		      const struct cesium_batch_cmd *c,
		      const struct cesium_cmd_src *src);

struct cesium_check_cmd;
struct cesium_check_args;
int cesium_check_prep(const struct cesium_check_cmd *c,
		      struct cesium_check_args *a);
long cesium_check_out(const struct cesium_check_cmd *c,
		      const struct cesium_check_args *a, int ret);
void cesium_check_free(struct cesium_check_args *a);

/* stats.c */
struct cesium_lat_hist;
struct cesium_stats_cmd;
int cesium_stats_init(struct cesium_dev *cd);
void cesium_stats_free(struct cesium_dev *cd);
int cesium_lat_op(unsigned int nr);
void cesium_lat_record(struct cesium_dev *cd, int op, u64 ns);
ssize_t cesium_lat_show(struct cesium_dev *cd, int op, char *buf);
long cesium_cmd_stats(struct cesium_dev *cd, const struct cesium_stats_cmd *c);

/* uring.c */
/* Bytes of command an SQE128 carries. */
#define CESIUM_SQE_CMD_BYTES	80
int cesium_data_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);
int cesium_uring_load_cmd(struct io_uring_cmd *ioucmd, void *kcmd,
			  size_t ksize, size_t min);
bool cesium_uring_task_gone(void);
int cesium_control_uring_cmd(struct io_uring_cmd *ioucmd,
			     unsigned int issue_flags);

/* uring_get.c */
int cesium_uring_get(struct io_uring_cmd *ioucmd, unsigned int issue_flags);

/* uring_scan.c */
long cesium_uring_scan(struct io_uring_cmd *ioucmd, u64 t0);

/* uring_check.c */
long cesium_uring_check(struct io_uring_cmd *ioucmd, u64 t0);

/* sysfs.c */
extern const struct attribute_group *cesium_dev_groups[];

#endif /* _CESIUM_IFACE_H */
