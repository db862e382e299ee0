/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: sort() as the kernel's lib/sort.c has it (an unstable
 * in-place heapsort; a NULL swap_func swaps bytes). sort_r() is left out
 * until something needs it.
 */
#ifndef _SHIM_LINUX_SORT_H
#define _SHIM_LINUX_SORT_H

#include <linux/types.h>

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef void (*swap_func_t)(void *a, void *b, int size);

void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func,
	  swap_func_t swap_func);

#endif
