/* test_irql.c - IRQL raise/lower rules, spin locks and KeBugCheck(Ex).
 *
 * Each rule is broken once inside hh_engine_guarded, and the failure's rule and message
 * (naming the kernel's bug check) are checked; the legal sequences must not fail.
 */
#include <stdio.h>

#include "shim_test.h"

static void test_raise_and_lower(void)
{
    struct hh_engine *e = test_engine();
    KIRQL old;
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    KeRaiseIrql(APC_LEVEL, &old);
    CHECK_EQ(old, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), APC_LEVEL);
    CHECK_EQ(KeRaiseIrqlToDpcLevel(), APC_LEVEL);
    CHECK_EQ(e->current->irql, DISPATCH_LEVEL);
    KeRaiseIrql(DISPATCH_LEVEL, &old); /* the same level is allowed */
    KeLowerIrql(APC_LEVEL);
    KeLowerIrql(PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    CHECK_EQ(e->failed, 0);
    test_engine_done(e);
}

static void raise_down(void *arg)
{
    KIRQL old;
    (void)arg;
    KeRaiseIrql(PASSIVE_LEVEL, &old);
}

static void lower_up(void *arg)
{
    (void)arg;
    KeLowerIrql(DISPATCH_LEVEL);
}

static void raise_too_high(void *arg)
{
    (void)arg;
    KfRaiseIrql(HIGH_LEVEL + 1);
}

static void test_wrong_direction(void)
{
    struct hh_engine *e = test_engine();
    e->current->irql = APC_LEVEL;
    CHECK_ABORTS(e, raise_down, NULL, HH_RULE_IRQL,
                 "KeRaiseIrql to PASSIVE_LEVEL while at APC_LEVEL raises to a lower IRQL");
    CHECK_CONTAINS(e->failure.message, "IRQL_NOT_GREATER_OR_EQUAL");
    test_engine_done(e);

    e = test_engine();
    e->current->irql = APC_LEVEL;
    CHECK_ABORTS(e, lower_up, NULL, HH_RULE_IRQL,
                 "KeLowerIrql to DISPATCH_LEVEL while at APC_LEVEL lowers to a higher IRQL");
    CHECK_CONTAINS(e->failure.message, "IRQL_NOT_LESS_OR_EQUAL");
    test_engine_done(e);

    e = test_engine();
    CHECK_ABORTS(e, raise_too_high, NULL, HH_RULE_IRQL, "not an IRQL");
    test_engine_done(e);
}

static KSPIN_LOCK lock;

static void test_spin_lock_round_trip(void)
{
    struct hh_engine *e = test_engine();
    KIRQL old;
    KeInitializeSpinLock(&lock);
    KeAcquireSpinLock(&lock, &old);
    CHECK_EQ(old, PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    CHECK_EQ(e->current->spinlocks, 1);
    KeReleaseSpinLock(&lock, old);
    CHECK_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    CHECK_EQ(e->current->spinlocks, 0);
    CHECK_EQ(lock, 0);

    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KeAcquireSpinLockAtDpcLevel(&lock);
    CHECK_EQ(e->current->spinlocks, 1);
    KeReleaseSpinLockFromDpcLevel(&lock);
    CHECK_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old);
    CHECK_EQ(e->failed, 0);
    test_engine_done(e);
}

static void acquire(void *arg)
{
    KIRQL old;
    (void)arg;
    KeAcquireSpinLock(&lock, &old);
}

static void release(void *arg)
{
    (void)arg;
    KeReleaseSpinLock(&lock, PASSIVE_LEVEL);
}

static void release_at_dpc(void *arg)
{
    (void)arg;
    KeReleaseSpinLockFromDpcLevel(&lock);
}

static void acquire_at_dpc(void *arg)
{
    (void)arg;
    KeAcquireSpinLockAtDpcLevel(&lock);
}

static void test_spin_lock_twice(void)
{
    struct hh_engine *e = test_engine();
    KeInitializeSpinLock(&lock);
    CHECK_EQ(hh_engine_guarded(e, acquire, NULL), 0);
    CHECK_ABORTS(e, acquire_at_dpc, NULL, HH_RULE_SPINLOCK, "already holds this spin lock");
    CHECK_CONTAINS(e->failure.message, "SPIN_LOCK_ALREADY_OWNED");
    test_engine_done(e);
}

/* A lock in pool memory is named by where it lies in its block, not by its address, which
 * differs from run to run; a lock elsewhere keeps the address. */
static void acquire_twice_in_pool(void *arg)
{
    PKSPIN_LOCK in_pool = arg;
    KIRQL old;
    KeAcquireSpinLock(in_pool, &old);
    KeAcquireSpinLockAtDpcLevel(in_pool);
}

static void test_spin_lock_named_by_its_place(void)
{
    struct hh_engine *e = test_engine();
    char *block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 0x6B636F4CUL);
    PKSPIN_LOCK in_pool = (PKSPIN_LOCK)(block + 16);
    char address[32];
    CHECK(block != NULL);
    KeInitializeSpinLock(in_pool);
    CHECK_ABORTS(e, acquire_twice_in_pool, in_pool, HH_RULE_SPINLOCK,
                 "KeAcquireSpinLockAtDpcLevel(the lock at offset 16 in the block of 64 bytes, "
                 "tag 'Lock'");
    snprintf(address, sizeof(address), "%p", (void *)in_pool);
    CHECK(strstr(e->failure.message, address) == NULL);
    test_engine_done(e);
    e = test_engine();
    KeInitializeSpinLock(&lock);
    CHECK_EQ(hh_engine_guarded(e, acquire, NULL), 0);
    /* A global: named by the module's symbols (or its place in the module), not its address. */
    CHECK_ABORTS(e, acquire_at_dpc, NULL, HH_RULE_SPINLOCK,
                 "KeAcquireSpinLockAtDpcLevel(the lock at ");
    CHECK_CONTAINS(e->failure.message, "global");
    CHECK_CONTAINS(e->failure.message, "test_shim_irql");
    snprintf(address, sizeof(address), "%p", (void *)&lock);
    CHECK(strstr(e->failure.message, address) == NULL);
    test_engine_done(e);
}

static void test_spin_lock_not_owned(void)
{
    struct hh_engine *e = test_engine();
    KeInitializeSpinLock(&lock);
    CHECK_ABORTS(e, release, NULL, HH_RULE_SPINLOCK, "does not hold (it is free)");
    CHECK_CONTAINS(e->failure.message, "SPIN_LOCK_NOT_OWNED");
    test_engine_done(e);

    /* Held by another thread: releasing it is not ours to do. */
    e = test_engine();
    e->current = hh_engine_thread(e, "other");
    CHECK_EQ(hh_engine_guarded(e, acquire, NULL), 0);
    e->current = e->worker;
    e->current->irql = DISPATCH_LEVEL;
    CHECK_ABORTS(e, release_at_dpc, NULL, HH_RULE_SPINLOCK, "thread other holds it");
    test_engine_done(e);
}

static void test_spin_lock_held_elsewhere_is_a_deadlock(void)
{
    struct hh_engine *e = test_engine();
    KeInitializeSpinLock(&lock);
    e->current = hh_engine_thread(e, "other");
    CHECK_EQ(hh_engine_guarded(e, acquire, NULL), 0);
    e->current = e->worker;
    CHECK_ABORTS(e, acquire, NULL, HH_RULE_DEADLOCK, "thread other holds this spin lock");
    test_engine_done(e);
}

static void test_spin_lock_garbage(void)
{
    struct hh_engine *e = test_engine();
    lock = 0xA5A5A5A5u;
    CHECK_ABORTS(e, acquire, NULL, HH_RULE_SPINLOCK, "KeInitializeSpinLock");
    test_engine_done(e);
    e = test_engine();
    lock = 0xA5A5A5A5u;
    CHECK_ABORTS(e, release, NULL, HH_RULE_SPINLOCK, "which no acquire wrote");
    test_engine_done(e);
}

static void test_spin_lock_irql(void)
{
    struct hh_engine *e = test_engine();
    KeInitializeSpinLock(&lock);
    CHECK_ABORTS(e, acquire_at_dpc, NULL, HH_RULE_IRQL,
                 "KeAcquireSpinLockAtDpcLevel called at PASSIVE_LEVEL");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, release_at_dpc, NULL, HH_RULE_IRQL, "it requires DISPATCH_LEVEL");
    test_engine_done(e);
    e = test_engine();
    e->current->irql = DISPATCH_LEVEL + 1;
    CHECK_ABORTS(e, acquire, NULL, HH_RULE_IRQL, "KeAcquireSpinLock");
    test_engine_done(e);
}

static void bugcheck_ex(void *arg)
{
    (void)arg;
    KeBugCheckEx(BAD_POOL_CALLER, 7, 0x1234, 0xdeadbeef, 4);
}

static void bugcheck(void *arg)
{
    (void)arg;
    KeBugCheck(0x1E);
}

static void test_bugcheck(void)
{
    struct hh_engine *e = test_engine();
    CHECK_ABORTS(e, bugcheck_ex, NULL, HH_RULE_BUGCHECK,
                 "KeBugCheckEx(0x000000C2 BAD_POOL_CALLER, 0x7, 0x1234, 0xDEADBEEF, 0x4)");
    test_engine_done(e);
    e = test_engine();
    CHECK_ABORTS(e, bugcheck, NULL, HH_RULE_BUGCHECK, "KeBugCheck(0x0000001E)");
    test_engine_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"raise_and_lower", test_raise_and_lower},
        {"wrong_direction", test_wrong_direction},
        {"spin_lock_round_trip", test_spin_lock_round_trip},
        {"spin_lock_twice", test_spin_lock_twice},
        {"spin_lock_named_by_its_place", test_spin_lock_named_by_its_place},
        {"spin_lock_not_owned", test_spin_lock_not_owned},
        {"spin_lock_held_elsewhere_is_a_deadlock", test_spin_lock_held_elsewhere_is_a_deadlock},
        {"spin_lock_garbage", test_spin_lock_garbage},
        {"spin_lock_irql", test_spin_lock_irql},
        {"bugcheck", test_bugcheck},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
