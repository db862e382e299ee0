# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# make install and uninstall into staging folders (tests/user/install.sh, a
# shell script; it runs make itself, from the repository root).
USER_TESTS += $(B)/tests/user/install

$(B)/tests/user/install: tests/user/install.sh
	@mkdir -p $(@D)
	cp $< $@
	chmod +x $@
