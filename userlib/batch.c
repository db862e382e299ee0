// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * BATCH and SYNC on /dev/cesiumN.
 */
#include <string.h>
#include "private.h"

/* A length for a 32-bit ABI field: too long stays too long (-E2BIG). */
static uint32_t len32(size_t len)
{
	return (uint64_t)len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
}

void cesium_batch_op_put(struct cesium_batch_op *op, uint64_t ns,
			 const void *key, size_t key_len, const void *value,
			 size_t value_len, unsigned int flags)
{
	memset(op, 0, sizeof(*op));
	op->op = CESIUM_OP_PUT;
	op->flags = flags;
	op->ns = ns;
	op->key_ptr = cesium__ptr(key);
	op->key_len = len32(key_len);
	op->value_ptr = cesium__ptr(value);
	op->value_len = len32(value_len);
}

void cesium_batch_op_delete(struct cesium_batch_op *op, uint64_t ns,
			    const void *key, size_t key_len)
{
	memset(op, 0, sizeof(*op));
	op->op = CESIUM_OP_DELETE;
	op->ns = ns;
	op->key_ptr = cesium__ptr(key);
	op->key_len = len32(key_len);
}

int cesium_batch(struct cesium *c, struct cesium_batch_op *ops, size_t nr,
		 unsigned int flags)
{
	struct cesium_batch_cmd cmd;
	size_t i;

	if (!c || !ops)
		return -EFAULT;
	if (!nr)
		return -EINVAL;
	if ((uint64_t)nr > UINT32_MAX)
		return -E2BIG;
	/* The kernel takes only a zero result: clear a previous run's. */
	for (i = 0; i < nr; i++)
		ops[i].result = 0;
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.flags = flags;
	cmd.ops_ptr = cesium__ptr(ops);
	cmd.nr_ops = (uint32_t)nr;
	cmd.op_size = sizeof(*ops);
	return cesium__ioctl(c->fd, CESIUM_IOC_BATCH, &cmd);
}

int cesium_sync(struct cesium *c)
{
	struct cesium_sync_cmd cmd;

	if (!c)
		return -EFAULT;
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	return cesium__ioctl(c->fd, CESIUM_IOC_SYNC, &cmd);
}
