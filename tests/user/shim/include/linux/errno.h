/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim; glibc includes the uapi <linux/errno.h> for the E* codes,
 * so take those from there and add the kernel-internal ones.
 */
#ifndef _SHIM_LINUX_ERRNO_H
#define _SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ENOIOCTLCMD	515
#define EPROBE_DEFER	517
#define ENOTSUPP	524
#define EIOCBQUEUED	529

#endif
