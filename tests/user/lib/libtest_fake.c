// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The guest test program build/tests/libtest, run on the host against
 * fakedev.so, a user-space stand-in for the module that follows
 * uapi/cesium.h: every check must pass. This tests libtest itself (that
 * what it expects is what the ABI says) and the library end to end, before
 * the VM runs it against the real module. LIBTEST and FAKEDEV are paths
 * given by the build.
 */
#include "test_spawn.h"

#if !defined(LIBTEST) || !defined(FAKEDEV)
#error "build with -DLIBTEST=\"...\" -DFAKEDEV=\"...\""
#endif

/* libtest's checks, in its order. */
static const char *const checks[] = {
	"open", "info", "roundtrip-binary", "binary-keys-distinct",
	"empty-value", "value-1mib", "value-max", "key-255", "overwrite",
	"namespaces", "exists", "empty-key-einval", "key-256-e2big",
	"value-over-max-e2big", "get-missing-enoent", "delete-missing-enoent",
	"get-eoverflow", "no-overwrite-eexist", "update-only-enoent",
	"durability", "bad-flags-einval", "reserved-einval",
	"unknown-ioctl-enotty", "readonly-ebadf", "list",
	"unprivileged-eacces", NULL
};

int main(void)
{
	static struct spawn_result r;
	char *argv[] = { (char *)LIBTEST, (char *)"/dev/cesium0", NULL };
	char owner[64], *env[] = { (char *)"LD_PRELOAD=" FAKEDEV, owner, NULL };
	char want[128], what[512], *line;
	size_t i;

	snprintf(owner, sizeof(owner), "FAKEDEV_OWNER=%u", geteuid());
	spawn(&r, argv, env);
	CHECK_INT(r.status, 0);
	line = r.out;
	for (i = 0; checks[i]; i++) {
		snprintf(want, sizeof(want), "CESIUM-RESULT PASS libtest/%s\n",
			 checks[i]);
		/* Not root: libtest skips the unprivileged check. */
		if (!strcmp(checks[i], "unprivileged-eacces") && geteuid() &&
		    !strncmp(line, "CESIUM-RESULT SKIP", 18)) {
			line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "";
			continue;
		}
		if (strncmp(line, want, strlen(want))) {
			snprintf(what, sizeof(what), "want \"%.*s\", got "
				 "\"%.200s\"", (int)strlen(want) - 1, want,
				 line);
			test_failed(__FILE__, __LINE__, what);
			break;
		}
		line += strlen(want);
	}
	CHECK(checks[i] || !*line);
	if (test_failures) {
		fputs(r.out, stderr);
		fputs(r.err, stderr);
	}
	return test_end("lib-libtest-fake");
}
