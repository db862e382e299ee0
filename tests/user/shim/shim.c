// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-line half of the user-space kernel shim: allocators with
 * failure injection and accounting, WARN, printk, locks over pthreads.
 * The shim is single-file by design: new kernel facilities that need code
 * go here, their declarations in include/ under the kernel's header name.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "shim.h"

#define POISON_INUSE	0x5a
#define POISON_FREE	0x6b

__thread int shim_atomic_depth;

static pthread_mutex_t shim_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long shim_warn_count;
static bool shim_abort_on_warn;
static bool shim_quiet;

void __attribute__((weak)) __sanitizer_print_stack_trace(void);

/* WARN and BUG */

static void shim_stack(void)
{
	if (__sanitizer_print_stack_trace)
		__sanitizer_print_stack_trace();
}

void shim_warn(const char *file, int line, const char *func,
	       const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&shim_lock);
	shim_warn_count++;
	pthread_mutex_unlock(&shim_lock);
	if (shim_abort_on_warn)
		shim_quiet = false;
	if (shim_quiet)
		return;
	fprintf(stderr, "WARNING: at %s:%d %s(): ", file, line, func);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	shim_stack();
	if (shim_abort_on_warn)
		abort();
}

void shim_bug(const char *file, int line, const char *func, const char *cond)
{
	fprintf(stderr, "kernel BUG at %s:%d %s(): %s\n", file, line, func,
		cond);
	shim_stack();
	abort();
}

unsigned long shim_warnings(void)
{
	return shim_warn_count;
}

void shim_warn_abort(bool on)
{
	shim_abort_on_warn = on;
}

void shim_might_sleep(const char *file, int line)
{
	if (shim_atomic_depth > 0)
		shim_warn(file, line, "might_sleep",
			  "BUG: sleeping function called from invalid context (atomic depth %d)",
			  shim_atomic_depth);
}

/* printk */

void shim_printk_quiet(bool on)
{
	shim_quiet = on;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	if (shim_quiet)
		return 0;
	va_start(ap, fmt);
	ret = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * Allocations. Every live block is in a hash table by address, with its
 * kind and size, so that frees can be checked (kfree() of vmalloc memory,
 * kmem_cache_free() to the wrong cache, unknown pointers) and leaks listed.
 */
enum shim_kind { SHIM_KMALLOC = 1, SHIM_VMALLOC, SHIM_CACHE };

struct shim_block {
	void *ptr;		/* NULL: empty; SHIM_TOMB: deleted */
	size_t size;		/* as asked for */
	size_t rounded;		/* as the kernel would hand out */
	enum shim_kind kind;
	struct kmem_cache *cache;
};

#define SHIM_TOMB ((void *)1)

struct kmem_cache {
	const char *name;
	unsigned int size;
	unsigned int align;
	void (*ctor)(void *);
	long live;
};

static struct shim_block *shim_blocks;
static size_t shim_blocks_cap, shim_blocks_used;
static struct shim_mem shim_stats;
static unsigned long shim_fail_at;	/* fail when calls reaches this */
static unsigned int shim_fail_permille;
static unsigned long long shim_fail_rng;

static size_t shim_hash(const void *p, size_t cap)
{
	unsigned long long h = (unsigned long long)(uintptr_t)p;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h & (cap - 1);
}

static void shim_table_grow(void)
{
	struct shim_block *old = shim_blocks;
	size_t old_cap = shim_blocks_cap, i;

	shim_blocks_cap = old_cap ? old_cap * 2 : 1024;
	shim_blocks = calloc(shim_blocks_cap, sizeof(*shim_blocks));
	if (!shim_blocks) {
		perror("shim");
		abort();
	}
	shim_blocks_used = 0;
	for (i = 0; i < old_cap; i++) {
		struct shim_block *b = &old[i];
		size_t h;

		if (!b->ptr || b->ptr == SHIM_TOMB)
			continue;
		h = shim_hash(b->ptr, shim_blocks_cap);
		while (shim_blocks[h].ptr)
			h = (h + 1) & (shim_blocks_cap - 1);
		shim_blocks[h] = *b;
		shim_blocks_used++;
	}
	free(old);
}

/* Called with shim_lock held. */
static void shim_table_add(const struct shim_block *nb)
{
	size_t h;

	if (2 * (shim_blocks_used + 1) > shim_blocks_cap)
		shim_table_grow();
	h = shim_hash(nb->ptr, shim_blocks_cap);
	while (shim_blocks[h].ptr && shim_blocks[h].ptr != SHIM_TOMB)
		h = (h + 1) & (shim_blocks_cap - 1);
	if (!shim_blocks[h].ptr)
		shim_blocks_used++;
	shim_blocks[h] = *nb;
}

/* Called with shim_lock held. */
static struct shim_block *shim_table_find(const void *p)
{
	size_t h;

	if (!shim_blocks_cap)
		return NULL;
	h = shim_hash(p, shim_blocks_cap);
	while (shim_blocks[h].ptr) {
		if (shim_blocks[h].ptr == p)
			return &shim_blocks[h];
		h = (h + 1) & (shim_blocks_cap - 1);
	}
	return NULL;
}

void shim_fail_nth(unsigned long n)
{
	pthread_mutex_lock(&shim_lock);
	shim_fail_at = n ? shim_stats.calls + n : 0;
	pthread_mutex_unlock(&shim_lock);
}

bool shim_fail_pending(void)
{
	return shim_fail_at != 0;
}

void shim_fail_random(unsigned int permille, unsigned long long seed)
{
	pthread_mutex_lock(&shim_lock);
	shim_fail_permille = permille;
	shim_fail_rng = seed | 1;
	pthread_mutex_unlock(&shim_lock);
}

void shim_mem(struct shim_mem *m)
{
	pthread_mutex_lock(&shim_lock);
	*m = shim_stats;
	pthread_mutex_unlock(&shim_lock);
}

/* Count one allocation attempt; true when it is to fail. */
static bool shim_alloc_should_fail(gfp_t flags)
{
	bool fail = false;

	if (flags & (__GFP_DIRECT_RECLAIM))
		might_sleep();
	pthread_mutex_lock(&shim_lock);
	shim_stats.calls++;
	if (shim_fail_at && shim_stats.calls == shim_fail_at) {
		shim_fail_at = 0;
		fail = true;
	} else if (shim_fail_permille) {
		shim_fail_rng ^= shim_fail_rng << 13;
		shim_fail_rng ^= shim_fail_rng >> 7;
		shim_fail_rng ^= shim_fail_rng << 17;
		fail = shim_fail_rng % 1000 < shim_fail_permille;
	}
	if (fail && (flags & __GFP_NOFAIL))
		fail = false;	/* __GFP_NOFAIL never fails in the kernel */
	if (fail)
		shim_stats.failed++;
	pthread_mutex_unlock(&shim_lock);
	return fail;
}

size_t kmalloc_size_roundup(size_t size)
{
	if (size <= 8)
		return 8;
	if (size > 64 && size <= 96)
		return 96;
	if (size > 128 && size <= 192)
		return 192;
	if (size <= KMALLOC_MAX_CACHE_SIZE)
		return roundup_pow_of_two(size);
	return PAGE_SIZE << get_order(size);
}

static void *shim_alloc(size_t size, size_t rounded, gfp_t flags,
			enum shim_kind kind, struct kmem_cache *cache)
{
	struct shim_block b = {
		.size = size, .rounded = rounded, .kind = kind, .cache = cache,
	};
	size_t align = 16;

	/* kmalloc() aligns power-of-two sizes naturally, up to a page */
	if (is_power_of_2(size))
		align = min_t(size_t, max_t(size_t, size, 16), PAGE_SIZE);
	if (kind == SHIM_VMALLOC)
		align = PAGE_SIZE;
	if (cache && cache->align > align)
		align = cache->align;
	if (posix_memalign(&b.ptr, align, size))
		return NULL;
	if (flags & __GFP_ZERO)
		memset(b.ptr, 0, size);
	else if (cache && cache->ctor)
		cache->ctor(b.ptr);
	else
		memset(b.ptr, POISON_INUSE, size);

	pthread_mutex_lock(&shim_lock);
	shim_table_add(&b);
	shim_stats.objects++;
	shim_stats.bytes += rounded;
	if (shim_stats.bytes > shim_stats.peak_bytes)
		shim_stats.peak_bytes = shim_stats.bytes;
	if (cache)
		cache->live++;
	pthread_mutex_unlock(&shim_lock);
	return b.ptr;
}

/* Returns the block's record (copied) or kind 0 when unknown. */
static struct shim_block shim_release(const void *p, const char *who)
{
	struct shim_block *b, copy = { 0 };

	pthread_mutex_lock(&shim_lock);
	b = shim_table_find(p);
	if (b) {
		copy = *b;
		b->ptr = SHIM_TOMB;
		shim_stats.objects--;
		shim_stats.bytes -= copy.rounded;
		if (copy.cache)
			copy.cache->live--;
	}
	pthread_mutex_unlock(&shim_lock);
	if (!b) {
		WARN(1, "shim: %s(%p) of memory not allocated (or freed twice)",
		     who, p);
		return copy;
	}
	memset((void *)p, POISON_FREE, copy.size);
	free((void *)p);
	return copy;
}

void *kmalloc(size_t size, gfp_t flags)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_SIZE) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	if (shim_alloc_should_fail(flags))
		return NULL;
	return shim_alloc(size, kmalloc_size_roundup(size), flags,
			  SHIM_KMALLOC, NULL);
}

void kfree(const void *objp)
{
	struct shim_block b;

	if (ZERO_OR_NULL_PTR(objp))
		return;
	b = shim_release(objp, "kfree");
	WARN(b.kind == SHIM_VMALLOC, "shim: kfree() of vmalloc memory");
}

size_t ksize(const void *objp)
{
	struct shim_block *b;
	size_t size = 0;

	if (ZERO_OR_NULL_PTR(objp))
		return 0;
	pthread_mutex_lock(&shim_lock);
	b = shim_table_find(objp);
	if (b)
		size = b->rounded;
	pthread_mutex_unlock(&shim_lock);
	WARN(!b, "shim: ksize(%p) of memory not allocated", objp);
	return size;
}

void *krealloc(const void *objp, size_t new_size, gfp_t flags)
{
	struct shim_block *b;
	size_t old_size = 0;
	void *p;

	if (!new_size) {
		kfree(objp);
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(objp)) {
		pthread_mutex_lock(&shim_lock);
		b = shim_table_find(objp);
		if (b)
			old_size = b->size;
		pthread_mutex_unlock(&shim_lock);
	}
	p = kmalloc(new_size, flags & ~__GFP_ZERO);
	if (!p)
		return NULL;
	memcpy(p, objp, min(old_size, new_size));
	if ((flags & __GFP_ZERO) && new_size > old_size)
		memset((char *)p + old_size, 0, new_size - old_size);
	kfree(objp);
	return p;
}

void *__vmalloc(unsigned long size, gfp_t gfp_mask)
{
	might_sleep();
	if (!size || size > INT_MAX) {
		WARN_ON_ONCE(size);
		return NULL;
	}
	if (shim_alloc_should_fail(gfp_mask))
		return NULL;
	return shim_alloc(size, PAGE_ALIGN(size), gfp_mask, SHIM_VMALLOC,
			  NULL);
}

void *vmalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL);
}

void *vzalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO);
}

void vfree(const void *addr)
{
	struct shim_block b;

	might_sleep();
	if (!addr)
		return;
	b = shim_release(addr, "vfree");
	WARN(b.kind && b.kind != SHIM_VMALLOC,
	     "shim: vfree() of memory not from vmalloc");
}

bool is_vmalloc_addr(const void *x)
{
	struct shim_block *b;
	bool ret;

	pthread_mutex_lock(&shim_lock);
	b = shim_table_find(x);
	ret = b && b->kind == SHIM_VMALLOC;
	pthread_mutex_unlock(&shim_lock);
	return ret;
}

/*
 * As in 6.1: up to a page, or without GFP_KERNEL's blocking, it is
 * kmalloc(); above a page it may be vmalloc memory (here it always is, so
 * that a kfree() of it shows), and over INT_MAX it fails.
 */
void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	if ((flags & GFP_KERNEL) != GFP_KERNEL || size <= PAGE_SIZE)
		return kmalloc(size, flags);
	if (size > INT_MAX) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	if (shim_alloc_should_fail(flags))
		return NULL;
	return shim_alloc(size, PAGE_ALIGN(size), flags, SHIM_VMALLOC, NULL);
}

void kvfree(const void *addr)
{
	if (ZERO_OR_NULL_PTR(addr))
		return;
	shim_release(addr, "kvfree");
}

void kvfree_sensitive(const void *addr, size_t len)
{
	if (!ZERO_OR_NULL_PTR(addr))
		memset((void *)addr, 0, len);
	kvfree(addr);
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	p = kmalloc(len + 1, gfp);
	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	return kstrndup(s, SIZE_MAX, gfp);
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max(align, 64U);
	s->name = name;
	s->align = align ? align : 8;
	s->size = ALIGN(size, s->align);
	s->ctor = ctor;
	return s;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	WARN(s->live, "shim: kmem_cache_destroy %s: Slab cache still has objects (%ld)",
	     s->name, s->live);
	free(s);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	if (shim_alloc_should_fail(flags))
		return NULL;
	return shim_alloc(s->size, s->size, flags, SHIM_CACHE, s);
}

void kmem_cache_free(struct kmem_cache *s, void *objp)
{
	struct shim_block b;

	if (!objp)
		return;
	b = shim_release(objp, "kmem_cache_free");
	WARN(b.kind && b.cache != s, "shim: kmem_cache_free() to %s of an object of %s",
	     s->name, b.cache ? b.cache->name : "kmalloc");
}

static bool shim_shrinkers_left(void);

int shim_done(void)
{
	size_t i, shown = 0;
	int bad = 0;

	/* Memory waiting for a grace period is not a leak. */
	rcu_barrier();
	if (shim_shrinkers_left())
		bad = 1;
	pthread_mutex_lock(&shim_lock);
	for (i = 0; i < shim_blocks_cap; i++) {
		struct shim_block *b = &shim_blocks[i];

		if (!b->ptr || b->ptr == SHIM_TOMB)
			continue;
		if (shown++ < 20)
			fprintf(stderr, "shim: leaked %zu bytes at %p (%s)\n",
				b->size, b->ptr,
				b->kind == SHIM_VMALLOC ? "vmalloc" :
				b->cache ? b->cache->name : "kmalloc");
	}
	if (shim_stats.objects) {
		fprintf(stderr, "shim: %ld allocations (%ld bytes) leaked\n",
			shim_stats.objects, shim_stats.bytes);
		bad = 1;
	}
	pthread_mutex_unlock(&shim_lock);
	if (shim_warn_count) {
		fprintf(stderr, "shim: %lu WARNs\n", shim_warn_count);
		bad = 1;
	}
	return bad;
}

/* Locks */

void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->lock, NULL);
	lock->locked = false;
}

void mutex_destroy(struct mutex *lock)
{
	WARN(lock->locked, "shim: mutex_destroy() of a locked mutex");
	pthread_mutex_destroy(&lock->lock);
}

void mutex_lock(struct mutex *lock)
{
	might_sleep();
	WARN(shim_mutex_held(lock), "shim: recursive mutex_lock()");
	pthread_mutex_lock(&lock->lock);
	lock->owner = pthread_self();
	lock->locked = true;
}

int mutex_trylock(struct mutex *lock)
{
	if (pthread_mutex_trylock(&lock->lock))
		return 0;
	lock->owner = pthread_self();
	lock->locked = true;
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	if (WARN(!shim_mutex_held(lock), "shim: mutex_unlock() by a non-owner"))
		return;
	lock->locked = false;
	pthread_mutex_unlock(&lock->lock);
}

bool shim_mutex_held(const struct mutex *lock)
{
	return READ_ONCE(lock->locked) &&
	       pthread_equal(lock->owner, pthread_self());
}

void init_rwsem(struct rw_semaphore *sem)
{
	pthread_mutex_init(&sem->lock, NULL);
	pthread_cond_init(&sem->cond, NULL);
	sem->readers = 0;
	sem->waiting_writers = 0;
	sem->writer = false;
}

void down_read(struct rw_semaphore *sem)
{
	might_sleep();
	pthread_mutex_lock(&sem->lock);
	while (sem->writer || sem->waiting_writers)
		pthread_cond_wait(&sem->cond, &sem->lock);
	sem->readers++;
	pthread_mutex_unlock(&sem->lock);
}

int down_read_trylock(struct rw_semaphore *sem)
{
	int ok;

	pthread_mutex_lock(&sem->lock);
	ok = !sem->writer && !sem->waiting_writers;
	if (ok)
		sem->readers++;
	pthread_mutex_unlock(&sem->lock);
	return ok;
}

void up_read(struct rw_semaphore *sem)
{
	pthread_mutex_lock(&sem->lock);
	if (!WARN(sem->readers <= 0, "shim: up_read() not read-locked") &&
	    !--sem->readers)
		pthread_cond_broadcast(&sem->cond);
	pthread_mutex_unlock(&sem->lock);
}

void down_write(struct rw_semaphore *sem)
{
	might_sleep();
	pthread_mutex_lock(&sem->lock);
	sem->waiting_writers++;
	while (sem->writer || sem->readers)
		pthread_cond_wait(&sem->cond, &sem->lock);
	sem->waiting_writers--;
	sem->writer = true;
	sem->owner = pthread_self();
	pthread_mutex_unlock(&sem->lock);
}

int down_write_trylock(struct rw_semaphore *sem)
{
	int ok;

	pthread_mutex_lock(&sem->lock);
	ok = !sem->writer && !sem->readers;
	if (ok) {
		sem->writer = true;
		sem->owner = pthread_self();
	}
	pthread_mutex_unlock(&sem->lock);
	return ok;
}

void up_write(struct rw_semaphore *sem)
{
	pthread_mutex_lock(&sem->lock);
	if (!WARN(!sem->writer || !pthread_equal(sem->owner, pthread_self()),
		  "shim: up_write() by a non-owner")) {
		sem->writer = false;
		pthread_cond_broadcast(&sem->cond);
	}
	pthread_mutex_unlock(&sem->lock);
}

void downgrade_write(struct rw_semaphore *sem)
{
	pthread_mutex_lock(&sem->lock);
	if (!WARN(!sem->writer || !pthread_equal(sem->owner, pthread_self()),
		  "shim: downgrade_write() by a non-owner")) {
		sem->writer = false;
		sem->readers++;
		pthread_cond_broadcast(&sem->cond);
	}
	pthread_mutex_unlock(&sem->lock);
}

bool shim_rwsem_held(const struct rw_semaphore *sem, bool write)
{
	if (write)
		return READ_ONCE(sem->writer) &&
		       pthread_equal(sem->owner, pthread_self());
	return READ_ONCE(sem->readers) > 0;
}

void spin_lock_init(spinlock_t *lock)
{
	pthread_mutex_init(&lock->lock, NULL);
	lock->locked = false;
}

void spin_lock(spinlock_t *lock)
{
	WARN(shim_spin_held(lock), "shim: recursive spin_lock() deadlocks");
	pthread_mutex_lock(&lock->lock);
	lock->owner = pthread_self();
	lock->locked = true;
	shim_atomic_depth++;
}

int spin_trylock(spinlock_t *lock)
{
	if (pthread_mutex_trylock(&lock->lock))
		return 0;
	lock->owner = pthread_self();
	lock->locked = true;
	shim_atomic_depth++;
	return 1;
}

void spin_unlock(spinlock_t *lock)
{
	if (WARN(!shim_spin_held(lock), "shim: spin_unlock() by a non-owner"))
		return;
	shim_atomic_depth--;
	lock->locked = false;
	pthread_mutex_unlock(&lock->lock);
}

bool shim_spin_held(const spinlock_t *lock)
{
	return READ_ONCE(lock->locked) &&
	       pthread_equal(lock->owner, pthread_self());
}

/* Randomness */

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n <= 0) {
			perror("shim: getrandom");
			abort();
		}
		p += n;
		len -= n;
	}
}

/* Completions */

void init_completion(struct completion *x)
{
	pthread_mutex_init(&x->lock, NULL);
	pthread_cond_init(&x->cond, NULL);
	x->done = 0;
}

void complete(struct completion *x)
{
	pthread_mutex_lock(&x->lock);
	if (x->done != UINT_MAX)
		x->done++;
	pthread_cond_broadcast(&x->cond);
	pthread_mutex_unlock(&x->lock);
}

void complete_all(struct completion *x)
{
	pthread_mutex_lock(&x->lock);
	x->done = UINT_MAX;
	pthread_cond_broadcast(&x->cond);
	pthread_mutex_unlock(&x->lock);
}

void init_waitqueue_head(wait_queue_head_t *wq)
{
	pthread_mutex_init(&wq->lock, NULL);
	pthread_cond_init(&wq->cond, NULL);
}

void wake_up_all(wait_queue_head_t *wq)
{
	pthread_mutex_lock(&wq->lock);
	pthread_cond_broadcast(&wq->cond);
	pthread_mutex_unlock(&wq->lock);
}

/* pthread_cond_timedwait() wants CLOCK_REALTIME: convert a ktime_get() time */
static void shim_deadline(struct timespec *ts, s64 mono_ns)
{
	s64 ns = ktime_get_real_ns() + (mono_ns - ktime_get());

	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

long shim_wait_until(wait_queue_head_t *wq, s64 end_ns)
{
	struct timespec ts;
	s64 left;

	shim_deadline(&ts, end_ns);
	if (pthread_cond_timedwait(&wq->cond, &wq->lock, &ts))
		return 0;
	left = end_ns - ktime_get();
	return left > 0 ? max(usecs_to_jiffies(left / NSEC_PER_USEC), 1UL) :
			  1;
}

unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout)
{
	s64 end = ktime_get() + (s64)jiffies_to_usecs(timeout) * NSEC_PER_USEC;
	unsigned long left = 0;
	struct timespec ts;

	might_sleep();
	shim_deadline(&ts, end);
	pthread_mutex_lock(&x->lock);
	while (!x->done) {
		if (timeout == MAX_JIFFY_OFFSET)
			pthread_cond_wait(&x->cond, &x->lock);
		else if (pthread_cond_timedwait(&x->cond, &x->lock, &ts))
			break;
	}
	if (x->done) {
		if (x->done != UINT_MAX)
			x->done--;
		left = max_t(s64, (end - ktime_get()) /
			     (NSEC_PER_SEC / HZ), 1);
	}
	pthread_mutex_unlock(&x->lock);
	return left;
}

void wait_for_completion(struct completion *x)
{
	wait_for_completion_timeout(x, MAX_JIFFY_OFFSET);
}

bool try_wait_for_completion(struct completion *x)
{
	bool ret;

	pthread_mutex_lock(&x->lock);
	ret = x->done;
	if (ret && x->done != UINT_MAX)
		x->done--;
	pthread_mutex_unlock(&x->lock);
	return ret;
}

bool completion_done(struct completion *x)
{
	return READ_ONCE(x->done);
}

/*
 * Workqueues: one thread each, started with the first work; items wait on
 * wq->items in the order queued, delayed ones until their due time.
 */
struct workqueue_struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* items, running and stop changed */
	struct list_head items;
	struct work_struct *running;
	pthread_t thread;
	bool started, stop, owned;	/* owned: from alloc_workqueue() */
	char name[32];
};

static struct workqueue_struct shim_system_wq = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
	.items = LIST_HEAD_INIT(shim_system_wq.items),
	.name = "events",
};

struct workqueue_struct *system_wq = &shim_system_wq;

static void *shim_worker(void *arg)
{
	struct workqueue_struct *wq = arg;
	struct work_struct *work, *next;
	struct timespec ts;
	s64 now, due;

	pthread_mutex_lock(&wq->lock);
	for (;;) {
		next = NULL;
		now = ktime_get();
		due = S64_MAX;
		list_for_each_entry(work, &wq->items, entry) {
			if (work->due_ns <= now) {
				next = work;
				break;
			}
			due = min(due, work->due_ns);
		}
		if (!next) {
			if (wq->stop && list_empty(&wq->items))
				break;
			if (due == S64_MAX) {
				pthread_cond_wait(&wq->cond, &wq->lock);
			} else {
				shim_deadline(&ts, due);
				pthread_cond_timedwait(&wq->cond, &wq->lock, &ts);
			}
			continue;
		}
		list_del_init(&next->entry);
		next->pending = false;
		wq->running = next;
		pthread_mutex_unlock(&wq->lock);
		next->func(next);
		pthread_mutex_lock(&wq->lock);
		wq->running = NULL;
		pthread_cond_broadcast(&wq->cond);
	}
	pthread_mutex_unlock(&wq->lock);
	return NULL;
}

/* Called with wq->lock held. */
static void shim_wq_start(struct workqueue_struct *wq)
{
	if (wq->started)
		return;
	if (pthread_create(&wq->thread, NULL, shim_worker, wq)) {
		perror("shim: workqueue thread");
		abort();
	}
	wq->started = true;
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...)
{
	struct workqueue_struct *wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	va_list ap;

	if (!wq)
		return NULL;
	pthread_mutex_init(&wq->lock, NULL);
	pthread_cond_init(&wq->cond, NULL);
	INIT_LIST_HEAD(&wq->items);
	wq->owned = true;
	va_start(ap, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	return wq;
}

/* Queue @work due at @due_ns; false when it was pending already. */
static bool shim_queue(struct workqueue_struct *wq, struct work_struct *work,
		       s64 due_ns, bool modify)
{
	bool was;

	pthread_mutex_lock(&wq->lock);
	WARN(work->pending && work->wq != wq,
	     "shim: work queued on two workqueues");
	was = work->pending;
	/* As the kernel's: a work being cancelled cannot be queued again. */
	if (work->canceling) {
		pthread_mutex_unlock(&wq->lock);
		return false;
	}
	if (!was || modify) {
		if (was)
			list_del(&work->entry);
		work->wq = wq;
		work->pending = true;
		work->due_ns = due_ns;
		list_add_tail(&work->entry, &wq->items);
		shim_wq_start(wq);
		pthread_cond_broadcast(&wq->cond);
	}
	pthread_mutex_unlock(&wq->lock);
	return modify ? was : !was;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	return shim_queue(wq, work, 0, false);
}

bool queue_delayed_work(struct workqueue_struct *wq,
			struct delayed_work *dwork, unsigned long delay)
{
	return shim_queue(wq, &dwork->work, ktime_get() +
			  (s64)jiffies_to_usecs(delay) * NSEC_PER_USEC, false);
}

bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
		      unsigned long delay)
{
	return shim_queue(wq, &dwork->work, ktime_get() +
			  (s64)jiffies_to_usecs(delay) * NSEC_PER_USEC, true);
}

/*
 * Take @work off its queue; with @sync also wait until it is not running,
 * refusing to queue it meanwhile, so that a work that queues itself again
 * is off the queue afterwards too (as in the kernel).
 */
static bool shim_cancel(struct work_struct *work, bool sync)
{
	struct workqueue_struct *wq = READ_ONCE(work->wq);
	bool was;

	if (sync)
		might_sleep();
	if (!wq)
		return false;
	pthread_mutex_lock(&wq->lock);
	was = work->pending;
	if (was) {
		list_del_init(&work->entry);
		work->pending = false;
	}
	if (sync) {
		work->canceling = true;
		while (wq->running == work)
			pthread_cond_wait(&wq->cond, &wq->lock);
		work->canceling = false;
	}
	pthread_mutex_unlock(&wq->lock);
	return was;
}

bool cancel_work_sync(struct work_struct *work)
{
	return shim_cancel(work, true);
}

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return shim_cancel(&dwork->work, true);
}

bool cancel_delayed_work(struct delayed_work *dwork)
{
	return shim_cancel(&dwork->work, false);
}

bool flush_work(struct work_struct *work)
{
	struct workqueue_struct *wq = READ_ONCE(work->wq);
	bool waited = false;

	might_sleep();
	if (!wq)
		return false;
	pthread_mutex_lock(&wq->lock);
	while (work->pending || wq->running == work) {
		waited = true;
		pthread_cond_wait(&wq->cond, &wq->lock);
	}
	pthread_mutex_unlock(&wq->lock);
	return waited;
}

bool flush_delayed_work(struct delayed_work *dwork)
{
	struct workqueue_struct *wq = READ_ONCE(dwork->work.wq);

	if (wq && work_pending(&dwork->work))
		mod_delayed_work(wq, dwork, 0);
	return flush_work(&dwork->work);
}

/* Wait until nothing due is queued and nothing runs. */
void flush_workqueue(struct workqueue_struct *wq)
{
	struct work_struct *work;
	s64 now = ktime_get();
	bool busy;

	might_sleep();
	pthread_mutex_lock(&wq->lock);
	do {
		busy = wq->running != NULL;
		list_for_each_entry(work, &wq->items, entry)
			busy |= work->due_ns <= now;
		if (busy)
			pthread_cond_wait(&wq->cond, &wq->lock);
	} while (busy);
	pthread_mutex_unlock(&wq->lock);
}

void drain_workqueue(struct workqueue_struct *wq)
{
	flush_workqueue(wq);
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	struct work_struct *work, *tmp;

	if (!wq)
		return;
	drain_workqueue(wq);
	pthread_mutex_lock(&wq->lock);
	list_for_each_entry_safe(work, tmp, &wq->items, entry) {
		WARN(1, "shim: destroy_workqueue(%s) with delayed work armed",
		     wq->name);
		list_del_init(&work->entry);
		work->pending = false;
	}
	wq->stop = true;
	pthread_cond_broadcast(&wq->cond);
	pthread_mutex_unlock(&wq->lock);
	if (wq->started)
		pthread_join(wq->thread, NULL);
	if (wq->owned)
		kfree(wq);
}

/* RCU: see <linux/rcupdate.h> */

static pthread_rwlock_t shim_rcu_gp = PTHREAD_RWLOCK_INITIALIZER;
static __thread int shim_rcu_depth;
static pthread_mutex_t shim_rcu_cb_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rcu_head *shim_rcu_cbs;

/*
 * The queued callbacks, once a grace period has passed for them: while the
 * write lock is held no reader is inside a section, so nothing queued so
 * far can still be seen. With @wait, waits for readers; else NULL when
 * some are inside.
 */
static struct rcu_head *shim_rcu_take(bool wait)
{
	struct rcu_head *list;

	if (wait)
		pthread_rwlock_wrlock(&shim_rcu_gp);
	else if (pthread_rwlock_trywrlock(&shim_rcu_gp))
		return NULL;
	pthread_mutex_lock(&shim_rcu_cb_lock);
	list = shim_rcu_cbs;
	shim_rcu_cbs = NULL;
	pthread_mutex_unlock(&shim_rcu_cb_lock);
	pthread_rwlock_unlock(&shim_rcu_gp);
	return list;
}

/* Run callbacks in process context; kvfree_rcu()'s carry an offset. */
static void shim_rcu_run(struct rcu_head *list)
{
	while (list) {
		struct rcu_head *next = list->next;
		unsigned long off = (unsigned long)list->func;

		if (__is_kvfree_rcu_offset(off))
			kvfree((char *)list - off);
		else
			list->func(list);
		list = next;
	}
}

static void shim_rcu_poll(void)
{
	if (!in_atomic() && !shim_rcu_depth)
		shim_rcu_run(shim_rcu_take(false));
}

void rcu_read_lock(void)
{
	if (!shim_rcu_depth++)
		pthread_rwlock_rdlock(&shim_rcu_gp);
	shim_atomic_depth++;
}

void rcu_read_unlock(void)
{
	if (WARN(shim_rcu_depth <= 0,
		 "shim: rcu_read_unlock() without rcu_read_lock()"))
		return;
	shim_atomic_depth--;
	if (!--shim_rcu_depth) {
		pthread_rwlock_unlock(&shim_rcu_gp);
		shim_rcu_poll();
	}
}

bool rcu_read_lock_held(void)
{
	return shim_rcu_depth > 0;
}

void synchronize_rcu(void)
{
	might_sleep();
	if (WARN(shim_rcu_depth, "shim: synchronize_rcu() in a read-side section"))
		return;
	shim_rcu_run(shim_rcu_take(true));
}

void rcu_barrier(void)
{
	synchronize_rcu();
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	pthread_mutex_lock(&shim_rcu_cb_lock);
	head->next = shim_rcu_cbs;
	shim_rcu_cbs = head;
	pthread_mutex_unlock(&shim_rcu_cb_lock);
	shim_rcu_poll();
}

void kvfree_call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	call_rcu(head, func);
}

/* Shrinkers */

static pthread_mutex_t shim_shrinker_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(shim_shrinkers);

int register_shrinker(struct shrinker *shrinker, const char *fmt, ...)
{
	va_list ap;
	char *name;
	int n;

	if (WARN(shrinker->flags & SHRINKER_REGISTERED,
		 "shim: register_shrinker() of a registered shrinker"))
		return -EINVAL;
	/* The kernel allocates the deferred count here: it can fail. */
	shrinker->nr_deferred = kzalloc(sizeof(*shrinker->nr_deferred),
					GFP_KERNEL);
	if (!shrinker->nr_deferred)
		return -ENOMEM;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	name = malloc(n + 1);
	if (!name) {
		perror("shim: malloc");
		abort();
	}
	va_start(ap, fmt);
	vsnprintf(name, n + 1, fmt, ap);
	va_end(ap);
	shrinker->name = name;
	pthread_mutex_lock(&shim_shrinker_lock);
	list_add_tail(&shrinker->list, &shim_shrinkers);
	shrinker->flags |= SHRINKER_REGISTERED;
	pthread_mutex_unlock(&shim_shrinker_lock);
	return 0;
}

void unregister_shrinker(struct shrinker *shrinker)
{
	might_sleep();
	if (!(shrinker->flags & SHRINKER_REGISTERED))
		return;
	pthread_mutex_lock(&shim_shrinker_lock);
	list_del(&shrinker->list);
	shrinker->flags &= ~SHRINKER_REGISTERED;
	pthread_mutex_unlock(&shim_shrinker_lock);
	kfree(shrinker->nr_deferred);
	shrinker->nr_deferred = NULL;
	free((void *)shrinker->name);
	shrinker->name = NULL;
}

/* One shrinker as shrink_slab() at priority 0 does: 2 x freeable / seeks * 2. */
static unsigned long shim_shrink_one(struct shrinker *s)
{
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	unsigned long count, total, freed = 0, batch, ret;

	count = s->count_objects(s, &sc);
	if (!count || count == SHRINK_EMPTY)
		return 0;
	total = count * 4 / (s->seeks ? s->seeks : DEFAULT_SEEKS);
	batch = s->batch > 0 ? s->batch : 128;
	while (total) {
		sc.nr_to_scan = min(total, batch);
		sc.nr_scanned = sc.nr_to_scan;
		ret = s->scan_objects(s, &sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		total -= min(total, sc.nr_scanned ? sc.nr_scanned : 1);
	}
	return freed;
}

unsigned long shim_drop_caches(void)
{
	struct shrinker *s;
	unsigned long freed, all = 0;

	might_sleep();
	do {
		freed = 0;
		pthread_mutex_lock(&shim_shrinker_lock);
		list_for_each_entry(s, &shim_shrinkers, list)
			freed += shim_shrink_one(s);
		pthread_mutex_unlock(&shim_shrinker_lock);
		all += freed;
	} while (freed > 10);
	rcu_barrier();
	return all;
}

static bool shim_shrinkers_left(void)
{
	struct shrinker *s;
	bool left = false;

	pthread_mutex_lock(&shim_shrinker_lock);
	list_for_each_entry(s, &shim_shrinkers, list) {
		fprintf(stderr, "shim: shrinker %s still registered\n",
			s->name);
		left = true;
	}
	pthread_mutex_unlock(&shim_shrinker_lock);
	return left;
}

/* <linux/sort.h> */

static void shim_sort_swap(void *a, void *b, size_t size,
			   swap_func_t swap_func)
{
	unsigned char *x = a, *y = b, t;

	if (swap_func) {
		swap_func(a, b, (int)size);
		return;
	}
	while (size--) {
		t = *x;
		*x++ = *y;
		*y++ = t;
	}
}

/* Move element @root of the heap of @n down to where it belongs. */
static void shim_sort_sift(unsigned char *b, size_t root, size_t n,
			   size_t size, cmp_func_t cmp_func,
			   swap_func_t swap_func)
{
	size_t child;

	for (; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n &&
		    cmp_func(b + child * size, b + (child + 1) * size) < 0)
			child++;
		if (cmp_func(b + root * size, b + child * size) >= 0)
			break;
		shim_sort_swap(b + root * size, b + child * size, size,
			       swap_func);
	}
}

void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func,
	  swap_func_t swap_func)
{
	unsigned char *b = base;
	size_t n, i;

	for (i = num / 2; i-- > 0; )
		shim_sort_sift(b, i, num, size, cmp_func, swap_func);
	for (n = num; n > 1; n--) {
		shim_sort_swap(b, b + (n - 1) * size, size, swap_func);
		shim_sort_sift(b, 0, n - 1, size, cmp_func, swap_func);
	}
}
