/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The structs of <linux/cesium.h> and the fields whose offsets compat32
 * compares between x86_64 and i386 (i386 aligns __u64 to 4 bytes, so a
 * field after an odd number of __u32s would move): abi64.c, built for the
 * host, prints the x86_64 figures; compat32.c, built with -m32, asserts
 * its own equal. X-macros: ABI_STRUCTS(S) calls S(name), ABI_FIELDS(F)
 * calls F(name, field).
 */
#ifndef ABI_LAYOUT_H
#define ABI_LAYOUT_H

#define ABI_STRUCTS(S)							\
	S(cesium_kv_cmd) S(cesium_scan_cmd) S(cesium_scan_result)	\
	S(cesium_scan_rec) S(cesium_batch_op) S(cesium_batch_cmd)	\
	S(cesium_sync_cmd) S(cesium_stats) S(cesium_stats_cmd)		\
	S(cesium_ns_cmd) S(cesium_check_cmd) S(cesium_check_result)	\
	S(cesium_info) S(cesium_info_cmd) S(cesium_ctl_cmd)		\
	S(cesium_list_entry) S(cesium_list_cmd)

#define ABI_FIELDS(F)							\
	F(cesium_kv_cmd, key_len) F(cesium_kv_cmd, value_ptr)		\
	F(cesium_kv_cmd, reserved)					\
	F(cesium_scan_cmd, buf_ptr) F(cesium_scan_cmd, result_ptr)	\
	F(cesium_scan_cmd, reserved) F(cesium_scan_result, bytes)	\
	F(cesium_batch_op, value_ptr) F(cesium_batch_op, result)	\
	F(cesium_batch_cmd, reserved) F(cesium_sync_cmd, reserved)	\
	F(cesium_stats, puts) F(cesium_stats, latency)			\
	F(cesium_stats_cmd, reserved) F(cesium_ns_cmd, count_ptr)	\
	F(cesium_check_cmd, damaged_ptr) F(cesium_check_cmd, reserved)	\
	F(cesium_info, features) F(cesium_info, capacity_bytes)	\
	F(cesium_info, uuid) F(cesium_info, reserved)			\
	F(cesium_info_cmd, reserved) F(cesium_ctl_cmd, result_ptr)	\
	F(cesium_ctl_cmd, reserved) F(cesium_list_entry, capacity_bytes) \
	F(cesium_list_entry, bdev_name) F(cesium_list_cmd, count_ptr)	\
	F(cesium_list_cmd, reserved)

#endif /* ABI_LAYOUT_H */
