/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * ifacetest: what its three files share. ifacetest.c runs the cases,
 * ifacetest_cmds.c describes the commands (their valid forms and the
 * checks of their outputs), ifacetest_cases.c holds the table of cases
 * written out. See ifacetest.c for what the program does.
 */
#ifndef IFACETEST_H
#define IFACETEST_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/cesium.h>

#define PAGE		4096

/* ---- user memory the commands point into (ifacetest.c) ----------------- */

extern uint8_t *page_none;	/* PROT_NONE */
extern uint8_t *page_ro;	/* PROT_READ, zeroes */
extern uint8_t *guard;		/* a PROT_NONE page; the page before is RW */

/*
 * Symbolic pointers in the table, resolved at run time; other values are
 * used as they are (0, a kernel address, a non-canonical one).
 */
#define P_NONE		0xc5c5c5c500000001ULL	/* unmapped */
#define P_RDONLY	0xc5c5c5c500000002ULL	/* mapped read-only */
#define P_STRADDLE	0xc5c5c5c500000003ULL	/* 1 byte before a hole */
#define P_KERNEL	0xffff888000000000ULL
#define P_NONCANON	0x8000000000000000ULL

/* The keys ifacetest stores first and finds at the end. */
#define NS_MAX		UINT64_MAX
#define K0		"iface/k0"	/* ns 0, 100 bytes; ns 1, "ns1" */
#define K1		"iface/k1"	/* ns 0, "one" */
#define K2		"iface/k2"	/* ns 0, empty */
#define KP		"iface/put"	/* ns 0 and NS_MAX, "pp": PUT's base */
#define KMAX		"iface/kmax"	/* NS_MAX, "max" */
#define KB		"iface/batch"	/* BATCH's base puts and deletes it */
#define KB2		"iface/batch2"	/* and puts this one */
#define KABSENT		"iface/absent"	/* never stored */
#define V0_LEN		100
#define REC0_BYTES	120	/* SCAN record of K0: 8 + 8 + 100, to 8 */
#define NR_NS		3	/* 0, 1, NS_MAX */
#define NR_KEYS		7

/* What the commands point at; outputs are reset before every case. */
extern uint8_t v0[V0_LEN];	/* K0's value in ns 0 */
extern uint8_t getbuf[4096];
extern uint64_t lenout;
extern struct cesium_info infobuf;
extern struct cesium_stats statsbuf;
extern uint8_t scanbuf[4096];
extern struct cesium_scan_result scanres;
extern uint64_t idsbuf[16];
extern uint64_t countout;
extern struct cesium_check_result checkres;
extern struct cesium_list_entry entries[4];
extern uint64_t sigout;
#define NR_OPS		4
extern struct cesium_batch_op ops[NR_OPS];	/* BATCH's operations */
#define BIG_LEN		600000
extern uint8_t *big;		/* BIG_LEN bytes, for BATCH's payload limit */

extern const char *scratch;	/* the scratch block device */
/* An index no device has here (there are 256: 0..255), for DETACH. */
#define FREE_INDEX	255
extern struct cesium_info dinfo;	/* of the data device */

/* What an output holds when the kernel did not write it. */
#define LEN_SENTINEL	0x5a5a5a5a5a5a5a5aULL

extern int fd_rw, fd_ro, fd_ctl;	/* the data device, read-only, control */
extern uint8_t key255[CESIUM_MAX_KEY_LEN];	/* 'z' x 255 */
extern char attached_path[64];	/* the data device's block device */

uint64_t resolve(uint64_t v);
uint64_t ptr(const void *p);

/* ---- the commands (ifacetest_cmds.c) ------------------------------------ */

enum { D_DATA, D_CTL };
enum { C_GET, C_PUT, C_DELETE, C_EXISTS, C_INFO, C_SCAN, C_BATCH, C_SYNC,
       C_STATS, C_NS, C_CHECK, C_FORMAT, C_ATTACH, C_DETACH, C_LIST, NR_CMDS };

struct field {
	unsigned short off, width;
};

struct cmd_desc {
	const char *name;
	unsigned int req;
	int dev;			/* D_DATA or D_CTL */
	unsigned int size;		/* sizeof the struct */
	unsigned int min;		/* the least size: up to the reserved */
	uint32_t flags_all;
	void (*base)(uint8_t *c);	/* the valid command */
	int want;			/* its result */
	struct field rsv[6];		/* reserved and pad fields */
	int writes;			/* refused on a read-only file */
	const char *(*post)(void);	/* checks the base's outputs */
	const char *(*after)(int res);	/* checks the store after any case */
};

extern const struct cmd_desc cmds[NR_CMDS];

const char *says(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void reset_outputs(void);
int kv_exists(uint64_t ns, const char *key);
int kv_delete(uint64_t ns, const char *key);

/* Checks of outputs, for the cases: NULL if fine, else why not. */
const char *post_get(void);
const char *post_len100(void);
const char *post_len3(void);
const char *post_len0(void);
const char *post_len_untouched(void);
const char *post_info(void);
const char *post_info8(void);
const char *post_stats8(void);
const char *post_stats(void);
const char *post_scan(void);
const char *post_scan_need_rec0(void);
const char *post_scan_need_key0(void);
const char *post_scan_one(void);
const char *post_ns(void);
const char *post_ns_first2(void);
const char *post_count_ns(void);
const char *post_count1(void);
const char *post_list(void);
const char *post_list128(void);
const char *post_check(void);
const char *post_sig(void);

/* ---- the cases (ifacetest_cases.c, and generated in ifacetest.c) -------- */

#define TR_IOCTL	1
#define TR_URING	2
#define WANT_BASE	INT_MIN	/* the base command's own result */

enum { ON_OWN, ON_RO, ON_OTHER };	/* which file the command goes to */
enum { T_CMD, T_OP0, T_OP1, T_OP2 };	/* what a change is made in */
enum { ARG_CMD, ARG_NULL, ARG_NONE, ARG_KERNEL, ARG_STRADDLE };

struct change {
	unsigned char tgt;
	unsigned short off, width;	/* width 0: no change */
	uint64_t val;
};

struct tcase {
	int cmd;			/* C_* */
	const char *group;		/* results are per command and group */
	const char *what;		/* the case, in failure reasons */
	struct change ch[3];
	int want;			/* result, or WANT_BASE */
	int uring_want;			/* through uring, if uring_differs */
	unsigned char uring_differs;
	unsigned char only;		/* 0: both transports; else TR_* */
	unsigned char on;		/* ON_* */
	unsigned char arg;		/* ARG_*: the ioctl's argument */
	unsigned char bad_op;		/* BATCH: 1 + the operation at fault */
	unsigned int req;		/* with has_req: instead of the command's */
	unsigned char has_req;
	void (*prep)(uint8_t *c);	/* more changes, after ch[] */
	const char *(*post)(void);	/* checks outputs afterwards */
};

extern const struct tcase table[];
extern const size_t table_len;

#endif /* IFACETEST_H */
