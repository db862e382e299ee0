#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Run one of tools/fio/jobs/*.fio against CesiumDB with defaults for the
# variables the job files use.
#
#   tools/fio/run-job.sh JOB [VAR=VALUE...] [-- FIO_ARGS...]
#
# JOB is a job name (readrandom, ycsb-a, ...) or a path. VARs:
#   KEYS=100000      keys in the key space (loaded by fillrandom)
#   OPS=KEYS         operations of the runs that count them (in all:
#                    split among NUMJOBS jobs)
#   VALUE=400        value size in bytes
#   DEV=             cesiumN or /dev/cesiumN; empty: the only attached device
#   MODE=sync        sync (ioctl) or uring (uring_cmd)
#   QD=1             in-flight commands (MODE=uring)
#   NUMJOBS=1        jobs at once (readrandom, overwrite: fio numjobs)
#   DUR=default      durability of puts: default, sync, periodic, none
#   PREFIX=          key prefix (16-byte keys: 8 bytes of prefix)
#   DIST=zipf:0.99   YCSB key distribution (fio random_distribution)
#   RUNTIME=600      cap in seconds
#   SCAN_LEN=10      records per scan (scan.fio)
#   ENGINE=          cesium-engine.so (default: build/fio/ beside this
#                    script's tree, else /cesium/build/fio/ in the VM guest)
# Example, in a guest with a device attached:
#   tools/fio/run-job.sh fillrandom KEYS=100000 VALUE=400
#   tools/fio/run-job.sh ycsb-a KEYS=100000 VALUE=400 OPS=50000 MODE=uring QD=32
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { sed -n '4,/^set -eu/p' "$0" | sed -e '/^set -eu/d' -e 's/^# \{0,1\}//' >&2; exit 2; }
job=$1
shift
case "$job" in
*/*|*.fio) ;;
*) job=$here/jobs/$job.fio ;;
esac
[ -f "$job" ] || { echo "run-job.sh: no job file $job" >&2; exit 2; }
KEYS=100000 OPS='' VALUE=400 DEV='' MODE=sync QD=1 NUMJOBS=1 DUR=default PREFIX=''
DIST=zipf:0.99 RUNTIME=600 SCAN_LEN=10 ENGINE=
while [ $# -gt 0 ]; do
	case "$1" in
	--) shift; break ;;
	KEYS=*|OPS=*|VALUE=*|DEV=*|MODE=*|QD=*|NUMJOBS=*|DUR=*|PREFIX=*|DIST=*|RUNTIME=*|SCAN_LEN=*|ENGINE=*)
		eval "${1%%=*}=\${1#*=}" ;;
	*) echo "run-job.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$OPS" ] || OPS=$KEYS
if [ -z "$ENGINE" ]; then
	for e in "$here/../../build/fio/cesium-engine.so" /cesium/build/fio/cesium-engine.so; do
		[ -f "$e" ] && { ENGINE=$e; break; }
	done
fi
[ -n "$ENGINE" ] || { echo "run-job.sh: cesium-engine.so not found (make fio-engine)" >&2; exit 1; }
CESIUM_ENGINE=$ENGINE CESIUM_DEV=$DEV CESIUM_VALUE=$VALUE \
CESIUM_KEYS_BYTES=$((KEYS * VALUE)) CESIUM_OPS_BYTES=$(( (OPS / NUMJOBS) * VALUE )) \
CESIUM_MODE=$MODE CESIUM_QD=$QD CESIUM_NUMJOBS=$NUMJOBS CESIUM_DUR=$DUR CESIUM_KEY_PREFIX=$PREFIX \
CESIUM_YCSB_DIST=$DIST CESIUM_RUNTIME=$RUNTIME CESIUM_SCAN_LEN=$SCAN_LEN \
	exec fio "$@" "$job"
