/* test_plat.c - the platform contract: files, folders, environment, atomics, time, gates,
 * fibers, dl.
 *
 * Fixtures are written under the test's build folder at run time; the meson test sets
 * HH_TEST_VALUE (non-ASCII on purpose) for the environment check.
 */
#include <stdlib.h>
#include <string.h>

#include "plat_test.h"

static void test_list_dir_sorted_bytewise(void)
{
    /* "C", not "B": Windows file names ignore case, so "B" would be "b" again. */
    static const char *const names[] = {"b", "a", "C", "a-1", "a_1", "10", "9", "\xC3\xA9", "sub"};
    static const char *const sorted[] = {"10", "9", "C", "a", "a-1", "a_1", "b", "sub",
                                         "\xC3\xA9"};
    char path[1024], err[256], rel[64];
    char **list;
    size_t n, i;
    test_mkdir("listdir");
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(rel, sizeof(rel), "listdir%c%s", hh_plat_dir_separator(), names[i]);
        if (strcmp(names[i], "sub") == 0)
            test_mkdir(rel);
        else
            test_write(rel, "x", 1);
    }
    CHECK_EQ(hh_plat_list_dir(test_path(path, sizeof(path), "listdir"), &list, &n, err,
                              sizeof(err)),
             0);
    CHECK_EQ(n, sizeof(sorted) / sizeof(sorted[0]));
    for (i = 0; i < n; i++)
        CHECK_STR(list[i], sorted[i]);
    hh_plat_free_list(list, n);
}

static void test_list_dir_errors(void)
{
    char path[1024], err[256];
    static char *unset[1];
    char **list = unset;
    size_t n = 7;
    CHECK_EQ(hh_plat_list_dir(test_path(path, sizeof(path), "no-such-folder"), &list, &n, err,
                              sizeof(err)),
             -1);
    CHECK(list == NULL);
    CHECK_EQ(n, 0);
    CHECK_CONTAINS(err, "cannot list the folder: ");
}

static void test_read_file_and_limit(void)
{
    char path[1024], err[256];
    char *data;
    size_t len;
    test_write("hello.txt", "hello\n", 6);
    test_path(path, sizeof(path), "hello.txt");
    CHECK_EQ(hh_plat_read_file(path, 100, &data, &len, err, sizeof(err)), 0);
    CHECK_EQ(len, 6);
    CHECK_STR(data, "hello\n");
    free(data);
    CHECK_EQ(hh_plat_read_file(path, 6, &data, &len, err, sizeof(err)), 0);
    CHECK_EQ(len, 6);
    free(data);
    CHECK_EQ(hh_plat_read_file(path, 5, &data, &len, err, sizeof(err)), -1);
    CHECK(data == NULL);
    CHECK_STR(err, "the file is larger than the 5-byte limit");
}

static void test_read_file_sizes(void)
{
    static char big[100000];
    char path[1024], err[256];
    char *data;
    size_t len, i;
    for (i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    test_write("big.txt", big, sizeof(big));
    test_path(path, sizeof(path), "big.txt");
    CHECK_EQ(hh_plat_read_file(path, sizeof(big), &data, &len, err, sizeof(err)), 0);
    CHECK_EQ(len, sizeof(big));
    CHECK(memcmp(data, big, sizeof(big)) == 0);
    CHECK_EQ(data[len], '\0');
    free(data);
    CHECK_EQ(hh_plat_read_file(path, sizeof(big) - 1, &data, &len, err, sizeof(err)), -1);
    test_write("empty.txt", "", 0);
    CHECK_EQ(hh_plat_read_file(test_path(path, sizeof(path), "empty.txt"), 10, &data, &len,
                               err, sizeof(err)),
             0);
    CHECK_EQ(len, 0);
    CHECK_STR(data, "");
    free(data);
}

static void test_read_file_errors(void)
{
    char path[1024], err[256];
    char *data;
    size_t len;
    CHECK_EQ(hh_plat_read_file(test_path(path, sizeof(path), "missing.json"), 10, &data, &len,
                               err, sizeof(err)),
             -1);
    CHECK_CONTAINS(err, "cannot open the file: ");
    test_mkdir("a-folder");
    CHECK_EQ(hh_plat_read_file(test_path(path, sizeof(path), "a-folder"), 10, &data, &len, err,
                               sizeof(err)),
             -1);
    CHECK_STR(err, "it is a folder, not a file");
}

static void test_path_kind_and_make_dir(void)
{
    char path[1024], err[256];
    test_mkdir("kind");
    test_mkdir("kind"); /* already there: fine */
    test_write("kind.txt", "", 0);
    CHECK_EQ(hh_plat_path_kind(test_path(path, sizeof(path), "kind")), HH_PLAT_DIR);
    CHECK_EQ(hh_plat_path_kind(test_path(path, sizeof(path), "kind.txt")), HH_PLAT_FILE);
    CHECK_EQ(hh_plat_path_kind(test_path(path, sizeof(path), "kind.none")), HH_PLAT_NONE);
    CHECK_EQ(hh_plat_make_dir(test_path(path, sizeof(path), "no-parent/child"), err,
                              sizeof(err)),
             -1);
    CHECK_CONTAINS(err, "cannot create the folder: ");
    CHECK_EQ(hh_plat_make_dir(test_path(path, sizeof(path), "kind.txt"), err, sizeof(err)), -1);
}

static void test_paths_and_names(void)
{
    CHECK(hh_plat_is_absolute(HH_TEST_OUT));
    CHECK(!hh_plat_is_absolute("scenarios/x.json"));
    CHECK(!hh_plat_is_absolute("x.json"));
    CHECK(hh_plat_path_list_separator() == ':' || hh_plat_path_list_separator() == ';');
    CHECK(strlen(hh_plat_module_suffix()) > 1);
    CHECK_EQ(hh_plat_module_suffix()[0], '.');
}

static void test_environment(void)
{
    CHECK_STR(hh_plat_getenv("HH_TEST_VALUE"), "caf\xC3\xA9 42");
    CHECK(hh_plat_getenv("HH_TEST_NOT_SET_ANYWHERE") == NULL);
    hh_plat_init();
    CHECK(hh_plat_isatty(0) == 0); /* only stdout and stderr are asked about */
}

static void test_atomics(void)
{
    volatile int32_t a = 10;
    volatile int64_t b = -5;
    int x, y;
    void *volatile p = &x;
    CHECK_EQ(hh_plat_atomic_add32(&a, 5), 15);
    CHECK_EQ(hh_plat_atomic_xchg32(&a, 3), 15);
    CHECK_EQ(hh_plat_atomic_cas32(&a, 8, 3), 3);
    CHECK_EQ(hh_plat_atomic_cas32(&a, 9, 3), 8);
    CHECK_EQ(hh_plat_atomic_or32(&a, 1), 8);
    CHECK_EQ(hh_plat_atomic_and32(&a, 8), 9);
    CHECK_EQ(hh_plat_atomic_xor32(&a, 8), 8);
    CHECK_EQ(a, 0);
    CHECK_EQ(hh_plat_atomic_add64(&b, 10), 5);
    CHECK_EQ(hh_plat_atomic_xchg64(&b, 1LL << 50), 5);
    CHECK_EQ(hh_plat_atomic_cas64(&b, 1, 1LL << 50), 1LL << 50);
    CHECK_EQ(b, 1);
    CHECK(hh_plat_atomic_xchgptr(&p, &y) == &x);
    CHECK(hh_plat_atomic_casptr(&p, &x, &x) == &y);
    CHECK(p == &y);
}

static void test_monotonic(void)
{
    uint64_t a = hh_plat_monotonic_ns(), b = hh_plat_monotonic_ns();
    CHECK(a > 0);
    CHECK(b >= a);
}

/* The process's CPU time grows while it computes: 100 ms of a busy loop shows on any OS's
 * clock (Windows' counts in 15.6 ms ticks), and it is no more than the time that passed (no
 * other thread of this test runs now). */
static void test_cpu_time(void)
{
    volatile uint64_t spin = 0;
    uint64_t c0 = hh_plat_cpu_ns(), t0 = hh_plat_monotonic_ns(), c1, t1;
    while (hh_plat_monotonic_ns() - t0 < 100000000u)
        spin++;
    c1 = hh_plat_cpu_ns();
    t1 = hh_plat_monotonic_ns();
    CHECK(c1 > c0);
    CHECK(c1 - c0 <= (t1 - t0) + 20000000u);
}

/* Two gates, ping-ponged: each side sleeps on its own and opens the other's. */
struct gate_pair {
    struct hh_plat_gate *mine, *theirs;
    int rounds;
};

static void gate_pong(void *arg)
{
    struct gate_pair *g = arg;
    int i;
    for (i = 0; i < g->rounds; i++) {
        if (!hh_plat_gate_wait(g->theirs, 0))
            return;
        hh_plat_gate_open(g->mine);
    }
}

/* A gate remembers one opening for the next wait; a wait with a deadline that passes says 0;
 * a sleeper is woken by the open of another thread, however often they hand over. */
static void test_gate(void)
{
    struct hh_plat_gate *a = NULL, *b = NULL;
    struct hh_plat_thread *t = NULL;
    struct gate_pair pair;
    uint64_t t0;
    int i;
    CHECK_EQ(hh_plat_gate_new(&a), 0);
    CHECK_EQ(hh_plat_gate_new(&b), 0);
    CHECK_EQ(hh_plat_gate_wait(a, 1), 0); /* shut, and the deadline is long past */
    hh_plat_gate_open(a);
    hh_plat_gate_open(a); /* remembered once, not twice */
    CHECK_EQ(hh_plat_gate_wait(a, 1), 1);
    t0 = hh_plat_monotonic_ns();
    CHECK_EQ(hh_plat_gate_wait(a, t0 + 2000000u), 0);
    CHECK(hh_plat_monotonic_ns() >= t0 + 2000000u);
    pair.mine = a;
    pair.theirs = b;
    pair.rounds = 2000;
    CHECK_EQ(hh_plat_thread_start(&t, gate_pong, &pair), 0);
    for (i = 0; i < pair.rounds; i++) {
        hh_plat_gate_open(b);
        CHECK_EQ(hh_plat_gate_wait(a, hh_plat_monotonic_ns() + 10000000000u), 1);
    }
    hh_plat_thread_join(t);
    hh_plat_gate_free(a);
    hh_plat_gate_free(b);
}

/* Fibers: the home and two fibers pass the thread around; each keeps its own locals across
 * switches, a fiber starts at its first switch, and nested homes of a thread are one. */
struct fibers {
    struct hh_plat_fiber *home, *a, *b;
    int turns_a, turns_b, last_a;
};

static void fiber_a(void *arg)
{
    struct fibers *f = arg;
    int mine = 1000; /* on a's own stack: survives every switch away and back */
    for (;;) {
        f->turns_a++;
        f->last_a = ++mine;
        hh_plat_fiber_switch(f->a, f->b); /* b then switches to the home */
    }
}

static void fiber_b(void *arg)
{
    struct fibers *f = arg;
    for (;;) {
        f->turns_b++;
        hh_plat_fiber_switch(f->b, f->home);
    }
}

static void test_fiber_switch(void)
{
    struct fibers f;
    struct hh_plat_fiber *again = NULL;
    volatile int local = 7;
    int i;
    memset(&f, 0, sizeof(f));
    CHECK_EQ(hh_plat_fiber_enter(&f.home), 0);
    CHECK_EQ(hh_plat_fiber_enter(&again), 0);
    CHECK(again == f.home);
    hh_plat_fiber_leave(again);
    CHECK_EQ(hh_plat_fiber_new(&f.a, 256 * 1024, fiber_a, &f), 0);
    CHECK_EQ(hh_plat_fiber_new(&f.b, 256 * 1024, fiber_b, &f), 0);
    CHECK_EQ(f.turns_a, 0); /* not started before its first switch */
    for (i = 1; i <= 1000; i++) {
        hh_plat_fiber_switch(f.home, f.a);
        CHECK_EQ(f.turns_a, i);
        CHECK_EQ(f.turns_b, i);
        CHECK_EQ(f.last_a, 1000 + i);
        CHECK_EQ(local, 7);
    }
    hh_plat_fiber_free(f.a);
    hh_plat_fiber_free(f.b);
    hh_plat_fiber_leave(f.home);
}

/* A fiber that loops without ever switching: another OS thread rescues the home, which goes
 * on from its switch; the looping fiber is never continued. */
struct rescue_case {
    struct hh_plat_fiber *home, *spinner, *to; /* to: what the rescue continues */
    volatile int32_t spins;
    int rescued;
};

static void spin_forever(void *arg)
{
    struct rescue_case *r = arg;
    for (;;)
        (void)hh_plat_atomic_add32(&r->spins, 1);
}

static void rescuer(void *arg)
{
    struct rescue_case *r = arg;
    struct hh_plat_gate *nap = NULL;
    CHECK_EQ(hh_plat_gate_new(&nap), 0);
    while (hh_plat_atomic_add32(&r->spins, 0) < 1000)
        (void)hh_plat_gate_wait(nap, hh_plat_monotonic_ns() + 1000000u);
    r->rescued = hh_plat_fiber_rescue(r->home, r->to) == 0;
    hh_plat_gate_free(nap);
}

static void test_fiber_rescue(void)
{
    struct rescue_case r;
    struct hh_plat_thread *t = NULL;
    int32_t seen;
    memset(&r, 0, sizeof(r));
    CHECK_EQ(hh_plat_fiber_enter(&r.home), 0);
    r.to = r.home;
    CHECK_EQ(hh_plat_fiber_new(&r.spinner, 256 * 1024, spin_forever, &r), 0);
    CHECK_EQ(hh_plat_thread_start(&t, rescuer, &r), 0);
    hh_plat_fiber_switch(r.home, r.spinner); /* returns only by the rescue */
    hh_plat_thread_join(t);
    CHECK(r.rescued);
    seen = hh_plat_atomic_add32(&r.spins, 0);
    CHECK(seen >= 1000);
    CHECK_EQ(hh_plat_atomic_add32(&r.spins, 0), seen); /* stopped for good */
    hh_plat_fiber_free(r.spinner);
    hh_plat_fiber_leave(r.home);
}

/* The rescue may continue another fiber of that thread: one stopped in its switch to the
 * spinner goes on from there, and then hands the thread back to its home. */
struct rescue_other {
    struct rescue_case r;
    struct hh_plat_fiber *middle;
    int middle_went_on;
};

static void middle_main(void *arg)
{
    struct rescue_other *o = arg;
    hh_plat_fiber_switch(o->middle, o->r.spinner); /* continued only by the rescue */
    o->middle_went_on = 1;
    hh_plat_fiber_switch(o->middle, o->r.home);
    abort();
}

static void test_fiber_rescue_to_another(void)
{
    struct rescue_other o;
    struct hh_plat_thread *t = NULL;
    memset(&o, 0, sizeof(o));
    CHECK_EQ(hh_plat_fiber_enter(&o.r.home), 0);
    CHECK_EQ(hh_plat_fiber_new(&o.r.spinner, 256 * 1024, spin_forever, &o.r), 0);
    CHECK_EQ(hh_plat_fiber_new(&o.middle, 256 * 1024, middle_main, &o), 0);
    o.r.to = o.middle;
    CHECK_EQ(hh_plat_thread_start(&t, rescuer, &o.r), 0);
    hh_plat_fiber_switch(o.r.home, o.middle); /* middle -> spinner; rescue -> middle -> here */
    hh_plat_thread_join(t);
    CHECK(o.r.rescued);
    CHECK(o.middle_went_on);
    hh_plat_fiber_free(o.r.spinner);
    hh_plat_fiber_free(o.middle);
    hh_plat_fiber_leave(o.r.home);
}

static void test_dlopen_errors(void)
{
    char path[1024], err[512];
    unsigned char pe[128];
    struct hh_plat_lib *lib = NULL;
    test_write("not-a-library.txt", "plain text\n", 11);
    CHECK_EQ(hh_plat_dlopen(test_path(path, sizeof(path), "not-a-library.txt"), &lib, err,
                            sizeof(err)),
             -1);
    CHECK(lib == NULL);
    CHECK_CONTAINS(err, "it is not a shared library (neither ELF, PE nor Mach-O)");
    /* The headers of a 32-bit x86 DLL: wrong here whatever this platform is. */
    memset(pe, 0, sizeof(pe));
    memcpy(pe, "MZ", 2);
    pe[0x3C] = 0x40;
    memcpy(pe + 0x40, "PE\0\0", 4);
    pe[0x44] = 0x4C; /* IMAGE_FILE_MACHINE_I386 */
    pe[0x45] = 0x01;
    pe[0x58] = 0x0B; /* PE32 */
    pe[0x59] = 0x01;
    test_write("x86.dll", (const char *)pe, sizeof(pe));
    CHECK_EQ(hh_plat_dlopen(test_path(path, sizeof(path), "x86.dll"), &lib, err, sizeof(err)),
             -1);
    CHECK_CONTAINS(err, "it is a 32-bit x86 Windows DLL and this harness is a 64-bit ");
    CHECK_EQ(hh_plat_dlopen(test_path(path, sizeof(path), "missing.lib"), &lib, err,
                            sizeof(err)),
             -1);
    CHECK(err[0] != '\0');
    CHECK(hh_plat_dlsym(NULL, "x") == NULL);
    hh_plat_dlclose(NULL);
}

static void test_poison_round_trip(void)
{
    char *p = malloc(32);
    CHECK(p != NULL);
    hh_plat_poison(p, 32);
    hh_plat_unpoison(p, 32);
    p[0] = 1; /* usable again */
    free(p);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"list_dir_sorted_bytewise", test_list_dir_sorted_bytewise},
        {"list_dir_errors", test_list_dir_errors},
        {"read_file_and_limit", test_read_file_and_limit},
        {"read_file_sizes", test_read_file_sizes},
        {"read_file_errors", test_read_file_errors},
        {"path_kind_and_make_dir", test_path_kind_and_make_dir},
        {"paths_and_names", test_paths_and_names},
        {"environment", test_environment},
        {"atomics", test_atomics},
        {"monotonic", test_monotonic},
        {"cpu time", test_cpu_time},
        {"gate", test_gate},
        {"fiber_switch", test_fiber_switch},
        {"fiber_rescue", test_fiber_rescue},
        {"fiber_rescue_to_another", test_fiber_rescue_to_another},
        {"dlopen_errors", test_dlopen_errors},
        {"poison_round_trip", test_poison_round_trip},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
