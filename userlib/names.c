// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Names of the ABI's enumerations, for messages and listings.
 */
#include "private.h"

const char *cesium_signature_name(unsigned int sig)
{
	switch (sig) {
	case CESIUM_SIG_NONE:
		return "none";
	case CESIUM_SIG_CESIUM:
		return "CesiumDB";
	case CESIUM_SIG_PARTITION_TABLE:
		return "partition table";
	case CESIUM_SIG_EXT:
		return "ext2/3/4";
	case CESIUM_SIG_XFS:
		return "XFS";
	case CESIUM_SIG_BTRFS:
		return "Btrfs";
	case CESIUM_SIG_SWAP:
		return "swap";
	}
	return "unknown";
}

/* The same words as the sysfs attribute "state". */
const char *cesium_state_name(unsigned int state)
{
	switch (state) {
	case CESIUM_STATE_ONLINE:
		return "online";
	case CESIUM_STATE_READ_ONLY:
		return "read-only";
	case CESIUM_STATE_FAILED:
		return "failed";
	}
	return "unknown";
}
