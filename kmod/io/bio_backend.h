/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CESIUM_IO_BIO_BACKEND_H
#define _CESIUM_IO_BIO_BACKEND_H

#include "backend.h"

struct block_device;

/**
 * cesium_bio_backend_open() - open a block device exclusively.
 * @path:	the device node, e.g. "/dev/nvme0n1".
 * @holder:	exclusive-open holder cookie.
 *
 * Context: process context, may sleep.
 * Return: the backend, or an ERR_PTR: -ENOENT (no such path), -ENOTBLK (not
 * a block device), -EBUSY (open exclusively elsewhere), -EINVAL (block size
 * over PAGE_SIZE), -ENOMEM.
 */
struct cesium_backend *cesium_bio_backend_open(const char *path, void *holder);

/* dev_t of the backend's block device (bio backends only). */
dev_t cesium_bio_backend_devt(struct cesium_backend *be);

#endif /* _CESIUM_IO_BIO_BACKEND_H */
