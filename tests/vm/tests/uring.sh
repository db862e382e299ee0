#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "uring": the data commands as io_uring uring_cmds (SQE128):
# results and errors in cqe->res, 64 commands in flight, a ring without
# SQE128 and a read-only file refused (build/tests/uringtest); 64 GETs of
# 4 KiB values in flight completing asynchronously (stats/uring_async, none
# punted to io-wq) and their errors (-ENOENT, -EOVERFLOW with the length,
# -EFAULT, -EUCLEAN for a damaged record); SCANs whose values are read
# from the device queued from io-wq and completing asynchronously (32 in
# flight, -EFAULT, -EOVERFLOW, -EUCLEAN); rmmod and DETACH refused while
# GETs and SCANs are in flight, a process that exits with them in flight;
# and the tracepoints of commands and device I/O through tracefs. One boot, two drives (the damaged record on the second).
# Arguments are more run.sh options (e.g. --verbose).
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name uring --drive nvme0:256M --drive nvme1:64M "$@" \
	"$vm/guest/uring.sh"
