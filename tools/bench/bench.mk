# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# The fio engine and the benchmarks. Included by tools/tools.mk.
#
#   make fio-engine  build/fio/cesium-engine.so, fio 3.33's external ioengine
#                    for CesiumDB (tools/fio/cesium_engine.c), built against
#                    fio's own source, which tools/deps.sh fetches and
#                    configures in $(CESIUM_CACHE)/fio-3.33. Part of `make`.
#   make bench       one VM run on one emulated NVMe drive: the raw device
#                    (fio io_uring), CesiumDB (fio + the engine) and RocksDB
#                    (db_bench on ext4); the table and plots land in
#                    tools/bench/results/ (tools/bench/run.sh), with
#                    profile.md, CPU profiles taken after the measured
#                    runs. Options: make bench BENCH_ARGS="--quick" (or
#                    "--profile-only", "--no-profile"; run.sh --help).
#
# The engine links libcesium-user (.so, run path $ORIGIN/.. : build/ and
# PREFIX/lib when the engine sits in build/fio/ or PREFIX/lib/fio/) and
# liburing.

FIO_SRC ?= $(CESIUM_CACHE)/fio-3.33
FIO_ENGINE := $(B)/fio/cesium-engine.so
# fio's headers are not -Wextra clean: -isystem keeps their warnings out,
# ours stay errors.
FIO_ENGINE_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 -fPIC \
	-D_GNU_SOURCE -include $(FIO_SRC)/config-host.h -isystem $(FIO_SRC) \
	-I$(B)/include -Iuserlib

.PHONY: fio-engine bench

fio-engine: $(FIO_ENGINE)

tools: fio-engine

$(FIO_SRC)/config-host.h:
	@tools/deps.sh

$(FIO_ENGINE): tools/fio/cesium_engine.c $(FIO_SRC)/config-host.h \
		$(B)/include/linux/cesium.h userlib/cesium.h $(USERLIB_SO) \
		$(B)/libcesium-user.so
	@mkdir -p $(@D)
	$(CC) $(FIO_ENGINE_CFLAGS) -shared -o $@ $< \
		-Wl,-rpath,'$$ORIGIN/..' -L$(B) -lcesium-user -luring -lm

bench: deps
	@$(MAKE) --no-print-directory module userlib tools
	@tools/bench/run.sh $(BENCH_ARGS)
