/* bench_load.c - the baseline for a whole `hotswap-harness run`: a program that does the
 * least a run must, loading the routine module, resolving the routine and reading each
 * scenario file, and then exits. bench/bench.py times it beside the harness.
 *
 *   bench-load MODULE ROUTINE [FILE...]    exit 0, or 2 when the module, symbol or a file fails
 */
#include <stdio.h>
#include <stdlib.h>

#include "platform/plat.h"

int main(int argc, char **argv)
{
    struct hh_plat_lib *lib;
    char err[512];
    int i;
    if (argc < 3) {
        fputs("usage: bench-load MODULE ROUTINE [FILE...]\n", stderr);
        return 2;
    }
    if (hh_plat_dlopen(argv[1], &lib, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench-load: %s: %s\n", argv[1], err);
        return 2;
    }
    if (!hh_plat_dlsym(lib, argv[2])) {
        fprintf(stderr, "bench-load: %s: no %s\n", argv[1], argv[2]);
        return 2;
    }
    for (i = 3; i < argc; i++) {
        char *data;
        size_t len;
        if (hh_plat_read_file(argv[i], (size_t)1 << 24, &data, &len, err, sizeof(err)) != 0) {
            fprintf(stderr, "bench-load: %s: %s\n", argv[i], err);
            return 2;
        }
        free(data);
    }
    hh_plat_dlclose(lib);
    return 0;
}
