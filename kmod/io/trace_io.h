/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of device I/O through the bio backend:
 * events/cesium_io/cesium_io in tracefs. Created in bio.c.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM cesium_io

#if !defined(_CESIUM_IO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _CESIUM_IO_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(cesium_io,
	TP_PROTO(const char *name, bool write, u64 off, u64 len,
		 unsigned int flags, int ret),
	TP_ARGS(name, write, off, len, flags, ret),
	TP_STRUCT__entry(
		__string(name, name)
		__field(bool, write)
		__field(u64, off)
		__field(u64, len)
		__field(unsigned int, flags)
		__field(int, ret)
	),
	TP_fast_assign(
		__assign_str(name, name);
		__entry->write = write;
		__entry->off = off;
		__entry->len = len;
		__entry->flags = flags;
		__entry->ret = ret;
	),
	TP_printk("%s %s off=%llu len=%llu%s%s ret=%d", __get_str(name),
		  __entry->write ? "write" : "read", __entry->off, __entry->len,
		  __entry->flags & 1 ? " preflush" : "",
		  __entry->flags & 2 ? " fua" : "", __entry->ret)
);

#endif /* _CESIUM_IO_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace_io
#include <trace/define_trace.h>
