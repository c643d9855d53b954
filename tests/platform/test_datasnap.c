/* test_datasnap.c - a module's writable data saved after load and restored (plat.h, and
 * hh_module_snapshot_data / hh_module_restore_data on top of it).
 *
 * The data probe built beside this test has a .bss counter and buffer, a .data table and a
 * relro pointer; its exported functions change them and report them.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "platform/plat.h"
#include "play/module.h"

typedef int (*mutate_fn)(void);
typedef int (*state_fn)(int *, int *, int *);

struct probe {
    struct hh_module *m;
    mutate_fn mutate;
    state_fn state;
};

static void open_probe(struct probe *p)
{
    struct hh_diags d;
    void *sym;
    hh_diags_init(&d);
    CHECK_EQ(hh_module_open(HH_TEST_DATA_PROBE, NULL, &p->m, NULL, &d), 0);
    sym = hh_module_symbol(p->m, "probe_data_mutate");
    CHECK(sym != NULL);
    memcpy(&p->mutate, &sym, sizeof(p->mutate));
    sym = hh_module_symbol(p->m, "probe_data_state");
    CHECK(sym != NULL);
    memcpy(&p->state, &sym, sizeof(p->state));
}

/* The probe's state is counter, table sum, buffer sum. */
static void check_state(const struct probe *p, int counter, int table_sum, int buffer_sum)
{
    int c, t, b;
    CHECK_EQ(p->state(&c, &t, &b), counter);
    CHECK_EQ(c, counter);
    CHECK_EQ(t, table_sum);
    CHECK_EQ(b, buffer_sum);
}

static void test_restore_brings_back_the_loaded_state(void)
{
    struct probe p;
    struct hh_diags d;
    size_t bytes;
    open_probe(&p);
    hh_diags_init(&d);
    CHECK_EQ(hh_module_snapshot_data(p.m, NULL, &d), 0);
    CHECK_EQ(d.n, 0);
    check_state(&p, 0, 10, 0);
    CHECK_EQ(p.mutate(), 1);
    CHECK_EQ(p.mutate(), 2);
    CHECK_EQ(p.mutate(), 3);
    check_state(&p, 3, 130, 4096 * 'x');
    bytes = hh_module_restore_data(p.m);
    /* At least the table, the counter and the buffer. */
    CHECK(bytes >= 4096 + 5 * sizeof(int));
    check_state(&p, 0, 10, 0);
    /* The module goes on from there as if just loaded, and restores again. */
    CHECK_EQ(p.mutate(), 1);
    CHECK_EQ(hh_module_restore_data(p.m), bytes);
    CHECK_EQ(hh_module_restore_data(p.m), bytes);
    check_state(&p, 0, 10, 0);
    hh_module_close(p.m);
}

/* A snapshot is of the data as it is when taken; a second one replaces the first. */
static void test_snapshot_is_of_now(void)
{
    struct probe p;
    struct hh_diags d;
    open_probe(&p);
    hh_diags_init(&d);
    CHECK_EQ(hh_module_snapshot_data(p.m, NULL, &d), 0);
    CHECK_EQ(p.mutate(), 1);
    CHECK_EQ(hh_module_snapshot_data(p.m, NULL, &d), 0);
    CHECK_EQ(p.mutate(), 2);
    CHECK(hh_module_restore_data(p.m) > 0);
    check_state(&p, 1, 50, 4096 * 'x');
    hh_module_close(p.m);
}

/* Without a snapshot a restore copies nothing and changes nothing. */
static void test_no_snapshot_no_restore(void)
{
    struct probe p;
    open_probe(&p);
    CHECK_EQ(p.mutate(), 1);
    CHECK_EQ(hh_module_restore_data(p.m), 0);
    check_state(&p, 1, 50, 4096 * 'x');
    hh_module_close(p.m);
}

/* The cost of one restore, for docs/fuzzing.md: a TAP comment, not a check. */
static void test_restore_cost(void)
{
    struct probe p;
    struct hh_diags d;
    uint64_t t0, t1;
    size_t bytes = 0;
    int i, runs = 20000;
    open_probe(&p);
    hh_diags_init(&d);
    CHECK_EQ(hh_module_snapshot_data(p.m, NULL, &d), 0);
    t0 = hh_plat_monotonic_ns();
    for (i = 0; i < runs; i++)
        bytes = hh_module_restore_data(p.m);
    t1 = hh_plat_monotonic_ns();
    printf("# restore: %lu bytes in %.0f ns\n", (unsigned long)bytes,
           (double)(t1 - t0) / runs);
    check_state(&p, 0, 10, 0);
    hh_module_close(p.m);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"restore_brings_back_the_loaded_state", test_restore_brings_back_the_loaded_state},
        {"snapshot_is_of_now", test_snapshot_is_of_now},
        {"no_snapshot_no_restore", test_no_snapshot_no_restore},
        {"restore_cost", test_restore_cost},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
