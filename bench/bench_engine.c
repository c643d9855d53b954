/* bench_engine.c - the engine's throughput and memory, each against a baseline measured beside
 * it in this process (the machines here are shared and noisy: only ratios mean anything).
 *
 * Throughput: invocations through the virtual worker loop (the wait model's step and the
 * routine's call) against a bare loop calling the same routine of the same module through a
 * function pointer, alternating the two and keeping the best round of each. Memory: the
 * resident size that engines with started workers add, per engine, beside the process's own.
 * Prints Markdown tables; never judges (no timing assertion anywhere).
 *
 *   bench-engine [--quick] MODULE     MODULE: the path of the bench_routine module
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "platform/plat.h"

/* How an invocation comes about. */
#define BENCH_SIGNAL 0  /* the driver sets an event, the woken worker runs the routine */
#define BENCH_TIMEOUT 1 /* the clock moves to the wait's deadline, the timeout wakes it */
#define BENCH_LOOP 2    /* the objects stay signaled: the worker never blocks */

struct bench_case {
    int kind;
    WAIT_TYPE wait;
    ULONG nobjects;
};

static const char *const kind_names[] = {"signal", "timeout", "no block"};

static const struct bench_case cases[] = {
    {BENCH_SIGNAL, WaitAny, 1},  {BENCH_SIGNAL, WaitAny, 8},  {BENCH_SIGNAL, WaitAny, 64},
    {BENCH_SIGNAL, WaitAll, 8},  {BENCH_SIGNAL, WaitAll, 64}, {BENCH_TIMEOUT, WaitAny, 1},
    {BENCH_TIMEOUT, WaitAny, 8}, {BENCH_TIMEOUT, WaitAny, 64}, {BENCH_TIMEOUT, WaitAll, 64},
    {BENCH_LOOP, WaitAny, 1},    {BENCH_LOOP, WaitAny, 8},    {BENCH_LOOP, WaitAny, 64},
    {BENCH_LOOP, WaitAll, 8},    {BENCH_LOOP, WaitAll, 64},
};

struct routines {
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE plain;     /* BenchRoutine: TRUE */
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE countdown; /* BenchCountdownRoutine */
};

/* One engine set up for a case: its objects made, its worker configured (and, unless the
 * case never blocks, started and blocked in its wait). */
struct rig {
    struct hh_engine *e;
    PVOID objects[MAXIMUM_WAIT_OBJECTS];
    const struct bench_case *c;
    LONG left; /* the countdown routine's context */
};

static void die(const char *what)
{
    fprintf(stderr, "bench-engine: %s\n", what);
    exit(1);
}

static void rig_init(struct rig *r, const struct bench_case *c, const struct routines *fns)
{
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start;
    ULONG i;
    memset(r, 0, sizeof(*r));
    r->c = c;
    r->e = hh_engine_new();
    hh_engine_make_current(r->e);
    start = calloc(1, offsetof(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events) +
                          c->nobjects * sizeof(PKEVENT));
    if (!start)
        die("out of memory");
    for (i = 0; i < c->nobjects; i++) {
        DISPATCHER_HEADER *h;
        if (c->kind == BENCH_LOOP) {
            /* WaitAny: only the last is signaled, so the object test looks at every one. */
            h = hh_engine_new_object(r->e, HH_OBJECT_NOTIFICATION_EVENT);
            h->SignalState = c->wait == WaitAll || i == c->nobjects - 1;
        } else {
            h = hh_engine_new_object(r->e, HH_OBJECT_SYNCHRONIZATION_EVENT);
        }
        r->objects[i] = h;
        start->Events[i] = (PKEVENT)h;
    }
    start->WorkerRoutine = c->kind == BENCH_LOOP ? fns->countdown : fns->plain;
    start->Context = c->kind == BENCH_LOOP ? &r->left : NULL;
    start->WaitType = c->wait;
    start->WaitReason = Executive;
    start->WaitMode = KernelMode;
    start->EventCount = c->nobjects;
    if (c->kind == BENCH_TIMEOUT) {
        start->HasTimeout = TRUE;
        start->Timeout.QuadPart = -HH_TICKS_PER_MS;
    }
    hh_worker_configure(r->e, start, HH_TRUE_MEANS_CONTINUE, NULL, NULL);
    free(start);
    r->e->livelock_limit = ULONG_MAX; /* the no-block case is a livelock by design */
    if (c->kind != BENCH_LOOP) {
        hh_worker_start(r->e);
        if (r->e->state != HH_WORKER_WAITING)
            die("the worker did not block in its wait");
    }
}

static void rig_free(struct rig *r)
{
    hh_engine_make_current(NULL);
    hh_engine_free(r->e);
    r->e = NULL;
}

/* n invocations through the engine. */
static void rig_run(struct rig *r, unsigned long n)
{
    struct hh_engine *e = r->e;
    const struct bench_case *c = r->c;
    unsigned long before = e->invocations, i;
    ULONG k;
    switch (c->kind) {
    case BENCH_SIGNAL:
        for (i = 0; i < n; i++) {
            if (c->wait == WaitAll) {
                for (k = 0; k < c->nobjects; k++)
                    hh_event_set(e, r->objects[k]);
            } else {
                hh_event_set(e, r->objects[c->nobjects - 1]);
            }
            hh_worker_run(e);
        }
        break;
    case BENCH_TIMEOUT:
        for (i = 0; i < n; i++)
            hh_engine_advance_to(e, e->now + HH_TICKS_PER_MS);
        break;
    default:
        r->left = (LONG)n;
        hh_worker_start(e); /* it ends when the countdown does */
        break;
    }
    if (e->failed)
        die(e->failure.message);
    if (e->invocations - before != n)
        die("the engine made a different number of invocations than asked");
}

static volatile unsigned long bare_sink;

/* n calls of the same routine through a function pointer: the baseline. */
static void bare_run(const struct bench_case *c, const struct routines *fns, unsigned long n)
{
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE fn = c->kind == BENCH_LOOP ? fns->countdown : fns->plain;
    LONG left = (LONG)n;
    PVOID ctx = c->kind == BENCH_LOOP ? &left : NULL;
    unsigned long i, yes = 0;
    for (i = 0; i < n; i++)
        yes += fn(ctx, STATUS_WAIT_0);
    bare_sink = yes;
}

/* Nanoseconds per invocation of one round of n, through the engine or bare. */
static double round_ns(const struct bench_case *c, const struct routines *fns, int engine,
                       unsigned long n)
{
    struct rig r;
    uint64_t t0, t1;
    if (engine)
        rig_init(&r, c, fns);
    t0 = hh_plat_monotonic_ns();
    if (engine)
        rig_run(&r, n);
    else
        bare_run(c, fns, n);
    t1 = hh_plat_monotonic_ns();
    if (engine)
        rig_free(&r);
    return (double)(t1 - t0) / (double)n;
}

/* A round count that takes about target_ns. */
static unsigned long calibrate(const struct bench_case *c, const struct routines *fns,
                               int engine, uint64_t target_ns)
{
    unsigned long n = 1000;
    for (;;) {
        double ns = round_ns(c, fns, engine, n);
        if (ns * (double)n >= (double)target_ns / 4 || n >= 1ul << 28)
            return ns > 0 ? (unsigned long)((double)target_ns / ns) + 1 : n;
        n *= 4;
    }
}

static void throughput(const struct routines *fns, int quick)
{
    size_t i;
    int rounds = quick ? 1 : 7;
    printf("### Engine throughput: the worker loop against a bare call of the same routine\n\n");
    printf("ns per invocation, best of %d rounds each, alternated; ratio = engine / bare.\n\n",
           rounds);
    printf("| invocation caused by | wait | objects | bare call, ns | engine, ns | ratio "
           "| engine invocations/s |\n");
    printf("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct bench_case *c = &cases[i];
        unsigned long n_bare = quick ? 1000 : calibrate(c, fns, 0, 40000000u);
        unsigned long n_engine = quick ? 1000 : calibrate(c, fns, 1, 40000000u);
        double bare = 0, engine = 0;
        int k;
        for (k = 0; k < rounds; k++) {
            double b = round_ns(c, fns, 0, n_bare);
            double en = round_ns(c, fns, 1, n_engine);
            if (k == 0 || b < bare)
                bare = b;
            if (k == 0 || en < engine)
                engine = en;
        }
        printf("| %s | %s | %lu | %.2f | %.1f | %.1fx | %.0f |\n", kind_names[c->kind],
               c->wait == WaitAll ? "WaitAll" : "WaitAny", (unsigned long)c->nobjects, bare,
               engine, bare > 0 ? engine / bare : 0.0, engine > 0 ? 1e9 / engine : 0.0);
        fflush(stdout);
    }
    printf("\n");
}

/* ---- Memory ----------------------------------------------------------------------------- */

static void memory(const struct routines *fns, int quick)
{
    static const ULONG sizes[] = {1, 8, 64};
    size_t count = quick ? 50 : 4000, i, j;
    size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);
    struct rig *rigs = calloc(count * nsizes, sizeof(*rigs));
    uint64_t base = hh_plat_rss_bytes();
    if (!rigs)
        die("out of memory");
    printf("### Memory per engine (a started worker blocked on its objects)\n\n");
    printf("Resident size that %lu more engines add, per engine (all kept until the end, so "
           "none reuses another's memory); the process itself, the module loaded, had "
           "%.1f MiB.\n\n",
           (unsigned long)count, (double)base / 1048576.0);
    printf("| objects | KiB per engine | engines in the baseline process's size |\n");
    printf("| ---: | ---: | ---: |\n");
    for (j = 0; j < nsizes; j++) {
        struct bench_case c;
        uint64_t before = hh_plat_rss_bytes(), after;
        double per;
        c.kind = BENCH_SIGNAL;
        c.wait = WaitAny;
        c.nobjects = sizes[j];
        for (i = 0; i < count; i++)
            rig_init(&rigs[j * count + i], &c, fns);
        after = hh_plat_rss_bytes();
        per = (double)(after - before) / (double)count;
        printf("| %lu | %.2f | %.0f |\n", (unsigned long)sizes[j], per / 1024.0,
               per > 0 ? (double)base / per : 0.0);
        fflush(stdout);
    }
    printf("\n");
    for (i = 0; i < count * nsizes; i++)
        rig_free(&rigs[i]);
    free(rigs);
}

/* "signal:any:1" -> the case it names, or NULL. */
static const struct bench_case *find_case(const char *spec)
{
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char name[64];
        snprintf(name, sizeof(name), "%s:%s:%lu",
                 cases[i].kind == BENCH_LOOP ? "noblock" : kind_names[cases[i].kind],
                 cases[i].wait == WaitAll ? "all" : "any", (unsigned long)cases[i].nobjects);
        if (strcmp(name, spec) == 0)
            return &cases[i];
    }
    return NULL;
}

int main(int argc, char **argv)
{
    struct hh_plat_lib *lib;
    struct routines fns;
    char err[512];
    void *plain, *countdown;
    const struct bench_case *profile = NULL;
    int quick = 0, i = 1;
    for (; i < argc - 1; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[i], "--profile") == 0 && i + 2 < argc &&
                 (profile = find_case(argv[i + 1])) != NULL)
            i++;
        else
            break;
    }
    if (i != argc - 1) {
        fputs("usage: bench-engine [--quick] [--profile KIND:WAIT:OBJECTS] MODULE\n"
              "  --profile signal:any:1  one round of 200000 invocations of that case only,\n"
              "                          for callgrind (KIND signal|timeout|noblock, WAIT "
              "any|all)\n",
              stderr);
        return 2;
    }
    if (hh_plat_dlopen(argv[i], &lib, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench-engine: %s: %s\n", argv[i], err);
        return 2;
    }
    plain = hh_plat_dlsym(lib, "BenchRoutine");
    countdown = hh_plat_dlsym(lib, "BenchCountdownRoutine");
    if (!plain || !countdown) {
        fprintf(stderr, "bench-engine: %s lacks BenchRoutine or BenchCountdownRoutine\n",
                argv[i]);
        return 2;
    }
    /* ISO C has no conversion from an object pointer to a function pointer: copy the bits. */
    memcpy(&fns.plain, &plain, sizeof(fns.plain));
    memcpy(&fns.countdown, &countdown, sizeof(fns.countdown));
    if (profile) {
        printf("%.1f ns per invocation\n", round_ns(profile, &fns, 1, 200000));
    } else {
        memory(&fns, quick);
        throughput(&fns, quick);
    }
    hh_plat_dlclose(lib);
    return 0;
}
