/* SPDX-License-Identifier: GPL-2.0 */
/* User-space shim: parameters keep their initial values. */
#ifndef _SHIM_LINUX_MODULEPARAM_H
#define _SHIM_LINUX_MODULEPARAM_H

#define module_param(name, type, perm)	extern int __shim_module_info
#define module_param_named(name, value, type, perm) \
	extern int __shim_module_info
#define MODULE_PARM_DESC(_parm, desc)	extern int __shim_module_info

#endif
