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
 * write through a handle opened O_RDONLY, -EAGAIN would block on a handle
 * opened O_NONBLOCK.
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
