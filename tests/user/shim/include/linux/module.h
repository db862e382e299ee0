/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: module metadata is dropped; module_init() and
 * module_exit() functions are kept referenced but not called.
 */
#ifndef _SHIM_LINUX_MODULE_H
#define _SHIM_LINUX_MODULE_H

#include <linux/export.h>
#include <linux/init.h>
#include <linux/moduleparam.h>

struct module;

#define MODULE_LICENSE(x)	extern int __shim_module_info
#define MODULE_AUTHOR(x)	extern int __shim_module_info
#define MODULE_DESCRIPTION(x)	extern int __shim_module_info
#define MODULE_VERSION(x)	extern int __shim_module_info
#define MODULE_ALIAS(x)		extern int __shim_module_info
#define MODULE_IMPORT_NS(x)	extern int __shim_module_info
#define MODULE_SOFTDEP(x)	extern int __shim_module_info

#endif
