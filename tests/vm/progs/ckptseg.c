// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * ckptseg DEV N [flip]: where the checkpoint in force on a detached
 * CesiumDB drive keeps segment N of its first MAP record (VM suite
 * integrity). Prints "ADDR NR_SEGS": the byte address of the segment's SEG
 * record and how many segments the MAP lists. With "flip", also flips one
 * bit inside the segment's image on the drive (O_DIRECT, then fsync).
 *
 * The on-device format (kmod/engine/format.h), read by offset: a 24-byte
 * unit header; the superblock's seq at 24, block_bytes at 56, ckpt_root
 * at 128, ckpt_root_len at 136; a record is a 24-byte header and its value
 * (metadata records have no key); a ROOT value is 32 bytes and then
 * (addr, nr_segs, reserved) per MAP; a MAP value is the SEG addresses.
 * Checksums are not checked: the kernel does that.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAGIC		0x4d534543u
#define HDR_BYTES	24
#define REC_HDR_BYTES	24
#define ALIGN		4096

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static int fd;

/* Read [off, off + len) through an aligned bounce buffer. */
static uint8_t *get(uint64_t off, size_t len, uint8_t **blk, uint64_t *start,
		    size_t *span)
{
	*start = off / ALIGN * ALIGN;
	*span = (off + len - *start + ALIGN - 1) / ALIGN * ALIGN;
	if (posix_memalign((void **)blk, ALIGN, *span) ||
	    pread(fd, *blk, *span, *start) != (ssize_t)*span) {
		perror("ckptseg: read");
		exit(1);
	}
	return *blk + (off - *start);
}

int main(int argc, char **argv)
{
	uint64_t best_seq = 0, root = 0, map, nr_segs, seg, start;
	uint32_t root_len = 0, i, n;
	uint8_t *blk, *p;
	size_t span;

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "flip"))) {
		fprintf(stderr, "usage: ckptseg DEV N [flip]\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	fd = open(argv[1], (argc == 4 ? O_RDWR : O_RDONLY) | O_DIRECT);
	if (fd < 0) {
		perror("ckptseg: open");
		return 1;
	}
	for (i = 0; i < 2; i++) {
		p = get((uint64_t)i * 4096, 4096, &blk, &start, &span);
		if (le(p, 4) == MAGIC && le(p + 4, 2) == 1 &&
		    le(p + 24, 8) > best_seq && le(p + 56, 4) == 4096) {
			best_seq = le(p + 24, 8);
			root = le(p + 128, 8);
			root_len = le(p + 136, 4);
		}
		free(blk);
	}
	if (!root) {
		fprintf(stderr, "ckptseg: no checkpoint on %s\n", argv[1]);
		return 1;
	}
	p = get(root + REC_HDR_BYTES, root_len, &blk, &start, &span);
	if (le(p + 8, 4) < 1) {
		fprintf(stderr, "ckptseg: the ROOT lists no MAP\n");
		return 1;
	}
	map = le(p + 32, 8);
	nr_segs = le(p + 40, 4);
	free(blk);
	if (n >= nr_segs) {
		fprintf(stderr, "ckptseg: the MAP lists %llu segments\n",
			(unsigned long long)nr_segs);
		return 1;
	}
	p = get(map + REC_HDR_BYTES, nr_segs * 8, &blk, &start, &span);
	seg = le(p + (uint64_t)n * 8, 8);
	free(blk);
	if (argc == 4) {
		/* A byte well inside the image, past its own header. */
		p = get(seg + REC_HDR_BYTES + 200, 1, &blk, &start, &span);
		*p ^= 0x20;
		if (pwrite(fd, blk, span, start) != (ssize_t)span ||
		    fsync(fd)) {
			perror("ckptseg: write");
			return 1;
		}
		free(blk);
	}
	printf("%llu %llu\n", (unsigned long long)seg,
	       (unsigned long long)nr_segs);
	return close(fd) ? 1 : 0;
}
