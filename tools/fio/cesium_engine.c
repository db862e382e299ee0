// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * cesium: a fio 3.33 external ioengine over CesiumDB's /dev/cesiumN.
 *
 *   fio --ioengine=external:build/fio/cesium-engine.so --device=cesium0 \
 *       --size=400m --bs=400 --rw=randread ...
 *
 * The built .so contains fio's own (GPL-2.0) header code; it is a plugin
 * of a GPL-2.0 program and is distributed on those terms.
 *
 * Model. A fio offset is a key: offset / block size (fio's smallest block
 * size of the job) as an 8-byte big-endian number after the optional
 * key_prefix; the block size is the value size, so size= is the number of
 * keys times the value size. Reads are GETs, writes PUTs, trims DELETEs.
 * A GET of a shorter value is a short read (resid), of a missing key an
 * ENOENT error unless missing_ok=1.
 *
 * Modes:
 *   mode=sync   one command at a time through libcesium-user (ioctl);
 *               fio treats the engine as synchronous (use numjobs for
 *               concurrency).
 *   mode=uring  IORING_OP_URING_CMD on a ring made with IORING_SETUP_SQE128,
 *               up to iodepth commands in flight: cmd_op is the ioctl
 *               request number, struct cesium_kv_cmd travels by value in
 *               sqe->cmd, outputs go through its user pointers, the result
 *               is cqe->res.
 *
 * Workload helpers (for the YCSB-style job files):
 *   rmw=1          every write is a read-modify-write: GET the key, then
 *                  PUT it (YCSB F); its latency is the write latency.
 *   read_latest=1  YCSB D: writes insert new keys after the loaded ones
 *                  (fio's offset is ignored), reads pick a key by a
 *                  zipfian rank (theta 0.99) counted back from the newest
 *                  insert (YCSB's SkewedLatestGenerator).
 *   scan_records=N reads become SCANs of N records from the key (a seek
 *                  and N-1 nexts: YCSB E's scans, db_bench's seekrandom with
 *                  seek_nexts=N-1); fio counts one read of bs bytes each.
 *                  Needs CESIUM_IOC_SCAN in <linux/cesium.h> at build time
 *                  and a module that has it (-ENOTTY otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <liburing.h>

#include "fio.h"
#include "optgroup.h"

#include <cesium.h>

/* Bytes of command an SQE128 carries in sqe->cmd. */
#define CESIUM_ENGINE_SQE_CMD_BYTES	80
/* The key is the prefix and an 8-byte big-endian number. */
#define CESIUM_ENGINE_KEYNUM_BYTES	8
#define CESIUM_ENGINE_PREFIX_MAX	(CESIUM_MAX_KEY_LEN - CESIUM_ENGINE_KEYNUM_BYTES)
/* YCSB's zipfian constant. */
#define CESIUM_ENGINE_ZIPF_THETA	0.99

_Static_assert(sizeof(struct cesium_kv_cmd) <= CESIUM_ENGINE_SQE_CMD_BYTES,
	       "struct cesium_kv_cmd must fit in an SQE128's command area");

enum cesium_engine_mode {
	CESIUM_MODE_SYNC = 1,
	CESIUM_MODE_URING = 2,
};

enum cesium_engine_dur {
	CESIUM_EDUR_DEFAULT = 0,
	CESIUM_EDUR_SYNC,
	CESIUM_EDUR_PERIODIC,
	CESIUM_EDUR_NONE,
};

struct cesium_engine_options {
	void *pad;			/* fio: no option at offset 0 */
	char *device;
	unsigned long long ns;
	char *key_prefix;
	unsigned int durability;	/* enum cesium_engine_dur */
	unsigned int mode;		/* enum cesium_engine_mode */
	unsigned int rmw;
	unsigned int read_latest;
	unsigned int missing_ok;
	unsigned int scan_records;
};

static struct fio_option options[] = {
	{
		.name	= "device",
		.lname	= "CesiumDB device",
		.type	= FIO_OPT_STR_STORE,
		.off1	= offsetof(struct cesium_engine_options, device),
		.help	= "cesiumN or a path (default: the job's filename, else the only attached device)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "namespace",
		.lname	= "CesiumDB namespace",
		.type	= FIO_OPT_ULL,
		.off1	= offsetof(struct cesium_engine_options, ns),
		.help	= "Namespace id (0: the default namespace)",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "key_prefix",
		.lname	= "CesiumDB key prefix",
		.type	= FIO_OPT_STR_STORE,
		.off1	= offsetof(struct cesium_engine_options, key_prefix),
		.help	= "Bytes put before the 8-byte big-endian key number",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "durability",
		.lname	= "CesiumDB durability",
		.type	= FIO_OPT_STR,
		.off1	= offsetof(struct cesium_engine_options, durability),
		.help	= "Durability of puts and deletes",
		.def	= "default",
		.posval = {
			{ .ival = "default", .oval = CESIUM_EDUR_DEFAULT,
			  .help = "The device's (sysfs durability)" },
			{ .ival = "sync", .oval = CESIUM_EDUR_SYNC,
			  .help = "Acknowledged once on stable media" },
			{ .ival = "periodic", .oval = CESIUM_EDUR_PERIODIC,
			  .help = "Group commit every commit_ms" },
			{ .ival = "none", .oval = CESIUM_EDUR_NONE,
			  .help = "Written when convenient" },
		},
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "mode",
		.lname	= "CesiumDB submission mode",
		.type	= FIO_OPT_STR,
		.off1	= offsetof(struct cesium_engine_options, mode),
		.help	= "How commands reach the device",
		.def	= "sync",
		.posval = {
			{ .ival = "sync", .oval = CESIUM_MODE_SYNC,
			  .help = "ioctl through libcesium-user, one at a time" },
			{ .ival = "uring", .oval = CESIUM_MODE_URING,
			  .help = "io_uring uring_cmd, up to iodepth in flight" },
		},
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "rmw",
		.lname	= "CesiumDB read-modify-write",
		.type	= FIO_OPT_BOOL,
		.off1	= offsetof(struct cesium_engine_options, rmw),
		.help	= "Each write GETs the key before it PUTs it (YCSB F)",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "read_latest",
		.lname	= "CesiumDB read-latest",
		.type	= FIO_OPT_BOOL,
		.off1	= offsetof(struct cesium_engine_options, read_latest),
		.help	= "Writes insert new keys, reads favour the newest (YCSB D)",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "missing_ok",
		.lname	= "CesiumDB missing keys are not errors",
		.type	= FIO_OPT_BOOL,
		.off1	= offsetof(struct cesium_engine_options, missing_ok),
		.help	= "A GET or DELETE of a missing key completes (no data) instead of failing",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "scan_records",
		.lname	= "CesiumDB scan length",
		.type	= FIO_OPT_INT,
		.off1	= offsetof(struct cesium_engine_options, scan_records),
		.help	= "Reads become SCANs of this many records (needs SCAN in the ABI)",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= NULL,
	},
};

/* YCSB's zipfian generator over ranks 0..n-1 (Gray et al.), n may grow. */
struct cesium_zipf {
	uint64_t n;
	double theta, alpha, zeta2, zetan;
};

#ifdef CESIUM_IOC_SCAN
#define CESIUM_ENGINE_HAVE_SCAN	1
_Static_assert(sizeof(struct cesium_scan_cmd) <= CESIUM_ENGINE_SQE_CMD_BYTES,
	       "struct cesium_scan_cmd must fit in an SQE128's command area");
#else
#define CESIUM_ENGINE_HAVE_SCAN	0
#endif

/* One per io_u. */
struct cesium_io {
	union {
		struct cesium_kv_cmd kv;
#if CESIUM_ENGINE_HAVE_SCAN
		struct cesium_scan_cmd scan;
#endif
	} cmd;
	size_t cmd_bytes;
	uint64_t value_len;		/* GET: written by the kernel */
	uint8_t key[CESIUM_MAX_KEY_LEN];
	uint32_t key_len;
	uint8_t rmw_stage;		/* 1: the GET of a read-modify-write */
	void *rmw_buf;
#if CESIUM_ENGINE_HAVE_SCAN
	struct cesium_scan_result scan_res;
#endif
	void *scan_buf;
	uint32_t scan_buf_len;
};

/* One per job thread. */
struct cesium_engine {
	enum cesium_engine_mode mode;
	unsigned int put_flags;
	unsigned int del_flags;
	uint8_t prefix[CESIUM_ENGINE_PREFIX_MAX];
	size_t prefix_len;

	struct io_uring ring;
	bool ring_ready;
	struct io_u **events;
	unsigned int nr_events;
	unsigned int depth;

	/* read_latest */
	uint64_t nr_base;		/* keys loaded before the job */
	uint64_t inserted;
	struct cesium_zipf zipf;
	uint64_t rng;
};

static struct cesium_engine_options *ce_opts(struct thread_data *td)
{
	return td->eo;
}

/* ---- keys ---------------------------------------------------------------- */

static uint64_t ce_rand(struct cesium_engine *ce)
{
	/* xorshift64*: quality enough to draw ranks. */
	ce->rng ^= ce->rng >> 12;
	ce->rng ^= ce->rng << 25;
	ce->rng ^= ce->rng >> 27;
	return ce->rng * 0x2545F4914F6CDD1DULL;
}

static void ce_zipf_grow(struct cesium_zipf *z, uint64_t n)
{
	for (; z->n < n; z->n++)
		z->zetan += pow(1.0 / (double)(z->n + 1), z->theta);
}

static void ce_zipf_init(struct cesium_zipf *z, double theta)
{
	memset(z, 0, sizeof(*z));
	z->theta = theta;
	z->alpha = 1.0 / (1.0 - theta);
	z->zeta2 = 1.0 + pow(0.5, theta);
}

static uint64_t ce_zipf_next(struct cesium_zipf *z, uint64_t rnd)
{
	double n = (double)z->n, u, uz, eta;
	uint64_t r;

	if (z->n <= 1)
		return 0;
	eta = (1.0 - pow(2.0 / n, 1.0 - z->theta)) / (1.0 - z->zeta2 / z->zetan);
	u = (double)(rnd >> 11) / (double)(1ULL << 53);
	uz = u * z->zetan;
	if (uz < 1.0)
		return 0;
	if (uz < 1.0 + pow(0.5, z->theta))
		return 1;
	r = (uint64_t)(n * pow(eta * u - eta + 1.0, z->alpha));
	return r < z->n ? r : z->n - 1;
}

static void ce_set_key(struct cesium_engine *ce, struct cesium_io *io,
		       uint64_t num)
{
	int i;

	memcpy(io->key, ce->prefix, ce->prefix_len);
	for (i = 0; i < CESIUM_ENGINE_KEYNUM_BYTES; i++)
		io->key[ce->prefix_len + i] =
			(uint8_t)(num >> (8 * (CESIUM_ENGINE_KEYNUM_BYTES - 1 - i)));
	io->key_len = ce->prefix_len + CESIUM_ENGINE_KEYNUM_BYTES;
}

/* Choose the io_u's key (see the model at the top). */
static void ce_pick_key(struct thread_data *td, struct cesium_engine *ce,
			struct io_u *io_u)
{
	struct cesium_io *io = io_u->engine_data;
	uint64_t num;

	if (ce_opts(td)->read_latest && io_u->ddir == DDIR_WRITE) {
		num = ce->nr_base + ce->inserted++;
	} else if (ce_opts(td)->read_latest && io_u->ddir == DDIR_READ) {
		uint64_t n = ce->nr_base + ce->inserted;

		ce_zipf_grow(&ce->zipf, n);
		num = n - 1 - ce_zipf_next(&ce->zipf, ce_rand(ce));
	} else {
		num = io_u->offset / td_min_bs(td);
	}
	ce_set_key(ce, io, num);
}

static unsigned int ce_dur_flags(unsigned int dur)
{
	switch (dur) {
	case CESIUM_EDUR_SYNC:
		return CESIUM_DUR_SYNC;
	case CESIUM_EDUR_PERIODIC:
		return CESIUM_DUR_PERIODIC;
	case CESIUM_EDUR_NONE:
		return CESIUM_DUR_NONE;
	default:
		return CESIUM_DUR_DEFAULT;
	}
}

/*
 * The result of a finished command, into io_u->error and io_u->resid.
 * @got: the value's length for a GET.
 */
static void ce_result(struct thread_data *td, struct io_u *io_u, int ret,
		      uint64_t got)
{
	if (ret == -ENOENT && ce_opts(td)->missing_ok &&
	    (io_u->ddir == DDIR_READ || io_u->ddir == DDIR_TRIM)) {
		io_u->resid = io_u->ddir == DDIR_READ ? io_u->xfer_buflen : 0;
		io_u->error = 0;
		return;
	}
	if (ret < 0) {
		io_u->error = -ret;
		return;
	}
	if (io_u->ddir == DDIR_READ && got < io_u->xfer_buflen)
		io_u->resid = io_u->xfer_buflen - got;
}

/* ---- setup, files, io_u state -------------------------------------------- */

/*
 * fio has nothing to stat: the "file" is the device, its size the key
 * space (size=), and it exists before the job.
 */
static int ce_setup(struct thread_data *td)
{
	struct cesium_engine_options *o = ce_opts(td);
	struct fio_file *f;
	unsigned int i;

	if (!td->files_index) {
		add_file(td, o->device && o->device[0] ? o->device : "cesium",
			 0, 0);
		td->o.nr_files = td->o.nr_files ? : 1;
		td->o.open_files++;
	}
	if (!td->o.size) {
		log_err("cesium: size= is required: number of keys times the value size (bs)\n");
		return 1;
	}
	for_each_file(td, f, i) {
		f->real_file_size = td->o.size / td->o.nr_files;
		fio_file_set_size_known(f);
	}
	return 0;
}

/*
 * The device a file stands for: the device option, else the filename option,
 * else (fio then names the file after the job) the only attached device.
 */
static const char *ce_device_name(struct thread_data *td, struct fio_file *f)
{
	struct cesium_engine_options *o = ce_opts(td);

	if (o->device && o->device[0])
		return o->device;
	if (td->o.filename && td->o.filename[0])
		return f->file_name;
	return NULL;
}

static int ce_open_file(struct thread_data *td, struct fio_file *f)
{
	int flags = (td_write(td) || td_trim(td)) ? O_RDWR : O_RDONLY;
	struct cesium *c;
	int ret;

	ret = cesium_open(ce_device_name(td, f), flags, &c);
	if (ret) {
		log_err("cesium: open %s: %s\n",
			ce_device_name(td, f) ? : "(default device)",
			strerror(-ret));
		td_verror(td, -ret, "cesium_open");
		return 1;
	}
	FILE_SET_ENG_DATA(f, c);
	f->fd = cesium_fd(c);
	return 0;
}

static int ce_close_file(struct thread_data *td, struct fio_file *f)
{
	(void)td;
	cesium_close(FILE_ENG_DATA(f));
	FILE_SET_ENG_DATA(f, NULL);
	f->fd = -1;
	return 0;
}

/*
 * Bytes a SCAN of @records records needs: per record its header, the key
 * and the value, padded to 8 bytes.
 */
static uint64_t ce_scan_bytes(struct thread_data *td, unsigned int records)
{
	uint64_t rec = 8 + CESIUM_MAX_KEY_LEN + td_max_bs(td);

	return (uint64_t)records * ((rec + 7) & ~7ULL);
}

static int ce_io_u_init(struct thread_data *td, struct io_u *io_u)
{
	struct cesium_engine_options *o = ce_opts(td);
	struct cesium_io *io = calloc(1, sizeof(*io));

	if (!io)
		return 1;
	io_u->engine_data = io;
	if (o->rmw) {
		io->rmw_buf = malloc(td_max_bs(td));
		if (!io->rmw_buf)
			return 1;
	}
	if (o->scan_records) {
		uint64_t bytes = ce_scan_bytes(td, o->scan_records);

		if (bytes > UINT32_MAX)
			return 1;
		io->scan_buf_len = bytes;
		io->scan_buf = malloc(bytes);
		if (!io->scan_buf)
			return 1;
	}
	return 0;
}

static void ce_io_u_free(struct thread_data *td, struct io_u *io_u)
{
	struct cesium_io *io = io_u->engine_data;

	(void)td;
	if (io) {
		free(io->rmw_buf);
		free(io->scan_buf);
		free(io);
	}
	io_u->engine_data = NULL;
}

static void ce_cleanup(struct thread_data *td)
{
	struct cesium_engine *ce = td->io_ops_data;

	if (!ce)
		return;
	if (ce->ring_ready)
		io_uring_queue_exit(&ce->ring);
	free(ce->events);
	free(ce);
	td->io_ops_data = NULL;
}

static int ce_init(struct thread_data *td)
{
	struct cesium_engine_options *o = ce_opts(td);
	struct io_uring_params p;
	struct cesium_engine *ce;
	int ret;

	if (o->scan_records && !CESIUM_ENGINE_HAVE_SCAN) {
		log_err("cesium: scan_records: built against a <linux/cesium.h> without SCAN\n");
		return 1;
	}
	if (o->key_prefix && strlen(o->key_prefix) > CESIUM_ENGINE_PREFIX_MAX) {
		log_err("cesium: key_prefix is longer than %d bytes\n",
			CESIUM_ENGINE_PREFIX_MAX);
		return 1;
	}
	ce = calloc(1, sizeof(*ce));
	if (!ce)
		return 1;
	td->io_ops_data = ce;
	ce->mode = o->mode;
	ce->put_flags = ce_dur_flags(o->durability);
	ce->del_flags = ce->put_flags;
	if (o->key_prefix) {
		ce->prefix_len = strlen(o->key_prefix);
		memcpy(ce->prefix, o->key_prefix, ce->prefix_len);
	}
	ce->nr_base = td->o.size / td_min_bs(td);
	ce_zipf_init(&ce->zipf, CESIUM_ENGINE_ZIPF_THETA);
	ce->rng = (td->o.rand_seed ^ 0x9E3779B97F4A7C15ULL) + td->thread_number;
	if (!ce->rng)
		ce->rng = 1;

	if (ce->mode == CESIUM_MODE_SYNC) {
		/*
		 * Commands complete inside queue(): tell fio so, so that it
		 * takes the issue time before the call (this job's own flags,
		 * not the shared ops).
		 */
		td->flags |= (unsigned long long)FIO_SYNCIO << TD_ENG_FLAG_SHIFT;
		return 0;
	}

	ce->depth = td->o.iodepth ? td->o.iodepth : 1;
	ce->events = calloc(ce->depth, sizeof(*ce->events));
	if (!ce->events)
		goto fail;
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128;
	ret = io_uring_queue_init_params(ce->depth, &ce->ring, &p);
	if (ret) {
		log_err("cesium: io_uring_queue_init (SQE128, %u entries): %s\n",
			ce->depth, strerror(-ret));
		td_verror(td, -ret, "io_uring_queue_init");
		goto fail;
	}
	ce->ring_ready = true;
	return 0;
fail:
	ce_cleanup(td);
	return 1;
}

static int ce_prep(struct thread_data *td, struct io_u *io_u)
{
	struct cesium_io *io = io_u->engine_data;

	io->rmw_stage = 0;
	if (ddir_rw(io_u->ddir) || io_u->ddir == DDIR_TRIM)
		ce_pick_key(td, td->io_ops_data, io_u);
	return 0;
}

/* ---- scans ---------------------------------------------------------------- */

#if CESIUM_ENGINE_HAVE_SCAN
/* SCAN of scan_records records from the io_u's key, into io->cmd.scan. */
static void ce_fill_scan(struct thread_data *td, struct cesium_io *io)
{
	struct cesium_scan_cmd *cmd = &io->cmd.scan;

	memset(cmd, 0, sizeof(*cmd));
	cmd->size = sizeof(*cmd);
	cmd->ns = ce_opts(td)->ns;
	cmd->start_ptr = (uintptr_t)io->key;
	cmd->start_len = io->key_len;
	cmd->buf_ptr = (uintptr_t)io->scan_buf;
	cmd->buf_len = io->scan_buf_len;
	cmd->limit = ce_opts(td)->scan_records;
	cmd->result_ptr = (uintptr_t)&io->scan_res;
	io->cmd_bytes = sizeof(*cmd);
}

static int ce_scan_sync(struct thread_data *td, struct cesium_io *io, int fd)
{
	int ret;

	ce_fill_scan(td, io);
	/* The record count does not matter: fewer near the end of the keys. */
	ret = ioctl(fd, CESIUM_IOC_SCAN, &io->cmd.scan);
	return ret < 0 ? -errno : 0;
}
#else
static int ce_scan_sync(struct thread_data *td, struct cesium_io *io, int fd)
{
	(void)td;
	(void)io;
	(void)fd;
	return -EOPNOTSUPP;
}
#endif

/* ---- sync mode ------------------------------------------------------------ */

static enum fio_q_status ce_queue_sync(struct thread_data *td,
				       struct io_u *io_u)
{
	struct cesium_engine *ce = td->io_ops_data;
	struct cesium_engine_options *o = ce_opts(td);
	struct cesium_io *io = io_u->engine_data;
	struct cesium *c = FILE_ENG_DATA(io_u->file);
	size_t got = 0;
	int ret;

	switch (io_u->ddir) {
	case DDIR_READ:
		if (o->scan_records) {
			ret = ce_scan_sync(td, io, cesium_fd(c));
			got = io_u->xfer_buflen;
			break;
		}
		ret = cesium_get(c, o->ns, io->key, io->key_len, io_u->xfer_buf,
				 io_u->xfer_buflen, &got, 0);
		break;
	case DDIR_WRITE:
		if (o->rmw) {
			ret = cesium_get(c, o->ns, io->key, io->key_len,
					 io->rmw_buf, td_max_bs(td), &got, 0);
			if (ret && ret != -ENOENT && ret != -EOVERFLOW)
				break;
		}
		ret = cesium_put(c, o->ns, io->key, io->key_len, io_u->xfer_buf,
				 io_u->xfer_buflen, ce->put_flags);
		break;
	case DDIR_TRIM:
		ret = cesium_delete(c, o->ns, io->key, io->key_len,
				    ce->del_flags);
		break;
	default:
		/* fsync and friends: durability is per operation. */
		ret = 0;
		break;
	}
	ce_result(td, io_u, ret, got);
	return FIO_Q_COMPLETED;
}

/* ---- uring mode ----------------------------------------------------------- */

static void ce_fill_cmd(struct thread_data *td, struct cesium_io *io,
			struct io_u *io_u, unsigned int *op)
{
	struct cesium_engine *ce = td->io_ops_data;
	struct cesium_kv_cmd *cmd = &io->cmd.kv;

#if CESIUM_ENGINE_HAVE_SCAN
	if (io_u->ddir == DDIR_READ && ce_opts(td)->scan_records) {
		*op = CESIUM_IOC_SCAN;
		ce_fill_scan(td, io);
		return;
	}
#endif
	io->cmd_bytes = sizeof(*cmd);
	memset(cmd, 0, sizeof(*cmd));
	cmd->size = sizeof(*cmd);
	cmd->ns = ce_opts(td)->ns;
	cmd->key_ptr = (uintptr_t)io->key;
	cmd->key_len = io->key_len;
	if (io->rmw_stage == 1) {
		*op = CESIUM_IOC_GET;
		cmd->value_ptr = (uintptr_t)io->rmw_buf;
		cmd->value_len = td_max_bs(td);
		cmd->value_len_ptr = (uintptr_t)&io->value_len;
		return;
	}
	switch (io_u->ddir) {
	case DDIR_READ:
		*op = CESIUM_IOC_GET;
		cmd->value_ptr = (uintptr_t)io_u->xfer_buf;
		cmd->value_len = io_u->xfer_buflen;
		cmd->value_len_ptr = (uintptr_t)&io->value_len;
		break;
	case DDIR_WRITE:
		*op = CESIUM_IOC_PUT;
		cmd->flags = ce->put_flags;
		cmd->value_ptr = (uintptr_t)io_u->xfer_buf;
		cmd->value_len = io_u->xfer_buflen;
		break;
	default:
		*op = CESIUM_IOC_DELETE;
		cmd->flags = ce->del_flags;
		break;
	}
}

/* Put the io_u's command (at its stage) on the ring; false if full. */
static bool ce_push(struct thread_data *td, struct io_u *io_u)
{
	struct cesium_engine *ce = td->io_ops_data;
	struct cesium_io *io = io_u->engine_data;
	struct io_uring_sqe *sqe;
	unsigned int op;

	sqe = io_uring_get_sqe(&ce->ring);
	if (!sqe)
		return false;
	ce_fill_cmd(td, io, io_u, &op);
	io->value_len = 0;
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, io_u->file->fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memset(sqe->cmd, 0, CESIUM_ENGINE_SQE_CMD_BYTES);
	memcpy(sqe->cmd, &io->cmd, io->cmd_bytes);
	io_uring_sqe_set_data(sqe, io_u);
	return true;
}

static enum fio_q_status ce_queue_uring(struct thread_data *td,
					struct io_u *io_u)
{
	struct cesium_io *io = io_u->engine_data;

	if (!ddir_rw(io_u->ddir) && io_u->ddir != DDIR_TRIM) {
		ce_result(td, io_u, 0, 0);
		return FIO_Q_COMPLETED;
	}
	if (io_u->ddir == DDIR_WRITE && ce_opts(td)->rmw)
		io->rmw_stage = 1;
	if (!ce_push(td, io_u))
		return FIO_Q_BUSY;
	return FIO_Q_QUEUED;
}

static int ce_submit_all(struct thread_data *td)
{
	struct cesium_engine *ce = td->io_ops_data;
	int ret;

	for (;;) {
		ret = io_uring_submit(&ce->ring);
		if (ret >= 0)
			return ret;
		if (ret != -EAGAIN && ret != -EINTR && ret != -EBUSY)
			return ret;
		usleep(1);
	}
}

static int ce_commit(struct thread_data *td)
{
	struct cesium_engine *ce = td->io_ops_data;
	int ret;

	if (ce->mode != CESIUM_MODE_URING)
		return 0;
	ret = ce_submit_all(td);
	if (ret < 0) {
		td_verror(td, -ret, "io_uring_submit");
		return ret;
	}
	if (ret)
		io_u_mark_submit(td, ret);
	return 0;
}

/*
 * A completion: true if the io_u is done, false if it went back on the
 * ring (the PUT after the GET of a read-modify-write).
 */
static bool ce_complete(struct thread_data *td, struct io_u *io_u, int res)
{
	struct cesium_io *io = io_u->engine_data;

	if (io->rmw_stage == 1 &&
	    (res == 0 || res == -ENOENT || res == -EOVERFLOW)) {
		io->rmw_stage = 2;
		if (ce_push(td, io_u) && ce_submit_all(td) >= 0)
			return false;
		res = -EBUSY;
	}
	if (ce_opts(td)->scan_records && io_u->ddir == DDIR_READ)
		ce_result(td, io_u, res < 0 ? res : 0, io_u->xfer_buflen);
	else
		ce_result(td, io_u, res, io->value_len);
	return true;
}

static int ce_getevents(struct thread_data *td, unsigned int min,
			unsigned int max, const struct timespec *t)
{
	struct cesium_engine *ce = td->io_ops_data;
	unsigned int got = 0;

	(void)t;
	if (max > ce->depth)
		max = ce->depth;
	while (got < max) {
		struct io_uring_cqe *cqe;
		struct io_u *io_u;
		int ret, res;

		if (got < min)
			ret = io_uring_wait_cqe(&ce->ring, &cqe);
		else
			ret = io_uring_peek_cqe(&ce->ring, &cqe);
		if (ret == -EAGAIN && got >= min)
			break;
		if (ret == -EINTR || ret == -EAGAIN)
			continue;
		if (ret < 0) {
			td_verror(td, -ret, "io_uring_wait_cqe");
			return -1;
		}
		io_u = io_uring_cqe_get_data(cqe);
		res = cqe->res;
		io_uring_cqe_seen(&ce->ring, cqe);
		if (ce_complete(td, io_u, res))
			ce->events[got++] = io_u;
	}
	ce->nr_events = got;
	return got;
}

static struct io_u *ce_event(struct thread_data *td, int event)
{
	struct cesium_engine *ce = td->io_ops_data;

	return ce->events[event];
}

static enum fio_q_status ce_queue(struct thread_data *td, struct io_u *io_u)
{
	struct cesium_engine *ce = td->io_ops_data;

	fio_ro_check(td, io_u);
	if (ce->mode == CESIUM_MODE_URING)
		return ce_queue_uring(td, io_u);
	return ce_queue_sync(td, io_u);
}

/*
 * fio finds the engine by this name (dlsym), for external engines only.
 * FIO_SYNCIO is added per job in sync mode (ce_init()).
 */
struct ioengine_ops ioengine = {
	.name			= "cesium",
	.version		= FIO_IOOPS_VERSION,
	.flags			= FIO_DISKLESSIO | FIO_NODISKUTIL | FIO_NOEXTEND,
	.setup			= ce_setup,
	.init			= ce_init,
	.cleanup		= ce_cleanup,
	.prep			= ce_prep,
	.queue			= ce_queue,
	.commit			= ce_commit,
	.getevents		= ce_getevents,
	.event			= ce_event,
	.open_file		= ce_open_file,
	.close_file		= ce_close_file,
	.io_u_init		= ce_io_u_init,
	.io_u_free		= ce_io_u_free,
	.options		= options,
	.option_struct_size	= sizeof(struct cesium_engine_options),
};
