// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The shared library's interface: <cesium.h> compiles on its own (it is
 * this file's first include; the build also compiles it as C++), every
 * public function is exported at version LIBCESIUM_1.0, and nothing else
 * is: the ELF dynamic symbol table holds only those names. LIBCESIUM_SO
 * is the library's path, given by the build.
 */
#define _GNU_SOURCE	/* dlvsym; cesium.h needs nothing of it */
#include <cesium.h>

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"

#ifndef LIBCESIUM_SO
#error "build with -DLIBCESIUM_SO=\"path/to/libcesium-user.so.1\""
#endif

static const char *const api[] = {
	"cesium_open", "cesium_close", "cesium_fd", "cesium_put",
	"cesium_get", "cesium_get_alloc", "cesium_delete", "cesium_exists",
	"cesium_info", "cesium_format", "cesium_attach", "cesium_detach",
	"cesium_list", "cesium_signature_name", "cesium_state_name",
	"cesium_sync", "cesium_batch", "cesium_batch_op_put",
	"cesium_batch_op_delete", "cesium_scan", "cesium_scan_next_rec",
	"cesium_iter_open", "cesium_iter_seek", "cesium_iter_seek_for_prev",
	"cesium_iter_next", "cesium_iter_prev", "cesium_iter_valid",
	"cesium_iter_key", "cesium_iter_value", "cesium_iter_close",
	"cesium_stats", "cesium_namespaces", "cesium_check", "cesium_ring_open", "cesium_ring_close",
	"cesium_ring_put", "cesium_ring_get", "cesium_ring_delete",
	"cesium_ring_exists", "cesium_ring_submit", "cesium_ring_reap", NULL
};

static int in_api(const char *name)
{
	const char *const *p;

	for (p = api; *p; p++)
		if (!strcmp(*p, name))
			return 1;
	return 0;
}

/* Every defined dynamic symbol of the ELF file at @path is in api[]. */
static void check_dynsym(const char *path)
{
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	const Elf64_Sym *sym = NULL;
	const char *str = NULL;
	size_t nsyms = 0, i, exported = 0;
	struct stat st;
	char what[256];
	void *map;
	int fd;

	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	if (fd < 0 || fstat(fd, &st))
		return;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	CHECK(map != MAP_FAILED);
	if (map == MAP_FAILED)
		return;
	eh = map;
	CHECK(!memcmp(eh->e_ident, ELFMAG, SELFMAG) &&
	      eh->e_ident[EI_CLASS] == ELFCLASS64);
	sh = (const Elf64_Shdr *)((const char *)map + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		sym = (const Elf64_Sym *)((const char *)map + sh[i].sh_offset);
		nsyms = sh[i].sh_size / sizeof(*sym);
		str = (const char *)map + sh[sh[i].sh_link].sh_offset;
	}
	CHECK(sym != NULL);
	for (i = 0; sym && i < nsyms; i++) {
		const char *name = str + sym[i].st_name;

		if (sym[i].st_shndx == SHN_UNDEF || !*name)
			continue;
		/* The version definition's own absolute symbol. */
		if (sym[i].st_shndx == SHN_ABS && !strcmp(name, "LIBCESIUM_1.0"))
			continue;
		if (!in_api(name)) {
			snprintf(what, sizeof(what), "%s exported", name);
			test_failed(__FILE__, __LINE__, what);
		}
		exported++;
	}
	CHECK_INT(exported, sizeof(api) / sizeof(api[0]) - 1);
	munmap(map, (size_t)st.st_size);
}

int main(void)
{
	const char *const *p;
	char what[256];
	void *h;

	h = dlopen(LIBCESIUM_SO, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		CHECK(h != NULL);
		return test_end("lib-symbols");
	}
	for (p = api; *p; p++) {
		if (dlvsym(h, *p, "LIBCESIUM_1.0"))
			continue;
		snprintf(what, sizeof(what), "%s@LIBCESIUM_1.0 missing", *p);
		test_failed(__FILE__, __LINE__, what);
	}
	CHECK(dlsym(h, "cesium__resolve") == NULL);
	CHECK(dlsym(h, "cesium__paths") == NULL);
	dlclose(h);
	check_dynsym(LIBCESIUM_SO);
	return test_end("lib-symbols");
}
