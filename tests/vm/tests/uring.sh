#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# VM suite "uring": the data commands as io_uring uring_cmds (SQE128):
# results and errors in cqe->res, 64 commands in flight, a ring without
# SQE128 and a read-only file refused (build/tests/uringtest); and the
# tracepoints of commands and device I/O through tracefs. One boot.
set -euo pipefail
vm=$(cd "$(dirname "$0")/.." && pwd)
exec "$vm/run.sh" --name uring "$vm/guest/uring.sh"
