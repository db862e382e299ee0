// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * ifacetest: every field of every command of <linux/cesium.h>, with a bad
 * value, through ioctl and through io_uring uring_cmd, in the VM guest.
 *
 *   ifacetest /dev/cesiumN SCRATCH_BDEV
 *
 * /dev/cesiumN is an attached store (ifacetest puts its own keys first and
 * checks them at the end); SCRATCH_BDEV holds a CesiumDB store that is not
 * attached: FORMAT aims at it without CESIUM_FORMAT_FORCE (-EEXIST), so it
 * is never overwritten, and one case checks that a FORMAT refused for a
 * bad result pointer did not touch it either.
 *
 * The cases are a table: a command, its valid form (the base, whose own
 * result is checked first), one field changed to a bad value, the errno
 * DESIGN.md prescribes, and for the output buffers what must have been
 * written back. Generated for every command: the size field (too small,
 * longer with a zero tail: accepted, with a non-zero tail, over the
 * transport's limit), every flag bit outside the command's _FLAGS_ALL,
 * every reserved and pad field, the command on the other device, on a
 * read-only file, under a wrong ioctl type; and, through ioctl only, a bad
 * argument pointer. Written out: every user pointer (NULL, unmapped,
 * read-only for outputs, a kernel address, one that runs into an unmapped
 * page), every length over its limit, every output buffer too small,
 * unknown command numbers, namespace ids at the extremes. Every case runs
 * through both transports (but the few that only one has), the same
 * table, the same expectations.
 *
 * Files: ifacetest_cmds.c describes the commands (valid forms, results,
 * reserved fields, checks of their outputs), ifacetest_cases.c holds the
 * cases written out, this file generates the others and runs them all.
 *
 * Output: "CESIUM-RESULT PASS|FAIL iface/<transport>/<command>", one per
 * command and transport (a failure names the first case that failed and
 * how many did; a CESIUM-NOTE line each names the first 20), a
 * CESIUM-NOTE with the number of cases per transport,
 * and iface/store-intact: the keys stored at the start are all there,
 * with their values, and nothing else is. Exit status 1 on a failure.
 */
#define _GNU_SOURCE	/* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <liburing.h>
#include <linux/cesium.h>

#include "ifacetest.h"

#define SQE_CMD_BYTES	80	/* of an IORING_SETUP_SQE128 SQE */
#define CMDBUF		1024	/* a command and what lies past it */

/* ---- user memory the commands point into (see ifacetest.h) ------------ */

uint8_t *page_none;
uint8_t *page_ro;
uint8_t *guard;
uint8_t v0[V0_LEN];
uint8_t getbuf[4096];
uint64_t lenout;
struct cesium_info infobuf;
struct cesium_stats statsbuf;
uint8_t scanbuf[4096];
struct cesium_scan_result scanres;
uint64_t idsbuf[16];
uint64_t countout;
struct cesium_check_result checkres;
struct cesium_list_entry entries[4];
uint64_t sigout;
struct cesium_batch_op ops[NR_OPS];
uint8_t *big;
const char *scratch;
struct cesium_info dinfo;
int fd_rw, fd_ro, fd_ctl;
uint8_t key255[CESIUM_MAX_KEY_LEN];
char attached_path[64];

uint64_t resolve(uint64_t v)
{
	switch (v) {
	case P_NONE:
		return (uintptr_t)page_none;
	case P_RDONLY:
		return (uintptr_t)page_ro;
	case P_STRADDLE:
		return (uintptr_t)guard - 1;
	default:
		return v;
	}
}

uint64_t ptr(const void *p)
{
	return (uintptr_t)p;
}

/* ---- the generated cases ---------------------------------------------- */

static struct tcase *cases;
static size_t nr_cases, cap_cases;
static char names[4096][64];	/* the generated cases' descriptions */
static size_t nr_names;

static const char *name(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static const char *name(const char *fmt, ...)
{
	va_list ap;

	if (nr_names == sizeof(names) / sizeof(names[0]))
		return "(too many names)";
	va_start(ap, fmt);
	vsnprintf(names[nr_names], sizeof(names[0]), fmt, ap);
	va_end(ap);
	return names[nr_names++];
}

static struct tcase *add(int cmd, const char *group, const char *what, int want)
{
	struct tcase *t;

	if (nr_cases == cap_cases) {
		cap_cases = cap_cases ? 2 * cap_cases : 1024;
		cases = realloc(cases, cap_cases * sizeof(*cases));
		if (!cases) {
			perror("ifacetest");
			exit(1);
		}
	}
	t = &cases[nr_cases++];
	memset(t, 0, sizeof(*t));
	t->cmd = cmd;
	t->group = group;
	t->what = what;
	t->want = want;
	return t;
}

static void set_change(struct change *ch, unsigned int off, unsigned int width,
		       uint64_t val)
{
	ch->tgt = T_CMD;
	ch->off = off;
	ch->width = width;
	ch->val = val;
}

static unsigned int ioc_type_x(unsigned int req)
{
	return (req & ~(_IOC_TYPEMASK << _IOC_TYPESHIFT)) | ('X' << _IOC_TYPESHIFT);
}

/*
 * Every command: its base; its size field; every unknown flag bit; every
 * reserved and pad field; the other device, a read-only file, another
 * ioctl type, other size and direction bits; a bad argument (ioctl).
 */
static void generate(int c)
{
	const struct cmd_desc *d = &cmds[c];
	struct tcase *t;
	unsigned int b, i;

	add(c, "base", "the valid command", WANT_BASE);

	t = add(c, "size", "size=0", -EINVAL);
	set_change(&t->ch[0], 0, 4, 0);
	t = add(c, "size", name("size=%u (one short of the fields before reserved)",
				d->min - 1), -EINVAL);
	set_change(&t->ch[0], 0, 4, d->min - 1);
	t = add(c, "size", name("size=%u, the bytes past it non-zero (not read)",
				d->min), WANT_BASE);
	set_change(&t->ch[0], 0, 4, d->min);
	set_change(&t->ch[1], d->min, 1, 0xff);
	t = add(c, "size", name("size=%u, a zero tail", d->size + 8), WANT_BASE);
	set_change(&t->ch[0], 0, 4, d->size + 8);
	if (d->size + 8 > SQE_CMD_BYTES) {
		t->uring_differs = 1;
		t->uring_want = -EINVAL;
	}
	t = add(c, "size", name("size=%u, a non-zero tail", d->size + 8), -EINVAL);
	set_change(&t->ch[0], 0, 4, d->size + 8);
	set_change(&t->ch[1], d->size + 7, 1, 1);
	t = add(c, "size", "size=81, a zero tail (over the SQE's 80 bytes)", WANT_BASE);
	set_change(&t->ch[0], 0, 4, 81);
	t->uring_differs = 1;
	t->uring_want = -EINVAL;
	t = add(c, "size", "size=512, a zero tail", WANT_BASE);
	set_change(&t->ch[0], 0, 4, 512);
	t->uring_differs = 1;
	t->uring_want = -EINVAL;
	t = add(c, "size", "size=512, byte 511 non-zero", -EINVAL);
	set_change(&t->ch[0], 0, 4, 512);
	set_change(&t->ch[1], 511, 1, 1);
	t = add(c, "size", "size=513", -EINVAL);
	set_change(&t->ch[0], 0, 4, 513);
	t = add(c, "size", "size=2^32-1", -EINVAL);
	set_change(&t->ch[0], 0, 4, UINT32_MAX);

	for (b = 0; b < 32; b++) {
		if (d->flags_all & (1U << b))
			continue;
		t = add(c, "flags", name("flags bit %u", b), -EINVAL);
		set_change(&t->ch[0], 4, 4, 1ULL << b);
	}

	for (i = 0; i < 6 && d->rsv[i].width; i++) {
		t = add(c, "reserved", name("field at %u = 1", d->rsv[i].off), -EINVAL);
		set_change(&t->ch[0], d->rsv[i].off, d->rsv[i].width, 1);
		t = add(c, "reserved", name("field at %u, top bit", d->rsv[i].off),
			-EINVAL);
		set_change(&t->ch[0], d->rsv[i].off, d->rsv[i].width,
			   1ULL << (8 * d->rsv[i].width - 1));
	}

	t = add(c, "access", d->dev == D_CTL ? "on a data device" :
		"on the control device", -ENOTTY);
	t->on = ON_OTHER;
	if (d->dev == D_DATA) {
		t = add(c, "access", "on a read-only file",
			d->writes ? -EBADF : WANT_BASE);
		t->on = ON_RO;
	}
	t = add(c, "numbers", "ioctl type 'X'", -ENOTTY);
	t->req = ioc_type_x(d->req);
	t->has_req = 1;
	t = add(c, "numbers", "no size or direction bits (not checked)", WANT_BASE);
	t->req = _IO(CESIUM_IOC_MAGIC, _IOC_NR(d->req));
	t->has_req = 1;

	t = add(c, "arg", "argument NULL", -EFAULT);
	t->only = TR_IOCTL;
	t->arg = ARG_NULL;
	t = add(c, "arg", "argument unmapped", -EFAULT);
	t->only = TR_IOCTL;
	t->arg = ARG_NONE;
	t = add(c, "arg", "argument a kernel address", -EFAULT);
	t->only = TR_IOCTL;
	t->arg = ARG_KERNEL;
	t = add(c, "arg", "the struct runs into a hole after its size", -EFAULT);
	t->only = TR_IOCTL;
	t->arg = ARG_STRADDLE;
}

/* Flags of a BATCH operation: a PUT takes only the two PUT flags. */
static void generate_op_flags(void)
{
	uint32_t ok = CESIUM_PUT_NO_OVERWRITE | CESIUM_PUT_UPDATE_ONLY;
	struct tcase *t;
	unsigned int b;

	for (b = 0; b < 32; b++) {
		if (ok & (1U << b))
			continue;
		t = add(C_BATCH, "ops", name("PUT op flags bit %u", b), -EINVAL);
		t->ch[0].tgt = T_OP1;
		t->ch[0].off = offsetof(struct cesium_batch_op, flags);
		t->ch[0].width = 4;
		t->ch[0].val = 1ULL << b;
		t->bad_op = 2;
	}
}

/* ---- running a case ------------------------------------------------------ */

static struct io_uring ring;
static uint8_t cmdbuf[CMDBUF];

static void apply(const struct change *ch)
{
	uint8_t *base = ch->tgt == T_CMD ? cmdbuf : (uint8_t *)&ops[ch->tgt - T_OP0];
	uint64_t v = resolve(ch->val);
	uint32_t v32 = v;
	uint16_t v16 = v;
	uint8_t v8 = v;

	switch (ch->width) {
	case 1:
		memcpy(base + ch->off, &v8, 1);
		break;
	case 2:
		memcpy(base + ch->off, &v16, 2);
		break;
	case 4:
		memcpy(base + ch->off, &v32, 4);
		break;
	case 8:
		memcpy(base + ch->off, &v, 8);
		break;
	}
}

static int via_ioctl(int fd, unsigned int req, int arg)
{
	void *p = cmdbuf;
	int ret;

	switch (arg) {
	case ARG_NULL:
		p = NULL;
		break;
	case ARG_NONE:
		p = page_none;
		break;
	case ARG_KERNEL:
		p = (void *)(uintptr_t)P_KERNEL;
		break;
	case ARG_STRADDLE:
		/* The size field readable, the rest of the struct not. */
		memcpy(guard - 4, cmdbuf, 4);
		p = guard - 4;
		break;
	}
	ret = ioctl(fd, req, p);
	return ret < 0 ? -errno : ret;
}

static int via_uring(int fd, unsigned int req)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
	struct io_uring_cqe *cqe;
	int res;

	if (!sqe)
		return -10000;
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = req;
	memcpy(sqe->cmd, cmdbuf, SQE_CMD_BYTES);
	if (io_uring_submit_and_wait(&ring, 1) < 0 || io_uring_wait_cqe(&ring, &cqe) < 0)
		return -10001;
	res = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	return res;
}

static int fd_for(const struct tcase *t)
{
	int dev = cmds[t->cmd].dev;

	if (t->on == ON_RO)
		return fd_ro;
	if (t->on == ON_OTHER)
		dev = dev == D_CTL ? D_DATA : D_CTL;
	return dev == D_CTL ? fd_ctl : fd_rw;
}

static const char *errname(int e)
{
	static char buf[32];

	switch (-e) {
	case EINVAL: return "-EINVAL";
	case EFAULT: return "-EFAULT";
	case E2BIG: return "-E2BIG";
	case ENOTTY: return "-ENOTTY";
	case EOVERFLOW: return "-EOVERFLOW";
	case ENOENT: return "-ENOENT";
	case EEXIST: return "-EEXIST";
	case EBADF: return "-EBADF";
	case EBUSY: return "-EBUSY";
	case ENODEV: return "-ENODEV";
	case ENOTBLK: return "-ENOTBLK";
	case ENAMETOOLONG: return "-ENAMETOOLONG";
	case ECANCELED: return "-ECANCELED";
	case EPERM: return "-EPERM";
	}
	snprintf(buf, sizeof(buf), "%d", e);
	return buf;
}

/* Run case @t through transport @tr; NULL if it went as it must. */
static const char *run_case(const struct tcase *t, int tr)
{
	const struct cmd_desc *d = &cmds[t->cmd];
	unsigned int req = t->has_req ? t->req : d->req;
	const char *bad = NULL;
	int i, res, want;

	memset(cmdbuf, 0, sizeof(cmdbuf));
	reset_outputs();
	d->base(cmdbuf);
	for (i = 0; i < 3; i++)
		if (t->ch[i].width)
			apply(&t->ch[i]);
	if (t->prep)
		t->prep(cmdbuf);

	if (tr == TR_IOCTL)
		res = via_ioctl(fd_for(t), req, t->arg);
	else
		res = via_uring(fd_for(t), req);

	want = tr == TR_URING && t->uring_differs ? t->uring_want : t->want;
	if (want == WANT_BASE)
		want = d->want;
	if (res != want) {
		static char msg[96];

		snprintf(msg, sizeof(msg), "%s, want %s", errname(res), errname(want));
		bad = says("%s", msg);
	} else if (t->bad_op) {
		for (i = 0; i < NR_OPS; i++) {
			int w = i == t->bad_op - 1 ? want : -ECANCELED;

			if (ops[i].result != w) {
				bad = says("op %d's result %s, want %s", i,
					   errname(ops[i].result), errname(w));
				break;
			}
		}
	} else if (t->post) {
		bad = t->post();
	} else if (t->want == WANT_BASE && d->post &&
		   !(tr == TR_URING && t->uring_differs)) {
		bad = d->post();
	}
	if (d->after) {
		static char first[256];
		const char *bad2;

		/* after() may say why in the same buffer: keep the first. */
		if (bad)
			snprintf(first, sizeof(first), "%s", bad);
		bad2 = d->after(res);
		bad = bad ? first : bad2;
	}
	return bad;
}

/* ---- results, per transport and command ------------------------------- */

static int failures;
static unsigned int counted[3], negative[3];

/*
 * Every case of every command through transport @tr: one result per
 * command, and a note for each case that failed (the first 20).
 */
static void run_all(int tr)
{
	const char *trn = tr == TR_IOCTL ? "ioctl" : "uring";
	char first[384];
	unsigned int n, nfailed;
	size_t i;
	int c;

	for (c = 0; c < NR_CMDS; c++) {
		n = nfailed = 0;
		for (i = 0; i < nr_cases; i++) {
			const struct tcase *t = &cases[i];
			const char *bad;
			int want;

			if (t->cmd != c || (t->only && t->only != tr))
				continue;
			want = tr == TR_URING && t->uring_differs ? t->uring_want : t->want;
			n++;
			counted[tr]++;
			negative[tr] += (want == WANT_BASE ? cmds[c].want : want) < 0;
			bad = run_case(t, tr);
			if (!bad)
				continue;
			if (!nfailed++)
				snprintf(first, sizeof(first), "%s '%s': %s", t->group,
					 t->what, bad);
			if (nfailed <= 20)
				printf("CESIUM-NOTE iface/%s/%s/%s '%s': %s\n", trn,
				       cmds[c].name, t->group, t->what, bad);
		}
		if (!nfailed) {
			printf("CESIUM-RESULT PASS iface/%s/%s\n", trn, cmds[c].name);
			continue;
		}
		failures++;
		printf("CESIUM-RESULT FAIL iface/%s/%s: %u of %u cases failed, first %s\n",
		       trn, cmds[c].name, nfailed, n, first);
	}
}

/*
 * A ring of 64-byte SQEs carries 16 bytes of command: every command on
 * both devices is refused with -EINVAL, whatever those bytes hold.
 */
static void check_no_sqe128(void)
{
	struct io_uring small;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int c, res, bad = 0;

	if (io_uring_queue_init(4, &small, 0) < 0) {
		failures++;
		printf("CESIUM-RESULT FAIL iface/uring/no-sqe128: no ring\n");
		return;
	}
	for (c = 0; c < NR_CMDS; c++) {
		memset(cmdbuf, 0, sizeof(cmdbuf));
		reset_outputs();
		cmds[c].base(cmdbuf);
		sqe = io_uring_get_sqe(&small);
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe,
				 cmds[c].dev == D_CTL ? fd_ctl : fd_rw, NULL, 0, 0);
		sqe->cmd_op = cmds[c].req;
		memcpy(sqe->cmd, cmdbuf, 16);
		res = -10001;
		if (io_uring_submit_and_wait(&small, 1) >= 0 &&
		    io_uring_wait_cqe(&small, &cqe) >= 0) {
			res = cqe->res;
			io_uring_cqe_seen(&small, cqe);
		}
		if (res != -EINVAL && !bad++)
			printf("CESIUM-NOTE iface/uring/no-sqe128: %s: %s\n",
			       cmds[c].name, errname(res));
	}
	io_uring_queue_exit(&small);
	counted[TR_URING] += NR_CMDS;
	negative[TR_URING] += NR_CMDS;
	if (bad)
		failures++;
	printf("CESIUM-RESULT %s iface/uring/no-sqe128\n", bad ? "FAIL" : "PASS");
}

/* ---- the store before and after ----------------------------------------- */

static int kv(unsigned int req, uint64_t ns, const char *key, const void *val,
	      size_t len)
{
	struct cesium_kv_cmd k;
	int ret;

	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.ns = ns;
	k.key_ptr = ptr(key);
	k.key_len = strlen(key);
	k.value_ptr = ptr(val);
	k.value_len = len;
	if (req == CESIUM_IOC_GET)
		k.value_len_ptr = ptr(&lenout);
	ret = ioctl(fd_rw, req, &k);
	return ret < 0 ? -errno : ret;
}

static const struct {
	uint64_t ns;
	const char *key;
	const void *value;
	size_t len;
} dataset[NR_KEYS] = {
	{ 0, K0, v0, V0_LEN },
	{ 0, K1, "one", 3 },
	{ 0, K2, "", 0 },
	{ 0, KP, "pp", 2 },
	{ 1, K0, "ns1", 3 },
	{ NS_MAX, KMAX, "max", 3 },
	{ NS_MAX, KP, "pp", 2 },
};

static int store_dataset(void)
{
	int i, ret;

	for (i = 0; i < NR_KEYS; i++) {
		ret = kv(CESIUM_IOC_PUT, dataset[i].ns, dataset[i].key,
			 dataset[i].value, dataset[i].len);
		if (ret) {
			printf("CESIUM-RESULT FAIL iface/setup: put %s: %s\n",
			       dataset[i].key, errname(ret));
			return -1;
		}
	}
	return 0;
}

/* The dataset, all of it, and nothing else: by GET, SCAN, NAMESPACES, INFO. */
static const char *check_dataset(void)
{
	static uint8_t buf[8192];
	struct cesium_scan_cmd s;
	struct cesium_scan_result r;
	struct cesium_ns_cmd n;
	struct cesium_info_cmd ic;
	struct cesium_info info;
	uint64_t ids[8], count = 0;
	int i, ret;

	for (i = 0; i < NR_KEYS; i++) {
		lenout = LEN_SENTINEL;
		ret = kv(CESIUM_IOC_GET, dataset[i].ns, dataset[i].key, buf, sizeof(buf));
		if (ret || lenout != dataset[i].len ||
		    memcmp(buf, dataset[i].value, dataset[i].len))
			return says("%s in ns %" PRIu64 ": %s, %" PRIu64 " bytes",
				    dataset[i].key, dataset[i].ns, errname(ret), lenout);
	}
	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.flags = CESIUM_SCAN_KEYS_ONLY;
	s.buf_ptr = ptr(buf);
	s.buf_len = sizeof(buf);
	s.result_ptr = ptr(&r);
	ret = ioctl(fd_rw, CESIUM_IOC_SCAN, &s);
	if (ret != 4)
		return says("a scan of ns 0 finds %d keys, want 4", ret < 0 ? -errno : ret);
	memset(&n, 0, sizeof(n));
	n.size = sizeof(n);
	n.ids_ptr = ptr(ids);
	n.nr_ids = 8;
	n.count_ptr = ptr(&count);
	ret = ioctl(fd_rw, CESIUM_IOC_NAMESPACES, &n);
	if (ret != NR_NS || ids[0] != 0 || ids[1] != 1 || ids[2] != NS_MAX)
		return says("NAMESPACES gives %d", ret < 0 ? -errno : ret);
	memset(&ic, 0, sizeof(ic));
	ic.size = sizeof(ic);
	ic.info_ptr = ptr(&info);
	ic.info_len = sizeof(info);
	if (ioctl(fd_rw, CESIUM_IOC_INFO, &ic) || info.nr_keys != NR_KEYS ||
	    info.state != CESIUM_STATE_ONLINE)
		return says("INFO: %" PRIu64 " keys, state %u", (uint64_t)info.nr_keys,
			    info.state);
	return NULL;
}

static uint8_t *map(int prot, size_t len)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

int main(int argc, char **argv)
{
	struct io_uring_params p;
	struct cesium_info_cmd ic;
	const char *bad;
	uint8_t *two;
	size_t i;
	int c;

	if (argc != 3) {
		fprintf(stderr, "usage: ifacetest /dev/cesiumN SCRATCH_BDEV\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	scratch = argv[2];
	page_none = map(PROT_NONE, PAGE);
	page_ro = map(PROT_READ, PAGE);
	two = map(PROT_READ | PROT_WRITE, 2 * PAGE);
	guard = two + PAGE;
	mprotect(guard, PAGE, PROT_NONE);
	memset(two, 'g', PAGE);
	big = calloc(1, BIG_LEN);
	for (i = 0; i < V0_LEN; i++)
		v0[i] = (uint8_t)(i * 7 + 1);
	memset(key255, 'z', sizeof(key255));

	fd_rw = open(argv[1], O_RDWR);
	fd_ro = open(argv[1], O_RDONLY);
	fd_ctl = open(CESIUM_CONTROL_PATH, O_RDWR);
	if (fd_rw < 0 || fd_ro < 0 || fd_ctl < 0 || !big) {
		printf("CESIUM-RESULT FAIL iface/setup: open %s, %s: %s\n", argv[1],
		       CESIUM_CONTROL_PATH, strerror(errno));
		return 1;
	}
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128;
	if (io_uring_queue_init_params(8, &ring, &p) < 0) {
		printf("CESIUM-RESULT FAIL iface/setup: io_uring with SQE128\n");
		return 1;
	}
	memset(&ic, 0, sizeof(ic));
	ic.size = sizeof(ic);
	ic.info_ptr = ptr(&dinfo);
	ic.info_len = sizeof(dinfo);
	if (ioctl(fd_rw, CESIUM_IOC_INFO, &ic)) {
		printf("CESIUM-RESULT FAIL iface/setup: INFO: %s\n", strerror(errno));
		return 1;
	}
	snprintf(attached_path, sizeof(attached_path), "/dev/%.32s", dinfo.bdev_name);
	if (store_dataset())
		return 1;

	for (c = 0; c < NR_CMDS; c++)
		generate(c);
	generate_op_flags();
	for (i = 0; i < table_len; i++)
		*add(table[i].cmd, NULL, NULL, 0) = table[i];

	run_all(TR_IOCTL);
	run_all(TR_URING);
	check_no_sqe128();
	printf("CESIUM-NOTE %u cases through ioctl (%u of them errors), %u through "
	       "uring_cmd (%u errors)\n", counted[TR_IOCTL], negative[TR_IOCTL],
	       counted[TR_URING], negative[TR_URING]);

	bad = check_dataset();
	if (bad) {
		failures++;
		printf("CESIUM-RESULT FAIL iface/store-intact: %s\n", bad);
	} else {
		printf("CESIUM-RESULT PASS iface/store-intact\n");
	}
	io_uring_queue_exit(&ring);
	return failures ? 1 : 0;
}
