/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the slab and kvmalloc allocators over malloc, with the
 * kernel's semantics where they can bite (shim.c):
 * - memory is not zeroed unless __GFP_ZERO (kzalloc...): it is filled with
 *   0x5a, freed memory with 0x6b;
 * - kmalloc(0) returns ZERO_SIZE_PTR; kfree(NULL) and kfree(ZERO_SIZE_PTR)
 *   do nothing;
 * - kmalloc() over KMALLOC_MAX_SIZE fails (and warns unless __GFP_NOWARN);
 * - kvmalloc() of more than a page with GFP_KERNEL-compatible flags hands
 *   out "vmalloc" memory, which kfree() refuses with a WARN;
 * - a blocking gfp in atomic context WARNs (might_sleep());
 * - every allocation can be made to fail (shim_fail_nth() in shim.h), and
 *   live objects and bytes are counted with the kernel's size rounding
 *   (kmalloc size classes, whole pages for large and vmalloc memory).
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/types.h>
#include <asm/page.h>

#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)
#define KMALLOC_MAX_CACHE_SIZE	(2 * PAGE_SIZE)
#define KMALLOC_MAX_SIZE	(PAGE_SIZE << 10)
#define ARCH_KMALLOC_MINALIGN	8

#define SLAB_HWCACHE_ALIGN	((__force slab_flags_t)0x00002000U)
#define SLAB_PANIC		((__force slab_flags_t)0x00040000U)
#define SLAB_RECLAIM_ACCOUNT	((__force slab_flags_t)0x00020000U)
#define SLAB_ACCOUNT		((__force slab_flags_t)0x04000000U)

void *kmalloc(size_t size, gfp_t flags) __alloc_size(1) __malloc;
void kfree(const void *objp);
size_t ksize(const void *objp);
size_t kmalloc_size_roundup(size_t size);
void *krealloc(const void *objp, size_t new_size, gfp_t flags)
	__alloc_size(2);
void *kvmalloc_node(size_t size, gfp_t flags, int node) __alloc_size(1);
void kvfree(const void *addr);
void kvfree_sensitive(const void *addr, size_t len);

static inline __alloc_size(1) void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static inline __alloc_size(1) void *kmalloc_node(size_t size, gfp_t flags,
						 int node)
{
	return kmalloc(size, flags);
}

static inline __alloc_size(1, 2) void *kmalloc_array(size_t n, size_t size,
						     gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc(bytes, flags);
}

static inline __alloc_size(1, 2) void *kcalloc(size_t n, size_t size,
					       gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

static inline __alloc_size(1) void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags, NUMA_NO_NODE);
}

static inline __alloc_size(1) void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}

static inline __alloc_size(1, 2) void *kvmalloc_array(size_t n, size_t size,
						      gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return kvmalloc(bytes, flags);
}

static inline __alloc_size(1, 2) void *kvcalloc(size_t n, size_t size,
						gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}

struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags) __malloc;
void kmem_cache_free(struct kmem_cache *s, void *objp);

static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc(s, flags | __GFP_ZERO);
}

#define KMEM_CACHE(__struct, __flags)					\
	kmem_cache_create(#__struct, sizeof(struct __struct),		\
			  __alignof__(struct __struct), (__flags), NULL)

#endif
