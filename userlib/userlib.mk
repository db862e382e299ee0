# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# libcesium-user: written by the userlib work.
