/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the data commands: events/cesium/cesium_cmd in tracefs.
 * Created in cmd.c.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM cesium

#if !defined(_CESIUM_IFACE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _CESIUM_IFACE_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(cesium_cmd,
	TP_PROTO(int dev, unsigned int nr, long ret, u64 latency_ns),
	TP_ARGS(dev, nr, ret, latency_ns),
	TP_STRUCT__entry(
		__field(int, dev)
		__field(unsigned int, nr)
		__field(long, ret)
		__field(u64, latency_ns)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->nr = nr;
		__entry->ret = ret;
		__entry->latency_ns = latency_ns;
	),
	TP_printk("cesium%d cmd=%s ret=%ld latency_ns=%llu",
		  __entry->dev,
		  __print_symbolic(__entry->nr,
				   { 0x40, "get" }, { 0x41, "put" },
				   { 0x42, "delete" }, { 0x43, "exists" },
				   { 0x44, "info" }, { 0x45, "scan" },
				   { 0x46, "batch" }, { 0x47, "sync" },
				   { 0x48, "stats" }, { 0x49, "namespaces" },
				   { 0x4a, "check" }),
		  __entry->ret, __entry->latency_ns)
);

#endif /* _CESIUM_IFACE_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace_cmd
#include <trace/define_trace.h>
