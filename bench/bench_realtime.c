/* bench_realtime.c - the real clock's signal-to-invocation latency against a raw ping-pong of
 * the same OS primitive between two threads, measured beside it in this process (the machines
 * here are shared and noisy: only ratios mean anything).
 *
 * Baseline: two OS threads, A and B, hand a token back and forth through two gates
 * (platform/plat.h), the primitive a real-clock worker sleeps on. A reads the clock and opens
 * B's gate; B reads the clock when its wait returns, then opens A's gate to hand back.
 * Latency: B's reading minus A's.
 *
 * Harness: an engine on the real clock (hh_engine_realtime_begin) whose worker waits on one
 * synchronization event. The driver (the main thread, holding the dispatcher lock) reads the
 * clock, sets the event and settles (it lets go of the lock while it sleeps); the worker's OS
 * thread wakes from its gate, takes the lock, completes its wait and calls the routine, which
 * reads the clock first thing. Latency: the routine's reading minus the driver's.
 *
 * Both run in rounds, alternated (and the order swapped each round), so that what the machine
 * does to one it does to the other. Prints a Markdown table; never judges.
 *
 *   bench-realtime [--quick] [--samples N] [--rounds R] [--only pingpong|harness]
 *
 * --only measures one side alone (for perf stat or perf record); the table then has only it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "platform/plat.h"

#define DEFAULT_SAMPLES 20000ul
#define DEFAULT_ROUNDS 20ul

static void die(const char *what)
{
    fprintf(stderr, "bench-realtime: %s\n", what);
    exit(1);
}

/* ---- Baseline: two threads, two gates ------------------------------------------------------ */

/* Threads A and B, both started here: the main thread only hands A a round to do. (Were the
 * main thread A, it would wake two partners by turns, B and the harness's worker, and the
 * scheduler treats a thread that wakes several partners differently: it stops pulling them to
 * its own CPU, so that one pair ran on one CPU and the other across two.) */
struct pingpong {
    struct hh_plat_gate *ping; /* A sleeps on it, waiting for B */
    struct hh_plat_gate *pong; /* B sleeps on it, waiting for A */
    struct hh_plat_gate *go;   /* A waits for a round */
    struct hh_plat_gate *done; /* the main thread waits for A to finish it */
    struct hh_plat_thread *a, *b;
    uint64_t t0, t1; /* handed over through the gates' own synchronization */
    uint64_t *out;   /* the round's samples */
    unsigned long n;
    int stop;
};

static void pong_main(void *arg)
{
    struct pingpong *pp = arg;
    for (;;) {
        uint64_t t1;
        hh_plat_gate_wait(pp->pong, 0);
        t1 = hh_plat_monotonic_ns();
        if (pp->stop)
            break;
        pp->t1 = t1;
        hh_plat_gate_open(pp->ping);
    }
}

/* One sample: ns from A opening B's gate to B's wait returning. */
static uint64_t pingpong_sample(struct pingpong *pp)
{
    pp->t0 = hh_plat_monotonic_ns();
    hh_plat_gate_open(pp->pong);
    hh_plat_gate_wait(pp->ping, 0);
    return pp->t1 - pp->t0;
}

static void ping_main(void *arg)
{
    struct pingpong *pp = arg;
    for (;;) {
        unsigned long i;
        hh_plat_gate_wait(pp->go, 0);
        if (pp->stop)
            break;
        for (i = 0; i < pp->n; i++) {
            uint64_t ns = pingpong_sample(pp);
            if (pp->out)
                pp->out[i] = ns;
        }
        hh_plat_gate_open(pp->done);
    }
    hh_plat_gate_open(pp->pong); /* B sees stop */
}

static void pingpong_init(struct pingpong *pp)
{
    memset(pp, 0, sizeof(*pp));
    if (hh_plat_gate_new(&pp->ping) != 0 || hh_plat_gate_new(&pp->pong) != 0 ||
        hh_plat_gate_new(&pp->go) != 0 || hh_plat_gate_new(&pp->done) != 0)
        die("the OS would not give a gate");
    if (hh_plat_thread_start(&pp->b, pong_main, pp) != 0 ||
        hh_plat_thread_start(&pp->a, ping_main, pp) != 0)
        die("the OS would not start a thread");
}

/* A round of n samples into out (NULL: not kept). */
static void pingpong_round(struct pingpong *pp, uint64_t *out, unsigned long n)
{
    pp->out = out;
    pp->n = n;
    hh_plat_gate_open(pp->go);
    hh_plat_gate_wait(pp->done, 0);
}

static void pingpong_free(struct pingpong *pp)
{
    pp->stop = 1;
    hh_plat_gate_open(pp->go);
    hh_plat_thread_join(pp->a);
    hh_plat_thread_join(pp->b);
    hh_plat_gate_free(pp->done);
    hh_plat_gate_free(pp->go);
    hh_plat_gate_free(pp->pong);
    hh_plat_gate_free(pp->ping);
}

/* ---- Harness: an engine on the real clock -------------------------------------------------- */

struct rig {
    struct hh_engine *e;
    PVOID event;
    uint64_t t1; /* the routine's context: when it was last called */
};

/* The routine: reads the clock first, answers continue. */
static BOOLEAN LatencyRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    uint64_t *t1 = WorkerContext;
    *t1 = hh_plat_monotonic_ns();
    (void)WaitStatus;
    return TRUE;
}

static void rig_init(struct rig *r)
{
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start;
    memset(r, 0, sizeof(*r));
    r->e = hh_engine_new();
    if (!r->e)
        die("no engine");
    hh_engine_make_current(r->e);
    if (hh_engine_realtime_begin(r->e, HH_TICKS_PER_MS) != 0)
        die("the OS would not give the real clock a lock, a gate or a thread");
    r->event = hh_engine_new_object(r->e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    start = calloc(1, offsetof(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events) +
                          sizeof(PKEVENT));
    if (!start)
        die("out of memory");
    start->WorkerRoutine = LatencyRoutine;
    start->Context = &r->t1;
    start->WaitType = WaitAny;
    start->WaitReason = Executive;
    start->WaitMode = KernelMode;
    start->EventCount = 1;
    start->Events[0] = (PKEVENT)r->event;
    hh_worker_configure(r->e, start, HH_TRUE_MEANS_CONTINUE, NULL, NULL);
    free(start);
    hh_worker_start(r->e);
    hh_engine_realtime_settle(r->e, -1);
    if (r->e->failed)
        die(r->e->failure.message);
    if (r->e->state != HH_WORKER_WAITING)
        die("the worker did not block in its wait");
}

static void rig_free(struct rig *r)
{
    hh_engine_realtime_end(r->e);
    hh_engine_make_current(NULL);
    hh_engine_free(r->e);
    r->e = NULL;
}

/* One sample: ns from the driver setting the event to the routine's first instruction. */
static uint64_t rig_sample(struct rig *r)
{
    struct hh_engine *e = r->e;
    unsigned long before = e->invocations;
    uint64_t t0;
    r->t1 = 0;
    t0 = hh_plat_monotonic_ns();
    hh_event_set(e, r->event);
    hh_engine_realtime_settle(e, -1);
    if (e->failed)
        die(e->failure.message);
    if (e->invocations != before + 1 || r->t1 == 0 || e->state != HH_WORKER_WAITING)
        die("a signal did not make exactly one invocation");
    return r->t1 - t0;
}

/* ---- Statistics and output ----------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The nearest-rank percentile p (0-100] of n sorted samples, in microseconds. */
static double pct_us(const uint64_t *s, size_t n, double p)
{
    size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return (double)s[rank - 1] / 1000.0;
}

static unsigned long parse_count(const char *s)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    return *s && !*end && v > 0 && v <= 100000000ul ? v : 0;
}

static void usage(void)
{
    fputs("usage: bench-realtime [--quick] [--samples N] [--rounds R] [--only SIDE]\n"
          "  --samples N  latencies measured on each side (default 20000; --quick: 400)\n"
          "  --rounds R   rounds they are split into, alternating the sides (default 20; "
          "--quick: 2)\n"
          "  --only SIDE  pingpong or harness: measure that side alone (for perf)\n",
          stderr);
    exit(2);
}

#define SIDE_PINGPONG 1
#define SIDE_HARNESS 2

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        double p;
    } rows[] = {{"min", 0.0}, {"median", 50.0}, {"p90", 90.0}, {"p99", 99.0}, {"max", 100.0}};
    unsigned long samples = 0, rounds = 0, per, warm, k, i;
    int quick = 0, sides = SIDE_PINGPONG | SIDE_HARNESS, a;
    uint64_t *base, *harn;
    size_t nb = 0, nh = 0, j;
    struct pingpong pp;
    struct rig r;
    memset(&pp, 0, sizeof(pp));
    memset(&r, 0, sizeof(r));
    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[a], "--samples") == 0 && a + 1 < argc &&
                 (samples = parse_count(argv[a + 1])) != 0)
            a++;
        else if (strcmp(argv[a], "--rounds") == 0 && a + 1 < argc &&
                 (rounds = parse_count(argv[a + 1])) != 0)
            a++;
        else if (strcmp(argv[a], "--only") == 0 && a + 1 < argc &&
                 (strcmp(argv[a + 1], "pingpong") == 0 || strcmp(argv[a + 1], "harness") == 0))
            sides = strcmp(argv[++a], "pingpong") == 0 ? SIDE_PINGPONG : SIDE_HARNESS;
        else
            usage();
    }
    if (!samples)
        samples = quick ? 400 : DEFAULT_SAMPLES;
    if (!rounds)
        rounds = quick ? 2 : DEFAULT_ROUNDS;
    if (rounds > samples)
        rounds = samples;
    per = samples / rounds;
    samples = per * rounds;
    warm = per < 1000 ? per : 1000;
    base = malloc(samples * sizeof(*base));
    harn = malloc(samples * sizeof(*harn));
    if (!base || !harn)
        die("out of memory");

    if (sides & SIDE_PINGPONG)
        pingpong_init(&pp);
    if (sides & SIDE_HARNESS)
        rig_init(&r);
    /* First wakes, page faults, the CPU's frequency: not measured. */
    if (sides & SIDE_PINGPONG)
        pingpong_round(&pp, NULL, warm);
    for (i = 0; (sides & SIDE_HARNESS) && i < warm; i++)
        (void)rig_sample(&r);
    for (k = 0; k < rounds; k++) {
        int side;
        for (side = 0; side < 2; side++) { /* the order swaps each round */
            if ((side == 0) == (k % 2 == 0)) {
                if (sides & SIDE_PINGPONG) {
                    pingpong_round(&pp, base + nb, per);
                    nb += per;
                }
            } else {
                for (i = 0; (sides & SIDE_HARNESS) && i < per; i++)
                    harn[nh++] = rig_sample(&r);
            }
        }
    }
    if (sides & SIDE_HARNESS)
        rig_free(&r);
    if (sides & SIDE_PINGPONG)
        pingpong_free(&pp);

    qsort(base, nb, sizeof(*base), cmp_u64);
    qsort(harn, nh, sizeof(*harn), cmp_u64);
    printf("### Real clock: signal-to-invocation latency against a gate ping-pong\n\n");
    printf("%lu samples each, in %lu rounds alternated (after %lu of each not counted); "
           "microseconds; ratio = harness / ping-pong. Ping-pong: one thread opens a gate, "
           "another wakes from it. Harness: the driver sets an event, the real-clock worker "
           "wakes and calls the routine.\n\n",
           samples, rounds, warm);
    if (sides != (SIDE_PINGPONG | SIDE_HARNESS)) {
        const uint64_t *s = nb ? base : harn;
        size_t n = nb ? nb : nh;
        printf("| latency | %s alone, us |\n| --- | ---: |\n",
               nb ? "gate ping-pong" : "harness");
        for (j = 0; j < sizeof(rows) / sizeof(rows[0]); j++)
            printf("| %s | %.2f |\n", rows[j].name, pct_us(s, n, rows[j].p));
    } else {
        printf("| latency | gate ping-pong, us | harness, us | ratio |\n");
        printf("| --- | ---: | ---: | ---: |\n");
        for (j = 0; j < sizeof(rows) / sizeof(rows[0]); j++) {
            double b = pct_us(base, nb, rows[j].p), h = pct_us(harn, nh, rows[j].p);
            printf("| %s | %.2f | %.2f | %.2fx |\n", rows[j].name, b, h, b > 0 ? h / b : 0.0);
        }
    }
    printf("\n");
    free(base);
    free(harn);
    return 0;
}
