/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the kernel's bsearch() has the C library's arguments
 * and result.
 */
#ifndef _SHIM_LINUX_BSEARCH_H
#define _SHIM_LINUX_BSEARCH_H

#include <stdlib.h>

#endif
