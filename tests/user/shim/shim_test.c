// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the kernel-API shim: that it keeps the kernel's semantics
 * where tests rely on them (allocation, failure injection, accounting,
 * WARN, locks, completions, wait queues, workqueues, xxhash, hash lists, RCU,
 * shrinkers).
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
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
#include <linux/xxhash.h>
#include <asm/unaligned.h>

#include "shim.h"

static int failures;

#define EXPECT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FAIL: user/shim_test: %s:%d: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		failures++;						\
	}								\
} while (0)

static void test_alloc(void)
{
	struct shim_mem m0, m1;
	u8 *p, *z;
	size_t i;
	bool zero = true;

	shim_mem(&m0);
	p = kmalloc(100, GFP_KERNEL);
	z = kzalloc(100, GFP_KERNEL);
	EXPECT(p && z);
	for (i = 0; i < 100; i++)
		zero &= !p[i];
	EXPECT(!zero);			/* kmalloc memory is not zeroed */
	EXPECT(!memchr_inv(z, 0, 100));
	EXPECT(ksize(p) == 128);	/* kmalloc-128 */
	shim_mem(&m1);
	EXPECT(m1.objects == m0.objects + 2 && m1.bytes == m0.bytes + 256);
	kfree(p);
	kfree(z);

	EXPECT(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	EXPECT(kmalloc_size_roundup(65) == 96);
	EXPECT(kmalloc_size_roundup(4097) == 8192);
	EXPECT(kmalloc_size_roundup(8193) == 16384);

	/* power-of-two sizes come naturally aligned */
	p = kmalloc(4096, GFP_KERNEL);
	EXPECT(!((unsigned long)p & 4095));
	kfree(p);

	/* the n-th allocation fails, once */
	shim_fail_nth(2);
	p = kmalloc(8, GFP_KERNEL);
	z = kmalloc(8, GFP_KERNEL);
	EXPECT(p && !z && !shim_fail_pending());
	z = kmalloc(8, GFP_KERNEL);
	EXPECT(z);
	kfree(p);
	kfree(z);
	shim_fail_nth(1);
	EXPECT(!kvmalloc(1 << 20, GFP_KERNEL));

	/* big kvmalloc is vmalloc memory: kfree() of it WARNs */
	p = kvmalloc(1 << 20, GFP_KERNEL);
	EXPECT(p && is_vmalloc_addr(p));
	kvfree(p);
	p = kvmalloc(1 << 20, GFP_NOWAIT);	/* no vmalloc without sleeping */
	EXPECT(p && !is_vmalloc_addr(p));
	kvfree(p);
	shim_printk_quiet(true);
	p = vmalloc(10);
	kfree(p);
	EXPECT(shim_warnings() == 1);
	shim_printk_quiet(false);
	shim_mem(&m1);
	EXPECT(m1.objects == m0.objects && m1.bytes == m0.bytes);
}

static void test_atomic_sleep(void)
{
	unsigned long w = shim_warnings();
	DEFINE_SPINLOCK(lock);
	void *p;

	spin_lock(&lock);
	p = kmalloc(8, GFP_ATOMIC);	/* fine */
	EXPECT(shim_warnings() == w);
	kfree(p);
	shim_printk_quiet(true);
	p = kmalloc(8, GFP_KERNEL);	/* may sleep: WARN */
	shim_printk_quiet(false);
	EXPECT(shim_warnings() == w + 1);
	kfree(p);
	lockdep_assert_held(&lock);
	spin_unlock(&lock);
	EXPECT(shim_warnings() == w + 1);
}

static void test_locks(void)
{
	unsigned long w = shim_warnings();
	struct rw_semaphore sem;
	struct mutex mutex;

	init_rwsem(&sem);
	mutex_init(&mutex);
	down_read(&sem);
	EXPECT(down_read_trylock(&sem));
	EXPECT(!down_write_trylock(&sem));
	lockdep_assert_held_read(&sem);
	up_read(&sem);
	up_read(&sem);
	down_write(&sem);
	lockdep_assert_held_write(&sem);
	downgrade_write(&sem);
	EXPECT(!down_write_trylock(&sem));
	up_read(&sem);
	EXPECT(!rwsem_is_locked(&sem));
	mutex_lock(&mutex);
	lockdep_assert_held(&mutex);
	EXPECT(mutex_is_locked(&mutex));
	mutex_unlock(&mutex);
	EXPECT(shim_warnings() == w);
	EXPECT(min(3U, 4U) == 3 && max_t(int, -1, 2) == 2);
}

struct test_work {
	struct delayed_work dwork;
	struct work_struct work;
	struct completion done;
	atomic_t runs;
};

static void test_work_fn(struct work_struct *work)
{
	struct test_work *t = container_of(work, struct test_work, work);

	atomic_inc(&t->runs);
	complete(&t->done);
}

static void test_dwork_fn(struct work_struct *work)
{
	struct test_work *t = container_of(to_delayed_work(work),
					   struct test_work, dwork);

	atomic_add(100, &t->runs);
}

struct requeue_work {
	struct delayed_work dwork;
	struct workqueue_struct *wq;
	struct completion running;
	atomic_t runs;
};

/* Queues itself again, slowly, as a maintenance work does. */
static void test_requeue_fn(struct work_struct *work)
{
	struct requeue_work *r = container_of(to_delayed_work(work),
					      struct requeue_work, dwork);

	if (atomic_inc_return(&r->runs) == 1)
		complete(&r->running);
	usleep(20000);
	queue_delayed_work(r->wq, &r->dwork, 0);
}

/* cancel_delayed_work_sync() of a work that queues itself: it stays off. */
static void test_cancel_requeue(void)
{
	struct requeue_work r;
	int runs;

	r.wq = alloc_workqueue("requeue", 0, 1);
	EXPECT(r.wq);
	INIT_DELAYED_WORK(&r.dwork, test_requeue_fn);
	init_completion(&r.running);
	atomic_set(&r.runs, 0);
	EXPECT(queue_delayed_work(r.wq, &r.dwork, 0));
	wait_for_completion(&r.running);
	cancel_delayed_work_sync(&r.dwork);
	runs = atomic_read(&r.runs);
	EXPECT(!delayed_work_pending(&r.dwork));
	usleep(50000);
	EXPECT(atomic_read(&r.runs) == runs);
	destroy_workqueue(r.wq);	/* would WARN with the work armed */
}

static void test_workqueue(void)
{
	struct workqueue_struct *wq = alloc_workqueue("test%d", 0, 1, 1);
	struct test_work t;

	EXPECT(wq);
	INIT_WORK(&t.work, test_work_fn);
	INIT_DELAYED_WORK(&t.dwork, test_dwork_fn);
	init_completion(&t.done);
	atomic_set(&t.runs, 0);

	EXPECT(queue_work(wq, &t.work));
	EXPECT(wait_for_completion_timeout(&t.done, msecs_to_jiffies(5000)));
	flush_work(&t.work);
	EXPECT(atomic_read(&t.runs) == 1);

	/* delayed work runs late enough; a cancelled one never does */
	EXPECT(queue_delayed_work(wq, &t.dwork, msecs_to_jiffies(20)));
	EXPECT(!queue_delayed_work(wq, &t.dwork, 1));
	flush_delayed_work(&t.dwork);
	EXPECT(atomic_read(&t.runs) == 101);
	EXPECT(queue_delayed_work(wq, &t.dwork, msecs_to_jiffies(60000)));
	EXPECT(cancel_delayed_work_sync(&t.dwork));
	EXPECT(!cancel_delayed_work_sync(&t.dwork));
	flush_workqueue(wq);
	destroy_workqueue(wq);
	EXPECT(atomic_read(&t.runs) == 101);
	EXPECT(!wait_for_completion_timeout(&t.done, 1));
}

static void test_xxhash(void)
{
	static const char msg[] = "CesiumDB";
	struct xxh64_state st;

	EXPECT(xxh64("", 0, 0) == 0xef46db3751d8e999ULL);
	xxh64_reset(&st, 7);
	xxh64_update(&st, msg, 3);
	xxh64_update(&st, msg + 3, sizeof(msg) - 3);
	EXPECT(xxh64_digest(&st) == xxh64(msg, sizeof(msg), 7));
}

static void test_unaligned(void)
{
	u8 buf[9] = { 0 };

	put_unaligned_le32(0x11223344, buf + 1);
	EXPECT(buf[1] == 0x44 && buf[4] == 0x11);
	EXPECT(get_unaligned_be16(buf + 3) == 0x2211);
	put_unaligned_be64(0x0102030405060708ULL, buf + 1);
	EXPECT(get_unaligned_le64(buf + 1) == 0x0807060504030201ULL);
}

struct rcu_obj {
	struct rcu_head rcu;
	struct hlist_node node;
	int v;
};

struct rcu_reader {
	struct hlist_head *head;
	struct completion inside;
	int leave;
	int seen;
};

/* Enters a read-side section, finds the object, stays until told. */
static void *rcu_reader_thread(void *arg)
{
	struct rcu_reader *r = arg;
	struct rcu_obj *o;

	rcu_read_lock();
	hlist_for_each_entry_rcu(o, r->head, node)
		r->seen = o->v;
	complete(&r->inside);
	/* No sleeping in a read-side section: spin. */
	while (!__atomic_load_n(&r->leave, __ATOMIC_ACQUIRE))
		sched_yield();
	/* Still readable though removed: it is freed after the section. */
	hlist_for_each_entry_rcu(o, r->head, node)
		r->seen += 100;
	r->seen += o ? 0 : 1000;
	rcu_read_unlock();
	return NULL;
}

static void test_hlist_rcu(void)
{
	struct hlist_head head;
	struct rcu_obj *o, a = { .v = 1 }, b = { .v = 2 };
	struct hlist_node *next;
	struct rcu_reader r = { .head = &head };
	struct shim_mem m0, m1;
	pthread_t t;
	int sum = 0;

	EXPECT(hash_64(0x1234, 10) == (u32)(0x1234 * GOLDEN_RATIO_64 >> 54));
	EXPECT(hash_64(~0ULL, 6) < 64);

	INIT_HLIST_HEAD(&head);
	EXPECT(hlist_empty(&head));
	hlist_add_head(&a.node, &head);
	hlist_add_head(&b.node, &head);
	hlist_for_each_entry(o, &head, node)
		sum = sum * 10 + o->v;
	EXPECT(sum == 21);
	hlist_for_each_entry_safe(o, next, &head, node)
		hlist_del(&o->node);
	EXPECT(hlist_empty(&head));

	/* kvfree_rcu() waits for the reader that may still see the object. */
	shim_mem(&m0);
	o = kmalloc(sizeof(*o), GFP_KERNEL);
	EXPECT(o);
	o->v = 7;
	hlist_add_head_rcu(&o->node, &head);
	init_completion(&r.inside);
	EXPECT(!pthread_create(&t, NULL, rcu_reader_thread, &r));
	wait_for_completion(&r.inside);
	EXPECT(r.seen == 7);
	hlist_del_rcu(&o->node);
	kvfree_rcu(o, rcu);
	shim_mem(&m1);
	EXPECT(m1.objects == m0.objects + 1);	/* not freed yet */
	__atomic_store_n(&r.leave, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	EXPECT(r.seen == 1007);			/* the list was empty */
	synchronize_rcu();
	shim_mem(&m1);
	EXPECT(m1.objects == m0.objects);

	/* Nested sections; sleeping inside one WARNs (the third WARN). */
	rcu_read_lock();
	rcu_read_lock();
	EXPECT(rcu_read_lock_held() && in_atomic());
	rcu_read_unlock();
	shim_printk_quiet(true);
	might_sleep();
	shim_printk_quiet(false);
	rcu_read_unlock();
	EXPECT(!rcu_read_lock_held() && !in_atomic());
}

struct test_shrinker {
	struct shrinker s;
	unsigned long objects;
	unsigned long scans;
};

static unsigned long test_count(struct shrinker *s, struct shrink_control *sc)
{
	struct test_shrinker *t = container_of(s, struct test_shrinker, s);

	return t->objects ?: SHRINK_EMPTY;
}

static unsigned long test_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct test_shrinker *t = container_of(s, struct test_shrinker, s);
	unsigned long n = min(sc->nr_to_scan, t->objects);

	t->scans++;
	t->objects -= n;
	return n;
}

static void test_shrinker(void)
{
	struct test_shrinker t = {
		.s = { .count_objects = test_count, .scan_objects = test_scan,
		       .seeks = DEFAULT_SEEKS },
		.objects = 1000,
	};

	shim_fail_nth(1);
	EXPECT(register_shrinker(&t.s, "test-%d", 1) == -ENOMEM);
	EXPECT(register_shrinker(&t.s, "test-%d", 1) == 0);
	EXPECT(!strcmp(t.s.name, "test-1"));
	EXPECT(shim_drop_caches() == 1000);
	/* 2 x 1000 / 2 x 2 objects scanned in batches of 128. */
	EXPECT(!t.objects && t.scans == 16);
	EXPECT(shim_drop_caches() == 0);
	unregister_shrinker(&t.s);
	t.objects = 5;
	EXPECT(shim_drop_caches() == 0 && t.objects == 5);
}

struct test_wait {
	struct delayed_work dwork;
	wait_queue_head_t wq;
	int value;
};

static void test_wake_fn(struct work_struct *work)
{
	struct test_wait *t = container_of(to_delayed_work(work),
					   struct test_wait, dwork);

	WRITE_ONCE(t->value, t->value + 1);
	wake_up_all(&t->wq);
}

/* wait_event() returns once a waker has made the condition true. */
static void test_wait_event(void)
{
	struct test_wait t = { .value = 0 };
	int round;

	init_waitqueue_head(&t.wq);
	INIT_DELAYED_WORK(&t.dwork, test_wake_fn);
	for (round = 1; round <= 3; round++) {
		EXPECT(queue_delayed_work(system_wq, &t.dwork, round));
		wait_event(t.wq, READ_ONCE(t.value) == round);
		EXPECT(READ_ONCE(t.value) == round);
	}
	flush_delayed_work(&t.dwork);
	/* A true condition does not wait. */
	wait_event(t.wq, true);
}

static int test_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static void test_sort(void)
{
	u32 v[257], i, seed = 7;

	for (i = 0; i < 257; i++) {
		seed = seed * 1103515245 + 12345;
		v[i] = (seed >> 8) % 100;
	}
	sort(v, 257, sizeof(v[0]), test_cmp_u32, NULL);
	for (i = 1; i < 257; i++)
		EXPECT(v[i - 1] <= v[i]);
	sort(v, 0, sizeof(v[0]), test_cmp_u32, NULL);
	sort(v, 1, sizeof(v[0]), test_cmp_u32, NULL);
}

int main(void)
{
	test_alloc();
	test_atomic_sleep();
	test_locks();
	test_workqueue();
	test_cancel_requeue();
	test_wait_event();
	test_xxhash();
	test_unaligned();
	test_hlist_rcu();
	test_shrinker();
	test_sort();
	/* the WARNs above were the expected ones */
	if (shim_warnings() != 3) {
		fprintf(stderr, "FAIL: user/shim_test: %lu WARNs, expected 3\n",
			shim_warnings());
		failures++;
	}
	{
		struct shim_mem m;

		shim_mem(&m);
		EXPECT(!m.objects && !m.bytes);
	}
	if (failures)
		return 1;
	printf("PASS: user/shim_test\n");
	return 0;
}
