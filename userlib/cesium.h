/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libcesium-user: the C library over CesiumDB's character devices.
 *
 * Conventions, for every function below:
 *  - the result is 0 (or a count, an index, a boolean) on success and a
 *    negative errno value on failure; errno itself is left as the last
 *    system call set it and means nothing to the caller;
 *  - a NULL pointer where the function needs one gives -EFAULT, the code the
 *    kernel gives for a bad address, so the answer does not depend on which
 *    side noticed;
 *  - the library checks what is cheap (NULL pointers, empty or over-long
 *    keys, lengths that do not fit the ABI's fields) before any system call,
 *    passes flags through unchanged, and leaves everything else to the
 *    kernel, which checks again: unknown flag bits give -EINVAL from the
 *    kernel;
 *  - the device's limits (key and value lengths, features) come from
 *    cesium_info(); the library assumes none beyond the ABI's maxima.
 *
 * Errors common to the data functions, from the kernel (see
 * <linux/cesium.h>): -EINVAL bad flag or argument, -E2BIG key or value over
 * the device's limit, -ENOENT missing key, -EEXIST existing key with
 * CESIUM_PUT_NO_OVERWRITE, -ENOSPC device full, -EROFS device read-only,
 * -EIO device error or failed device, -EUCLEAN checksum mismatch, -EBADF a
 * write through a handle opened O_RDONLY. (O_NONBLOCK is accepted at open,
 * but the ioctls do not refuse to block yet: the asynchronous API, over
 * io_uring, is the way not to wait.)
 *
 * A struct cesium may be used by several threads at once: it holds only a
 * file descriptor.
 */
#ifndef CESIUM_H
#define CESIUM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/cesium.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An open data device, /dev/cesiumN. */
struct cesium;

/* Environment variable naming the default device, e.g. "cesium0". */
#define CESIUM_DEVICE_ENV	"CESIUM_DEVICE"

/**
 * cesium_open() - open a data device.
 * @dev:	"cesiumN", a path ("/dev/cesiumN", or any path with a '/',
 *		opened as given), or NULL for the default device: the one
 *		$CESIUM_DEVICE names if it is set and not empty, else the only
 *		device listed in /sys/class/cesium (no privilege needed).
 * @flags:	O_RDONLY or O_RDWR, optionally | O_NONBLOCK. O_CLOEXEC is
 *		always added. A read-only handle can GET, EXISTS and INFO; its
 *		PUT and DELETE fail with -EBADF (from the kernel).
 * @out:	receives the handle, to release with cesium_close().
 *
 * Return: 0, or -EINVAL (bad @flags, or @dev is not a device name), -ENODEV
 * (default device: none attached, or the cesium module is not loaded),
 * -ENOTUNIQ (default device: several attached; choose one), -ENOMEM, or
 * what open(2) gave: -ENOENT (no such device node), -EACCES (nodes are
 * 0600, root's), ...
 */
int cesium_open(const char *dev, int flags, struct cesium **out);

/**
 * cesium_close() - close a handle from cesium_open(); NULL is a no-op.
 * @c:	the handle.
 */
void cesium_close(struct cesium *c);

/**
 * cesium_fd() - the handle's file descriptor, for io_uring or poll.
 * @c:	the handle.
 *
 * Return: the descriptor (owned by @c: do not close it), or -EFAULT.
 */
int cesium_fd(const struct cesium *c);

/**
 * cesium_put() - store a value under a key.
 * @c:		a handle opened O_RDWR.
 * @ns:		namespace id; 0 is the default namespace.
 * @key:	the key's bytes.
 * @key_len:	1 to the device's max_key_len (at most CESIUM_MAX_KEY_LEN).
 * @value:	the value's bytes; may be NULL when @value_len is 0.
 * @value_len:	0 to the device's max_value_len.
 * @flags:	CESIUM_PUT_NO_OVERWRITE or CESIUM_PUT_UPDATE_ONLY, and one
 *		CESIUM_DUR_* (0: the device's durability).
 *
 * Return: 0; -EINVAL if @key_len is 0; -E2BIG if @key_len is over
 * CESIUM_MAX_KEY_LEN or @value_len over UINT32_MAX (both before any system
 * call), or over the device's limits (kernel); -EEXIST (NO_OVERWRITE, the
 * key exists); -ENOENT (UPDATE_ONLY, the key is missing); see above.
 */
int cesium_put(struct cesium *c, uint64_t ns, const void *key, size_t key_len,
	       const void *value, size_t value_len, unsigned int flags);

/**
 * cesium_get() - read a key's value into a buffer.
 * @c:		the handle.
 * @ns:		namespace id.
 * @key:	the key's bytes.
 * @key_len:	its length, as for cesium_put().
 * @buf:	where the value is copied; may be NULL when @buf_len is 0,
 *		which asks only for the length.
 * @buf_len:	bytes at @buf (more than UINT32_MAX counts as UINT32_MAX).
 * @value_len:	optional; receives the value's length on success and on
 *		-EOVERFLOW; untouched on other errors.
 * @flags:	none defined yet: 0.
 *
 * Return: 0; -EOVERFLOW if the value is longer than @buf_len (then @buf's
 * contents are undefined and *@value_len is the length needed); -ENOENT if
 * the key is missing; -EINVAL, -E2BIG for the key as in cesium_put().
 */
int cesium_get(struct cesium *c, uint64_t ns, const void *key, size_t key_len,
	       void *buf, size_t buf_len, size_t *value_len,
	       unsigned int flags);

/**
 * cesium_get_alloc() - read a key's value into memory the library allocates.
 * @c:		the handle.
 * @ns:		namespace id.
 * @key:	the key's bytes.
 * @key_len:	its length.
 * @value:	receives a malloc()ed buffer holding the value followed by one
 *		NUL byte (not counted in *@value_len), never NULL on success,
 *		even for an empty value; release it with free().
 * @value_len:	receives the value's length.
 * @flags:	as for cesium_get().
 *
 * Tries a 4 KiB buffer first and, on -EOVERFLOW, one of the length the
 * kernel reports, again until the value fits (it may grow in between).
 *
 * Return: 0, or as cesium_get() but never -EOVERFLOW; -ENOMEM. On failure
 * *@value and *@value_len are untouched.
 */
int cesium_get_alloc(struct cesium *c, uint64_t ns, const void *key,
		     size_t key_len, void **value, size_t *value_len,
		     unsigned int flags);

/**
 * cesium_delete() - remove a key.
 * @c:		a handle opened O_RDWR.
 * @ns:		namespace id.
 * @key:	the key's bytes.
 * @key_len:	its length.
 * @flags:	one CESIUM_DUR_* (0: the device's durability).
 *
 * Return: 0, or -ENOENT if the key is missing; see cesium_put().
 */
int cesium_delete(struct cesium *c, uint64_t ns, const void *key,
		  size_t key_len, unsigned int flags);

/**
 * cesium_exists() - whether a key exists, without reading its value.
 * @c:		the handle.
 * @ns:		namespace id.
 * @key:	the key's bytes.
 * @key_len:	its length.
 * @flags:	none defined yet: 0.
 *
 * Return: 1 if the key exists, 0 if not, or a negative errno.
 */
int cesium_exists(struct cesium *c, uint64_t ns, const void *key,
		  size_t key_len, unsigned int flags);

/**
 * cesium_info() - the device's description and limits.
 * @c:		the handle.
 * @info:	filled in. The library zeroes it first, so fields the kernel
 *		does not know of read as 0; @info->size says how many bytes
 *		the kernel knows of.
 *
 * Return: 0 or a negative errno.
 */
int cesium_info(struct cesium *c, struct cesium_info *info);

/**
 * cesium_stats() - one snapshot of the device's counters (STATS).
 * @c:		the handle (read-only handles may read statistics).
 * @st:		filled in: operation counts, user and device bytes, flushes,
 *		errors, recovery figures, the index's size, log2 latency
 *		histograms per command (@st->latency[CESIUM_LAT_*][i] counts
 *		the commands that took [2^i, 2^(i+1)) ns; the last bucket also
 *		every longer one), and the hot-item cache's hits, misses and
 *		bytes held. The library zeroes it first, so fields the
 *		kernel does not know of read as 0; @st->size says how many
 *		bytes the kernel knows of. The same counters as
 *		/sys/class/cesium/cesiumN/stats/, taken together.
 *
 * Counters start at 0 when the device is attached; nr_keys, used_bytes,
 * capacity_bytes, index_bytes and cache_bytes are the state now, not
 * counts.
 *
 * Return: 0; -EFAULT for a NULL @c or @st; -EINVAL (kernel) for a
 * malformed command; -ENOTTY from a module without STATS (see
 * CESIUM_FEAT_STATS in cesium_info()); -ENOMEM. It answers on a
 * read-only or failed device too.
 */
int cesium_stats(struct cesium *c, struct cesium_stats *st);

/**
 * cesium_namespaces() - the namespaces that hold keys (NAMESPACES).
 * @c:		the handle (read-only handles may ask).
 * @ids:	receives up to @nr namespace ids, in increasing order; may be
 *		NULL when @nr is 0 (a count query).
 * @nr:		room at @ids.
 * @count:	if not NULL, receives how many namespaces hold keys.
 *
 * Return: the number of ids written; -EOVERFLOW when more namespaces hold
 * keys than @nr (the first @nr are written and *@count is set); -EFAULT
 * for a NULL @c, or NULL @ids with @nr; -ENOTTY from a module without it
 * (CESIUM_FEAT_NAMESPACE_LIST); -ENOMEM.
 */
int cesium_namespaces(struct cesium *c, uint64_t *ids, size_t nr,
		      size_t *count);

/**
 * cesium_check() - verify a stretch of the device's log (CHECK).
 * @c:		the handle.
 * @offset:	0 to start at the log's head, else res->next_offset of the
 *		previous call.
 * @max_bytes:	about how much to verify in this call (0: 4 MiB).
 * @damaged:	receives the device offsets of damaged stretches found, up
 *		to @nr_damaged; may be NULL when @nr_damaged is 0.
 * @nr_damaged:	room at @damaged.
 * @res:	receives where to go on (next_offset), the log's head and tail
 *		(start_offset, end_offset: the pass is done when next_offset
 *		reaches end_offset), and what this call read and found.
 *
 * Return: the number of damaged stretches this call found (0: all sound);
 * -EINVAL for an offset that is not one CHECK returned; -EIO; -EFAULT;
 * -ENOMEM; -ENOTTY from a module without it (CESIUM_FEAT_CHECK).
 */
int cesium_check(struct cesium *c, uint64_t offset, uint64_t max_bytes,
		 uint64_t *damaged, size_t nr_damaged,
		 struct cesium_check_result *res);

/**
 * cesium_sync() - make every write completed so far durable (SYNC).
 * @c:		the handle (read-only handles may sync too).
 *
 * Covers every namespace of the device and writes made through any
 * handle, whatever their durability flag.
 *
 * Return: 0, or a negative errno (-EIO, -EROFS, ...).
 */
int cesium_sync(struct cesium *c);

/**
 * cesium_batch_op_put() - fill in a BATCH operation that stores a value.
 * @op:		the operation; every field is written (result 0).
 * @ns:		namespace id.
 * @key:	the key's bytes; they must stay in place until cesium_batch()
 *		returns, as must the value's.
 * @key_len:	its length.
 * @value:	the value's bytes; may be NULL when @value_len is 0.
 * @value_len:	its length.
 * @flags:	CESIUM_PUT_NO_OVERWRITE or CESIUM_PUT_UPDATE_ONLY (the
 *		durability is the whole batch's: see cesium_batch()).
 *
 * A length that does not fit the ABI's 32-bit field is stored as
 * UINT32_MAX, which the kernel refuses (-E2BIG), never truncated.
 */
void cesium_batch_op_put(struct cesium_batch_op *op, uint64_t ns,
			 const void *key, size_t key_len, const void *value,
			 size_t value_len, unsigned int flags);

/**
 * cesium_batch_op_delete() - fill in a BATCH operation that removes a key.
 * @op:		the operation; every field is written (result 0).
 * @ns:		namespace id.
 * @key:	the key's bytes.
 * @key_len:	its length.
 */
void cesium_batch_op_delete(struct cesium_batch_op *op, uint64_t ns,
			    const void *key, size_t key_len);

/**
 * cesium_batch() - apply puts and deletes atomically (BATCH).
 * @c:		a handle opened O_RDWR.
 * @ops:	the operations, e.g. from cesium_batch_op_put() and
 *		cesium_batch_op_delete(). Their result fields are set to 0
 *		before the call (the kernel refuses others), so an array can
 *		be submitted again.
 * @nr:		how many: 1 to CESIUM_BATCH_MAX_OPS.
 * @flags:	one CESIUM_DUR_* for the whole batch (0: the device's).
 *
 * Either every operation is applied or none is; each sees the ones before
 * it. Afterwards @ops[i].result is 0 (applied), the operation's own error
 * (-ENOENT, -EEXIST, -E2BIG, -EINVAL, -EFAULT, ...), or -ECANCELED (not
 * applied because another operation failed). If the call fails before
 * the kernel has read the operations, the results are left at 0.
 *
 * Return: 0; the error of the first operation that failed; -EINVAL if @nr
 * is 0; -E2BIG if @nr is over CESIUM_BATCH_MAX_OPS (kernel; over
 * UINT32_MAX before any system call) or the keys and values together are
 * over about 1 MiB; -EBADF for a read-only handle; see above.
 */
int cesium_batch(struct cesium *c, struct cesium_batch_op *ops, size_t nr,
		 unsigned int flags);

/**
 * cesium_scan() - one SCAN call: records of a key range, into a buffer.
 * @c:		the handle.
 * @ns:		namespace id.
 * @start:	the range's lower bound, inclusive (exclusive with
 *		CESIUM_SCAN_START_EXCLUSIVE); may be NULL when @start_len is 0,
 *		which means from the first key.
 * @start_len:	0 to CESIUM_MAX_KEY_LEN.
 * @end:	the upper bound, exclusive; may be NULL when @end_len is 0,
 *		which means to the last key.
 * @end_len:	0 to CESIUM_MAX_KEY_LEN.
 * @flags:	CESIUM_SCAN_REVERSE (the last records of the range, largest
 *		first), CESIUM_SCAN_KEYS_ONLY, CESIUM_SCAN_START_EXCLUSIVE.
 * @limit:	at most this many records; 0 for as many as fit.
 * @buf:	where the records go, packed (walk them with
 *		cesium_scan_next_rec()); 8-byte alignment is not required.
 * @buf_len:	bytes at @buf; the kernel fills at most CESIUM_SCAN_BUF_MAX,
 *		and more than UINT32_MAX counts as UINT32_MAX.
 * @res:	receives the number of records, CESIUM_SCAN_MORE in its flags
 *		when the range holds more than were returned, and the bytes of
 *		@buf used; on -EOVERFLOW, bytes is the size the first record
 *		needs.
 *
 * One call sees one state of the range. To go on forward, call again with
 * the last key as @start and CESIUM_SCAN_START_EXCLUSIVE; in reverse, with
 * the last key as @end. struct cesium_iter does this for you.
 *
 * Return: the number of records (0 for an empty range); -EOVERFLOW when
 * not even the first record fits in @buf_len; -E2BIG if a bound is over
 * CESIUM_MAX_KEY_LEN (before any system call); -EFAULT for a NULL @c,
 * @res, or a NULL pointer with a non-zero length; see above.
 */
int cesium_scan(struct cesium *c, uint64_t ns, const void *start,
		size_t start_len, const void *end, size_t end_len,
		unsigned int flags, uint32_t limit, void *buf, size_t buf_len,
		struct cesium_scan_result *res);

/**
 * cesium_scan_next_rec() - walk the records cesium_scan() put in a buffer.
 * @buf:	the buffer given to cesium_scan().
 * @bytes:	the bytes it filled: res.bytes.
 * @off:	in: the offset of the record to read, 0 for the first; out:
 *		that of the next one.
 * @key:	receives a pointer to the key's bytes, inside @buf.
 * @key_len:	receives its length.
 * @value:	receives a pointer to the value's bytes, inside @buf (with
 *		CESIUM_SCAN_KEYS_ONLY the value is empty).
 * @value_len:	receives its length.
 *
 * Typical use:
 *	size_t off = 0;
 *	while ((ret = cesium_scan_next_rec(buf, res.bytes, &off, &k, &kl,
 *					   &v, &vl)) > 0)
 *		...;
 *
 * Return: 1 and a record; 0 at the end of the records (@off == @bytes);
 * -EBADMSG if the record at @off runs past @bytes (nothing is written);
 * -EFAULT for a NULL pointer.
 */
int cesium_scan_next_rec(const void *buf, size_t bytes, size_t *off,
			 const void **key, size_t *key_len,
			 const void **value, size_t *value_len);

/*
 * An iterator over a key range of one namespace, in key order, both ways,
 * over buffered SCAN calls. Each SCAN call sees one state of the range;
 * writes made between two calls may or may not be seen (DESIGN.md), but
 * the iterator never returns a key twice in one direction nor out of
 * order. One iterator is for one thread at a time.
 *
 * Moving functions (seek, seek_for_prev, next, prev) return 1 when the
 * iterator is on a record, 0 when it ran off the range (it is then not
 * valid), or a negative errno (the iterator is then not valid either; seek
 * again to go on). next and prev on an iterator that is not valid give
 * -EINVAL.
 */
struct cesium_iter;

/**
 * cesium_iter_open() - an iterator over [@lo, @hi) of namespace @ns.
 * @c:		the handle; it must outlive the iterator.
 * @ns:		namespace id.
 * @lo:		the lower bound, inclusive; may be NULL when @lo_len is 0
 *		(from the first key).
 * @lo_len:	0 to CESIUM_MAX_KEY_LEN.
 * @hi:		the upper bound, exclusive; may be NULL when @hi_len is 0
 *		(to the last key).
 * @hi_len:	0 to CESIUM_MAX_KEY_LEN.
 * @flags:	0, or CESIUM_SCAN_KEYS_ONLY (values then read as empty).
 * @out:	receives the iterator, not yet valid: seek first.
 *
 * Return: 0; -EINVAL for other @flags; -E2BIG for a bound over
 * CESIUM_MAX_KEY_LEN; -EFAULT; -ENOMEM. Nothing is asked of the device.
 */
int cesium_iter_open(struct cesium *c, uint64_t ns, const void *lo,
		     size_t lo_len, const void *hi, size_t hi_len,
		     unsigned int flags, struct cesium_iter **out);

/**
 * cesium_iter_seek() - move to the first key >= @key within the range.
 * @it:		the iterator.
 * @key:	the key; NULL with @len 0 moves to the first key of the range.
 * @len:	its length, 0 to CESIUM_MAX_KEY_LEN.
 *
 * Return: 1, 0 (no such key in the range), or a negative errno (-E2BIG
 * for @len over CESIUM_MAX_KEY_LEN; the device's errors).
 */
int cesium_iter_seek(struct cesium_iter *it, const void *key, size_t len);

/**
 * cesium_iter_seek_for_prev() - move to the last key <= @key in the range.
 * @it:		the iterator.
 * @key:	the key; NULL with @len 0 moves to the last key of the range.
 * @len:	its length, 0 to CESIUM_MAX_KEY_LEN.
 *
 * Return: as cesium_iter_seek().
 */
int cesium_iter_seek_for_prev(struct cesium_iter *it, const void *key,
			      size_t len);

/**
 * cesium_iter_next() - move to the next larger key of the range.
 * @it:	a valid iterator.
 *
 * Return: 1, 0 (past the last key), -EINVAL (not valid), or an error.
 */
int cesium_iter_next(struct cesium_iter *it);

/**
 * cesium_iter_prev() - move to the next smaller key of the range.
 * @it:	a valid iterator.
 *
 * Return: 1, 0 (before the first key), -EINVAL (not valid), or an error.
 */
int cesium_iter_prev(struct cesium_iter *it);

/**
 * cesium_iter_valid() - whether the iterator is on a record.
 * @it:	the iterator (NULL: 0).
 *
 * Return: 1 or 0.
 */
int cesium_iter_valid(const struct cesium_iter *it);

/**
 * cesium_iter_key() - the current record's key.
 * @it:		a valid iterator.
 * @len:	receives the key's length (may be NULL).
 *
 * Return: the key's bytes, valid until the iterator next moves or is
 * closed; NULL if the iterator is not valid.
 */
const void *cesium_iter_key(const struct cesium_iter *it, size_t *len);

/**
 * cesium_iter_value() - the current record's value.
 * @it:		a valid iterator.
 * @len:	receives the value's length (may be NULL); 0 for an iterator
 *		opened with CESIUM_SCAN_KEYS_ONLY.
 *
 * Return: the value's bytes (not NUL-terminated), valid until the
 * iterator next moves or is closed; NULL if the iterator is not valid.
 */
const void *cesium_iter_value(const struct cesium_iter *it, size_t *len);

/**
 * cesium_iter_close() - release an iterator; NULL is a no-op.
 * @it:	the iterator.
 */
void cesium_iter_close(struct cesium_iter *it);

/*
 * The asynchronous API: GET, PUT, DELETE and EXISTS as io_uring uring_cmds
 * (liburing, IORING_SETUP_SQE128), many in flight on one ring.
 *
 *	cesium_ring_open(c, 64, &r);
 *	cesium_ring_put(r, 0, "k", 1, "v", 1, 0, my_tag);   (queue; repeat)
 *	cesium_ring_submit(r);                              (to the kernel)
 *	n = cesium_ring_reap(r, done, 64, 1);               (completions)
 *	... done[i].user_data is my_tag, done[i].result 0 or -errno ...
 *	cesium_ring_close(r);
 *
 * A command is outstanding from the call that queues it until
 * cesium_ring_reap() returns its completion; a ring holds at most its
 * depth of them. The command itself is copied into the ring when it is
 * queued, but the memory it points at is not: the key, the value, the GET
 * buffer and its length must stay valid and in place until the command's
 * completion has been reaped. A completion's result is what the
 * synchronous function's would be: 0 or a negative errno (see the
 * conventions above), 1 or 0 for EXISTS. Completions come in any order.
 *
 * A ring is for one thread at a time; the struct cesium must outlive it.
 * Its queuing functions check what cesium_put() and the others check
 * before any system call and return those errors at once; errors the
 * kernel finds come in the completion.
 */
struct cesium_ring;

/**
 * struct cesium_completion - the outcome of one asynchronous command.
 * @user_data:	what the call that queued it was given.
 * @result:	0, 1 or 0 for EXISTS, or a negative errno.
 */
struct cesium_completion {
	void *user_data;
	int result;
};

/**
 * cesium_ring_open() - an io_uring for asynchronous commands on a device.
 * @c:		the handle; its access mode applies (a read-only handle's
 *		puts complete with -EBADF).
 * @depth:	the most commands outstanding at once: 1 to 32768 (io_uring
 *		rounds the queues up to a power of two).
 * @out:	receives the ring, to release with cesium_ring_close().
 *
 * Return: 0; -EFAULT for a NULL @c or @out; -EINVAL for a @depth of 0 or
 * over 32768, or from a kernel without IORING_SETUP_SQE128 (before 5.19);
 * -ENOMEM; what io_uring_setup(2) gave: -ENOSYS (no io_uring), -EPERM
 * (io_uring disabled), -EMFILE, ...
 */
int cesium_ring_open(struct cesium *c, unsigned int depth,
		     struct cesium_ring **out);

/**
 * cesium_ring_close() - release a ring; NULL is a no-op.
 * @r:	the ring.
 *
 * Commands still in flight are not cancelled: the kernel completes them
 * (their buffers must stay valid until then), but nobody reaps them.
 */
void cesium_ring_close(struct cesium_ring *r);

/**
 * cesium_ring_put() - queue a PUT; as cesium_put() (@user_data aside).
 * @r:		the ring.
 * @ns:		namespace id.
 * @key:	the key's bytes; in place until the completion is reaped.
 * @key_len:	1 to the device's max_key_len.
 * @value:	the value's bytes, in place until then; may be NULL when
 *		@value_len is 0.
 * @value_len:	0 to the device's max_value_len.
 * @flags:	as for cesium_put().
 * @user_data:	returned in the command's struct cesium_completion.
 *
 * Return: 0 (queued); -EBUSY if the ring holds its depth of outstanding
 * commands (reap some first); -EFAULT, -EINVAL, -E2BIG for the arguments
 * as cesium_put(). The completion's result: as cesium_put()'s.
 */
int cesium_ring_put(struct cesium_ring *r, uint64_t ns, const void *key,
		    size_t key_len, const void *value, size_t value_len,
		    unsigned int flags, void *user_data);

/**
 * cesium_ring_get() - queue a GET; as cesium_get() (@user_data aside).
 * @r:		the ring.
 * @ns:		namespace id.
 * @key:	the key's bytes; in place until the completion is reaped.
 * @key_len:	its length.
 * @buf:	where the value goes; may be NULL when @buf_len is 0.
 * @buf_len:	bytes at @buf.
 * @value_len:	optional (NULL); receives the value's length when the
 *		result is 0 or -EOVERFLOW. Written by the kernel: it must
 *		stay valid until the completion is reaped, like @buf.
 * @flags:	0.
 * @user_data:	returned in the completion.
 *
 * Return: 0 (queued), -EBUSY, or an argument error as cesium_get(). The
 * completion's result: 0, -EOVERFLOW (@buf too small; *@value_len is the
 * length needed), -ENOENT, ...
 */
int cesium_ring_get(struct cesium_ring *r, uint64_t ns, const void *key,
		    size_t key_len, void *buf, size_t buf_len,
		    uint64_t *value_len, unsigned int flags, void *user_data);

/**
 * cesium_ring_delete() - queue a DELETE; as cesium_delete().
 * @r:		the ring.
 * @ns:		namespace id.
 * @key:	the key's bytes; in place until the completion is reaped.
 * @key_len:	its length.
 * @flags:	one CESIUM_DUR_* (0: the device's).
 * @user_data:	returned in the completion.
 *
 * Return: 0 (queued), -EBUSY, or an argument error as cesium_delete().
 * The completion's result: 0, -ENOENT, ...
 */
int cesium_ring_delete(struct cesium_ring *r, uint64_t ns, const void *key,
		       size_t key_len, unsigned int flags, void *user_data);

/**
 * cesium_ring_exists() - queue an EXISTS; as cesium_exists().
 * @r:		the ring.
 * @ns:		namespace id.
 * @key:	the key's bytes; in place until the completion is reaped.
 * @key_len:	its length.
 * @flags:	0.
 * @user_data:	returned in the completion.
 *
 * Return: 0 (queued), -EBUSY, or an argument error as cesium_exists().
 * The completion's result: 1 if the key exists, 0 if not, or -errno.
 */
int cesium_ring_exists(struct cesium_ring *r, uint64_t ns, const void *key,
		       size_t key_len, unsigned int flags, void *user_data);

/**
 * cesium_ring_submit() - hand the queued commands to the kernel.
 * @r:	the ring.
 *
 * Return: how many were submitted (0 if none were queued), or what
 * io_uring_enter(2) gave: -EBUSY (the completion queue is full), -EINTR,
 * -EAGAIN (out of resources), ...; -EFAULT for a NULL @r.
 */
int cesium_ring_submit(struct cesium_ring *r);

/**
 * cesium_ring_reap() - collect completions.
 * @r:		the ring.
 * @out:	where they go; may be NULL when @max is 0.
 * @max:	at most this many.
 * @min_wait:	wait until at least this many are in @out (0: take what is
 *		ready, never wait); submits the queued commands first.
 *
 * Return: the number of completions written (fewer than @min_wait only
 * if the kernel took fewer commands than were queued, or a signal came
 * after some were taken); -EINVAL if @min_wait is over @max or over the
 * commands outstanding (it would wait forever); -EINTR if a signal came
 * before any; -EFAULT for a NULL @r, or @out with a non-zero @max; an
 * error of cesium_ring_submit().
 */
int cesium_ring_reap(struct cesium_ring *r, struct cesium_completion *out,
		     unsigned int max, unsigned int min_wait);

/*
 * Control functions. Each opens CESIUM_CONTROL_PATH for the one call and
 * needs CAP_SYS_ADMIN: without it they fail with -EACCES (the node is 0600)
 * or -EPERM (the kernel's check). -ENOENT from any of them may also mean
 * that the control node is missing, i.e. the cesium module is not loaded.
 * Block device paths are passed to the kernel as given (a relative path is
 * relative to the caller's working directory); the kernel answers -ENOENT
 * (no such file), -ENOTBLK (not a block device), -EBUSY (attached, mounted
 * or otherwise held).
 */

/**
 * cesium_format() - write an empty CesiumDB store on a block device.
 * @bdev_path:	the block device, e.g. "/dev/nvme0n1".
 * @flags:	CESIUM_FORMAT_FORCE to overwrite a known signature.
 * @signature:	optional; receives the CESIUM_SIG_* the kernel found on the
 *		device, on success and on -EEXIST; untouched otherwise.
 *
 * Return: 0; -EEXIST if the device carries a known signature (a
 * filesystem, a partition table, a CesiumDB store) and @flags lacks
 * CESIUM_FORMAT_FORCE; -EINVAL if @bdev_path is empty, -ENAMETOOLONG if it
 * has CESIUM_PATH_MAX bytes or more; see above.
 */
int cesium_format(const char *bdev_path, unsigned int flags,
		  unsigned int *signature);

/**
 * cesium_attach() - attach a formatted block device as /dev/cesiumN.
 * @bdev_path:	the block device.
 *
 * Return: N (>= 0); -EMEDIUMTYPE if the device is not formatted for
 * CesiumDB; -EUCLEAN if its superblocks are damaged; -EBUSY if it is
 * already attached or held; -EINVAL, -ENAMETOOLONG as for cesium_format().
 */
int cesium_attach(const char *bdev_path);

/**
 * cesium_detach() - flush, checkpoint and detach /dev/cesiumN.
 * @index:	N.
 *
 * Return: 0; -EBUSY if the device has open handles; -ENODEV or -ENOENT if
 * no device N is attached.
 */
int cesium_detach(unsigned int index);

/**
 * cesium_list() - the attached devices.
 * @entries:	array to fill; may be NULL when @nr is 0, which asks only for
 *		the count.
 * @nr:		its length in entries.
 * @count:	optional; receives the number of attached devices, also on
 *		-EOVERFLOW.
 *
 * Return: the number of entries written, or -EOVERFLOW if more than @nr
 * devices are attached (then retry with *@count entries: devices may come
 * and go in between).
 */
int cesium_list(struct cesium_list_entry *entries, size_t nr, size_t *count);

/**
 * cesium_signature_name() - a short name for a CESIUM_SIG_* value.
 * @sig:	the signature.
 *
 * Return: a static string: "none", "CesiumDB", "partition table",
 * "ext2/3/4", "XFS", "Btrfs", "swap", or "unknown".
 */
const char *cesium_signature_name(unsigned int sig);

/**
 * cesium_state_name() - the name of a CESIUM_STATE_* value, as in sysfs.
 * @state:	the state.
 *
 * Return: a static string: "online", "read-only", "failed", or "unknown".
 */
const char *cesium_state_name(unsigned int state);

#ifdef __cplusplus
}
#endif

#endif /* CESIUM_H */
