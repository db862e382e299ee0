// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Data commands: PUT, GET, DELETE, EXISTS, INFO and STATS on /dev/cesiumN.
 */
#include <stdlib.h>
#include <string.h>
#include "private.h"

/* What get_alloc() tries first: most values are small. */
#define GET_ALLOC_FIRST_BYTES	4096

/* The cheap checks of a key, made before any system call (see cesium.h). */
int cesium__check_key(const void *key, size_t key_len)
{
	if (!key_len)
		return -EINVAL;
	if (key_len > CESIUM_MAX_KEY_LEN)
		return -E2BIG;
	if (!key)
		return -EFAULT;
	return 0;
}

static int check_key(const struct cesium *c, const void *key, size_t key_len)
{
	return c ? cesium__check_key(key, key_len) : -EFAULT;
}

void cesium__kv_init(struct cesium_kv_cmd *cmd, uint64_t ns, const void *key,
		     size_t key_len, unsigned int flags)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->size = sizeof(*cmd);
	cmd->flags = flags;
	cmd->ns = ns;
	cmd->key_ptr = cesium__ptr(key);
	cmd->key_len = (uint32_t)key_len;
}

/* A PUT command, checked; shared with async.c. 0 or a negative errno. */
int cesium__put_cmd(struct cesium_kv_cmd *cmd, uint64_t ns, const void *key,
		    size_t key_len, const void *value, size_t value_len,
		    unsigned int flags)
{
	int ret = cesium__check_key(key, key_len);

	if (ret)
		return ret;
	if ((uint64_t)value_len > UINT32_MAX)
		return -E2BIG;
	if (!value && value_len)
		return -EFAULT;
	cesium__kv_init(cmd, ns, key, key_len, flags);
	cmd->value_ptr = cesium__ptr(value);
	cmd->value_len = (uint32_t)value_len;
	return 0;
}

/*
 * A GET command into @buf, the value's length to *@len_out; checked,
 * shared with async.c. 0 or a negative errno.
 */
int cesium__get_cmd(struct cesium_kv_cmd *cmd, uint64_t ns, const void *key,
		    size_t key_len, void *buf, size_t buf_len,
		    uint64_t *len_out, unsigned int flags)
{
	int ret = cesium__check_key(key, key_len);

	if (ret)
		return ret;
	if (!buf && buf_len)
		return -EFAULT;
	cesium__kv_init(cmd, ns, key, key_len, flags);
	cmd->value_ptr = cesium__ptr(buf);
	/* Telling the kernel of less room than we have is always safe. */
	cmd->value_len = (uint64_t)buf_len > UINT32_MAX ?
			 UINT32_MAX : (uint32_t)buf_len;
	cmd->value_len_ptr = cesium__ptr(len_out);
	return 0;
}

int cesium_put(struct cesium *c, uint64_t ns, const void *key, size_t key_len,
	       const void *value, size_t value_len, unsigned int flags)
{
	struct cesium_kv_cmd cmd;
	int ret;

	if (!c)
		return -EFAULT;
	ret = cesium__put_cmd(&cmd, ns, key, key_len, value, value_len, flags);
	if (ret)
		return ret;
	return cesium__ioctl(c->fd, CESIUM_IOC_PUT, &cmd);
}

int cesium_get(struct cesium *c, uint64_t ns, const void *key, size_t key_len,
	       void *buf, size_t buf_len, size_t *value_len,
	       unsigned int flags)
{
	struct cesium_kv_cmd cmd;
	uint64_t len = 0;
	int ret;

	if (!c)
		return -EFAULT;
	ret = cesium__get_cmd(&cmd, ns, key, key_len, buf, buf_len, &len,
			      flags);
	if (ret)
		return ret;
	ret = cesium__ioctl(c->fd, CESIUM_IOC_GET, &cmd);
	if ((ret == 0 || ret == -EOVERFLOW) && value_len) {
		if (len > SIZE_MAX)
			return -EOVERFLOW;
		*value_len = (size_t)len;
	}
	return ret;
}

int cesium_get_alloc(struct cesium *c, uint64_t ns, const void *key,
		     size_t key_len, void **value, size_t *value_len,
		     unsigned int flags)
{
	size_t room = GET_ALLOC_FIRST_BYTES, len = 0;
	char *buf = NULL, *bigger;
	int ret;

	ret = check_key(c, key, key_len);
	if (ret)
		return ret;
	if (!value || !value_len)
		return -EFAULT;
	for (;;) {
		/* One byte more for the NUL that follows the value. */
		bigger = realloc(buf, room + 1);
		if (!bigger) {
			ret = -ENOMEM;
			break;
		}
		buf = bigger;
		ret = cesium_get(c, ns, key, key_len, buf, room, &len, flags);
		if (ret != -EOVERFLOW)
			break;
		/*
		 * The value may have grown since; a length that would have
		 * fit is a kernel bug, which must not make us spin.
		 */
		if (len <= room) {
			ret = -EIO;
			break;
		}
		if (len >= SIZE_MAX) {
			ret = -ENOMEM;
			break;
		}
		room = len;
	}
	if (ret) {
		free(buf);
		return ret;
	}
	buf[len] = '\0';
	*value = buf;
	*value_len = len;
	return 0;
}

int cesium_delete(struct cesium *c, uint64_t ns, const void *key,
		  size_t key_len, unsigned int flags)
{
	struct cesium_kv_cmd cmd;
	int ret;

	ret = check_key(c, key, key_len);
	if (ret)
		return ret;
	cesium__kv_init(&cmd, ns, key, key_len, flags);
	return cesium__ioctl(c->fd, CESIUM_IOC_DELETE, &cmd);
}

int cesium_exists(struct cesium *c, uint64_t ns, const void *key,
		  size_t key_len, unsigned int flags)
{
	struct cesium_kv_cmd cmd;
	int ret;

	ret = check_key(c, key, key_len);
	if (ret)
		return ret;
	cesium__kv_init(&cmd, ns, key, key_len, flags);
	return cesium__ioctl(c->fd, CESIUM_IOC_EXISTS, &cmd);
}

int cesium_info(struct cesium *c, struct cesium_info *info)
{
	struct cesium_info_cmd cmd;

	if (!c || !info)
		return -EFAULT;
	memset(info, 0, sizeof(*info));
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.info_ptr = cesium__ptr(info);
	cmd.info_len = sizeof(*info);
	return cesium__ioctl(c->fd, CESIUM_IOC_INFO, &cmd);
}

int cesium_stats(struct cesium *c, struct cesium_stats *st)
{
	struct cesium_stats_cmd cmd;

	if (!c || !st)
		return -EFAULT;
	memset(st, 0, sizeof(*st));
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.stats_ptr = cesium__ptr(st);
	cmd.stats_len = sizeof(*st);
	return cesium__ioctl(c->fd, CESIUM_IOC_STATS, &cmd);
}

int cesium_namespaces(struct cesium *c, uint64_t *ids, size_t nr,
		      size_t *count)
{
	struct cesium_ns_cmd cmd;
	uint64_t total = 0;
	int ret;

	if (!c || (nr && !ids))
		return -EFAULT;
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.ids_ptr = cesium__ptr(ids);
	cmd.nr_ids = nr > UINT32_MAX ? UINT32_MAX : (uint32_t)nr;
	cmd.count_ptr = cesium__ptr(&total);
	ret = cesium__ioctl(c->fd, CESIUM_IOC_NAMESPACES, &cmd);
	if ((ret >= 0 || ret == -EOVERFLOW) && count)
		*count = total;
	return ret;
}

int cesium_check(struct cesium *c, uint64_t offset, uint64_t max_bytes,
		 uint64_t *damaged, size_t nr_damaged,
		 struct cesium_check_result *res)
{
	struct cesium_check_cmd cmd;

	if (!c || !res || (nr_damaged && !damaged))
		return -EFAULT;
	memset(res, 0, sizeof(*res));
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.offset = offset;
	cmd.max_bytes = max_bytes;
	cmd.result_ptr = cesium__ptr(res);
	cmd.damaged_ptr = cesium__ptr(damaged);
	cmd.nr_damaged = nr_damaged > UINT32_MAX ? UINT32_MAX :
						   (uint32_t)nr_damaged;
	return cesium__ioctl(c->fd, CESIUM_IOC_CHECK, &cmd);
}
