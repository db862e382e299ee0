// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * SCAN on /dev/cesiumN, and walking the records it packs into a buffer.
 */
#include <string.h>
#include "private.h"

int cesium_scan(struct cesium *c, uint64_t ns, const void *start,
		size_t start_len, const void *end, size_t end_len,
		unsigned int flags, uint32_t limit, void *buf, size_t buf_len,
		struct cesium_scan_result *res)
{
	struct cesium_scan_cmd cmd;

	if (!c || !res)
		return -EFAULT;
	if (start_len > CESIUM_MAX_KEY_LEN || end_len > CESIUM_MAX_KEY_LEN)
		return -E2BIG;
	if ((!start && start_len) || (!end && end_len) || (!buf && buf_len))
		return -EFAULT;
	memset(res, 0, sizeof(*res));
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.flags = flags;
	cmd.ns = ns;
	cmd.start_ptr = cesium__ptr(start);
	cmd.start_len = (uint32_t)start_len;
	cmd.end_ptr = cesium__ptr(end);
	cmd.end_len = (uint32_t)end_len;
	cmd.buf_ptr = cesium__ptr(buf);
	cmd.buf_len = (uint64_t)buf_len > UINT32_MAX ? UINT32_MAX :
		      (uint32_t)buf_len;
	cmd.limit = limit;
	cmd.result_ptr = cesium__ptr(res);
	return cesium__ioctl(c->fd, CESIUM_IOC_SCAN, &cmd);
}

int cesium_scan_next_rec(const void *buf, size_t bytes, size_t *off,
			 const void **key, size_t *key_len,
			 const void **value, size_t *value_len)
{
	const unsigned char *p = buf;
	struct cesium_scan_rec rec;
	uint64_t need;

	if (!off || !key || !key_len || !value || !value_len)
		return -EFAULT;
	if (*off == bytes)
		return 0;
	if (!buf)
		return -EFAULT;
	if (*off > bytes || bytes - *off < sizeof(rec))
		return -EBADMSG;
	/* memcpy: the caller's buffer need not be 8-byte aligned. */
	memcpy(&rec, p + *off, sizeof(rec));
	need = ((uint64_t)sizeof(rec) + rec.key_len + rec.value_len + 7) &
	       ~(uint64_t)7;
	if (need > bytes - *off)
		return -EBADMSG;
	*key = p + *off + sizeof(rec);
	*key_len = rec.key_len;
	*value = p + *off + sizeof(rec) + rec.key_len;
	*value_len = rec.value_len;
	*off += (size_t)need;
	return 1;
}
