# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# The one top-level build. Targets (DESIGN.md "The contract users see"):
#   make            cesium.ko, libcesium-user (.so and .a), cesiumctl
#   make demo       the main job in a VM: format, attach, put/get, reboot
#   make check      every test tier; last line "N passed, N failed"
#   make check-debug  the whole VM suite on the debug (KASAN, lockdep) kernel
#   make vm-shell   an interactive guest with everything loaded
#   make deps       install what is missing from Debian's archive
#   make install    the library, its headers and pkg-config file, cesiumctl,
#                   the man pages and the udev rule (see "Installing")
#   make uninstall  removes what make install installed
# Each of demo, check and all runs deps first.

KVER ?= $(shell ls -1 /usr/src 2>/dev/null | \
	sed -n 's/^linux-headers-\([0-9.]*-[0-9]*-amd64\)$$/\1/p' | sort -V | tail -n 1)
KDIR ?= /usr/src/linux-headers-$(KVER)
CESIUM_CACHE ?= $(HOME)/.cache/cesiumdb
export KVER KDIR CESIUM_CACHE

B := build
CC ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 -I$(B)/include -Iuserlib
USER_LDFLAGS :=

.PHONY: all deps module userlib tools clean demo check check-debug vm-shell \
	check-static check-user check-kunit check-vm install uninstall

all: deps
	@$(MAKE) --no-print-directory module userlib tools

deps:
	@tools/deps.sh

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The ABI header, where user space includes it from: <linux/cesium.h>.
$(B)/include/linux/cesium.h: uapi/cesium.h
	@mkdir -p $(dir $@)
	cp $< $@

include userlib/userlib.mk
include tools/tools.mk
include tests/tests.mk
include tests/vm/progs/progs.mk

# ---- Installing ----
# make install [PREFIX=/usr/local] [DESTDIR=staging]: prefix (or PREFIX) and
# the GNU directory variables below (libdir, includedir, bindir, mandir,
# pkgconfigdir, udevrulesdir) say where things go and what the .pc file
# says; DESTDIR is put in front of every path, for staging and packaging.
# It installs what is built, building it first if need be; not the module
# (see README.md). Neither runs ldconfig.
#   $(libdir)         libcesium-user.so.$(USERLIB_VERSION), the .so.1 and .so
#                     links, libcesium-user.a
#   $(pkgconfigdir)   libcesium-user.pc
#   $(includedir)     cesium.h (the library's), linux/cesium.h (the ABI)
#   $(bindir)         cesiumctl
#   $(mandir)         man3 (a page per function), man4/cesium.4 (the
#                     devices and their commands), man7/libcesium-user.7,
#                     man8/cesiumctl.8
#   $(udevrulesdir)   60-cesium.rules (default /etc/udev/rules.d, which
#                     udev reads whatever the prefix; packagers may prefer
#                     /usr/lib/udev/rules.d)
bindir ?= $(prefix)/bin
mandir ?= $(prefix)/share/man
pkgconfigdir ?= $(libdir)/pkgconfig
udevrulesdir ?= /etc/udev/rules.d
INSTALL ?= install
MAN3 := $(wildcard userlib/man/*.3)
MAN4 := $(wildcard userlib/man/*.4)
MAN7 := $(wildcard userlib/man/*.7)
MAN8 := tools/cesiumctl/cesiumctl.8
USERLIB_REAL := libcesium-user.so.$(USERLIB_VERSION)

install: userlib tools
	$(INSTALL) -d $(DESTDIR)$(libdir) $(DESTDIR)$(pkgconfigdir) \
		$(DESTDIR)$(includedir)/linux $(DESTDIR)$(bindir) \
		$(DESTDIR)$(mandir)/man3 $(DESTDIR)$(mandir)/man4 \
		$(DESTDIR)$(mandir)/man7 $(DESTDIR)$(mandir)/man8 \
		$(DESTDIR)$(udevrulesdir)
	$(INSTALL) -m 0755 $(USERLIB_SO) $(DESTDIR)$(libdir)/$(USERLIB_REAL)
	ln -sfn $(USERLIB_REAL) $(DESTDIR)$(libdir)/$(USERLIB_SONAME)
	ln -sfn $(USERLIB_SONAME) $(DESTDIR)$(libdir)/libcesium-user.so
	$(INSTALL) -m 0644 $(USERLIB_A) $(DESTDIR)$(libdir)/libcesium-user.a
	$(USERLIB_PC_SED) userlib/libcesium-user.pc.in \
		>$(DESTDIR)$(pkgconfigdir)/libcesium-user.pc
	$(INSTALL) -m 0644 userlib/cesium.h $(DESTDIR)$(includedir)/cesium.h
	$(INSTALL) -m 0644 uapi/cesium.h $(DESTDIR)$(includedir)/linux/cesium.h
	$(INSTALL) -m 0755 $(B)/cesiumctl $(DESTDIR)$(bindir)/cesiumctl
	$(INSTALL) -m 0644 $(MAN3) $(DESTDIR)$(mandir)/man3
	$(if $(MAN4),$(INSTALL) -m 0644 $(MAN4) $(DESTDIR)$(mandir)/man4)
	$(INSTALL) -m 0644 $(MAN7) $(DESTDIR)$(mandir)/man7
	$(INSTALL) -m 0644 $(MAN8) $(DESTDIR)$(mandir)/man8
	$(INSTALL) -m 0644 tools/udev/60-cesium.rules $(DESTDIR)$(udevrulesdir)

uninstall:
	rm -f $(addprefix $(DESTDIR)$(libdir)/,$(USERLIB_REAL) $(USERLIB_SONAME) \
		libcesium-user.so libcesium-user.a) \
		$(DESTDIR)$(pkgconfigdir)/libcesium-user.pc \
		$(DESTDIR)$(includedir)/cesium.h \
		$(DESTDIR)$(includedir)/linux/cesium.h \
		$(DESTDIR)$(bindir)/cesiumctl \
		$(addprefix $(DESTDIR)$(mandir)/man3/,$(notdir $(MAN3))) \
		$(addprefix $(DESTDIR)$(mandir)/man4/,$(notdir $(MAN4))) \
		$(addprefix $(DESTDIR)$(mandir)/man7/,$(notdir $(MAN7))) \
		$(addprefix $(DESTDIR)$(mandir)/man8/,$(notdir $(MAN8))) \
		$(DESTDIR)$(udevrulesdir)/60-cesium.rules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(B)
