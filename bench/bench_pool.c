/* bench_pool.c - one pool life: a million allocations, each freed at once, through the
 * harness's tracked pool or, as the baseline beside it, through malloc and free.
 *
 * bench.py reads the peak resident size of each mode with GNU time and prints the ratio; this
 * program only runs the loop and prints its own time. The sizes cycle through 16 to 1,008
 * bytes with a page-sized block every 64th, the mix a driver's request and buffer
 * allocations give.
 *
 *   bench-pool pool|malloc N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "platform/plat.h"

#define BENCH_TAG 0x6C6F6F50UL /* 'Pool' */

static size_t size_of(unsigned long i)
{
    return i % 64 == 63 ? PAGE_SIZE : 16 + (i * 48) % 1008;
}

int main(int argc, char **argv)
{
    unsigned long n, i;
    int pool;
    uint64_t t0;
    struct hh_engine *e = NULL;
    if (argc != 3 || (strcmp(argv[1], "pool") != 0 && strcmp(argv[1], "malloc") != 0)) {
        fputs("usage: bench-pool pool|malloc N\n", stderr);
        return 2;
    }
    pool = strcmp(argv[1], "pool") == 0;
    n = strtoul(argv[2], NULL, 10);
    if (pool) {
        e = hh_engine_new();
        hh_engine_make_current(e);
    }
    t0 = hh_plat_monotonic_ns();
    for (i = 0; i < n; i++) {
        size_t size = size_of(i);
        unsigned char *p = pool ? ExAllocatePoolWithTag(NonPagedPoolNx, size, BENCH_TAG)
                                : malloc(size);
        if (!p) {
            fprintf(stderr, "bench-pool: allocation %lu of %zu bytes failed\n", i, size);
            return 1;
        }
        p[0] = (unsigned char)i; /* touch it, as the caller would */
        if (pool)
            ExFreePoolWithTag(p, BENCH_TAG);
        else
            free(p);
    }
    printf("%s %lu allocations: %.3f s\n", argv[1], n,
           (double)(hh_plat_monotonic_ns() - t0) / 1e9);
    if (pool) {
        hh_engine_make_current(NULL);
        hh_engine_free(e);
    }
    return 0;
}
