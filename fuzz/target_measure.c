/* target_measure.c - what a target costs per input, with nothing else in the measure: the
 * inputs are read into memory once, then played through LLVMFuzzerTestOneInput round after
 * round, timed by the process's CPU time.
 *
 * libFuzzer's own replay (files given on its command line) reads each file again for every
 * run, which on short inputs costs more than the run; fuzzing adds mutation and corpus work,
 * and each target keeps different inputs. scripts/fuzz-measure.sh compares a target and the
 * bare baseline on the same bytes with this.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"
#include "target.h"

struct measure_input {
    char *data;
    size_t len;
};

struct measure_set {
    struct measure_input *in;
    size_t n, cap;
};

static void measure_fail(const char *what)
{
    fprintf(stderr, "hotswap-harness fuzz --measure: error: %s\n", what);
    exit(2);
}

static void add_file(struct measure_set *s, const char *path)
{
    char err[512];
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        struct measure_input *grown = realloc(s->in, cap * sizeof(*grown));
        if (!grown)
            measure_fail("out of memory");
        s->in = grown;
        s->cap = cap;
    }
    if (hh_plat_read_file(path, 64u << 20, &s->in[s->n].data, &s->in[s->n].len, err,
                          sizeof(err)) != 0)
        measure_fail(err);
    s->n++;
}

static void add_path(struct measure_set *s, const char *path)
{
    char **names, err[512];
    size_t n, i;
    if (hh_plat_path_kind(path) != HH_PLAT_DIR) {
        add_file(s, path);
        return;
    }
    if (hh_plat_list_dir(path, &names, &n, err, sizeof(err)) != 0)
        measure_fail(err);
    for (i = 0; i < n; i++) {
        char *full = malloc(strlen(path) + strlen(names[i]) + 2);
        if (!full)
            measure_fail("out of memory");
        sprintf(full, "%s%c%s", path, hh_plat_dir_separator(), names[i]);
        add_path(s, full);
        free(full);
    }
    hh_plat_free_list(names, n);
}

void hh_fuzz_measure(struct hh_fuzz_target *t, int argc, char **argv)
{
    struct measure_set s = {NULL, 0, 0};
    unsigned long rounds = t->measure_rounds, r, rejected = 0;
    unsigned long long before;
    uint64_t start, end;
    double seconds, inputs;
    size_t i;
    int k;
    for (k = 1; k < argc; k++) {
        if (argv[k][0] != '-')
            add_path(&s, argv[k]);
    }
    if (s.n == 0)
        measure_fail("--measure=N replays the inputs in the files and folders given; none was");
    for (i = 0; i < s.n; i++) { /* once outside the clock: what the first run sets up */
        if (LLVMFuzzerTestOneInput((const uint8_t *)s.in[i].data, s.in[i].len) != 0)
            rejected++;
    }
    before = t->invocations;
    start = hh_plat_cpu_ns();
    for (r = 0; r < rounds; r++) {
        for (i = 0; i < s.n; i++)
            LLVMFuzzerTestOneInput((const uint8_t *)s.in[i].data, s.in[i].len);
    }
    end = hh_plat_cpu_ns();
    seconds = (double)(end - start) / 1e9; /* 0 where the OS's clock is coarser than the run */
    inputs = (double)s.n * (double)rounds;
    /* One line a script reads: name=value pairs. */
    printf("measure: target=%s inputs=%lu rejected=%lu rounds=%lu cpu_seconds=%.6f "
           "exec_per_cpu_second=%.0f invocations_per_input=%.1f ns_per_invocation=%.1f\n",
           t->name, (unsigned long)s.n, rejected, rounds, seconds,
           seconds > 0 ? inputs / seconds : 0.0,
           (double)(t->invocations - before) / inputs,
           t->invocations > before ? seconds * 1e9 / (double)(t->invocations - before) : 0.0);
    for (i = 0; i < s.n; i++)
        free(s.in[i].data);
    free(s.in);
    fflush(stdout);
    exit(0);
}
