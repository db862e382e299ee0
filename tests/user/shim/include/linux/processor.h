/* SPDX-License-Identifier: GPL-2.0 */
/* User-space shim: cpu_relax() for spin-and-retry loops. */
#ifndef _SHIM_LINUX_PROCESSOR_H
#define _SHIM_LINUX_PROCESSOR_H

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

#endif
