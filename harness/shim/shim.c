/* shim.c - the engine lookup and IRQL checks shared by the kernel shim files. */
#include "shim.h"

#include "explore/strategy.h"

#include <stdio.h>
#include <stdlib.h>

/* One body for both entries, inlined into each: a run that explores nothing pays the NULL
 * test alone. */
static struct hh_engine *enter(const char *routine, const void *object, int access)
{
    struct hh_engine *e = hh_engine_current();
    if (!e) {
        fprintf(stderr, "hotswap: %s called outside a harness run (no engine is current)\n",
                routine);
        abort();
    }
    if (e->explore) /* a scheduling point: another explored thread may run first */
        hh__ex_point(e, routine, object, access);
    hh_engine_lock(e);
    return e;
}

struct hh_engine *hh_shim_enter(const char *routine)
{
    return enter(routine, NULL, HH_EX_UNKNOWN);
}

struct hh_engine *hh_shim_enter_on(const char *routine, const void *object, int access)
{
    return enter(routine, object, access);
}

void hh_shim_leave(struct hh_engine *e)
{
    /* The DPC interrupt a call requested, or one its lowered IRQL now lets in. */
    if (e->dpcs.Flink != &e->dpcs)
        hh_dpc_dispatch(e);
    hh_engine_unlock(e);
}

LONG hh_shim_read_state(const char *routine, const DISPATCHER_HEADER *h)
{
    struct hh_engine *e = hh_shim_enter(routine);
    LONG state = h->SignalState;
    hh_shim_leave(e);
    return state;
}

void hh_shim_require_irql(struct hh_engine *e, const char *routine, KIRQL max_irql)
{
    char have[24], max[24];
    if (e->current->irql <= max_irql)
        return;
    hh_engine_abort(e, HH_RULE_IRQL,
                    "%s called at %s; its documented limit is IRQL <= %s. Real systems "
                    "do not check every call: it may seem to work, corrupt state or bug-check "
                    "later; Driver Verifier's IRQL checking stops it",
                    routine, hh_irql_name(e->current->irql, have, sizeof(have)),
                    hh_irql_name(max_irql, max, sizeof(max)));
}

/* Through the public routines, so that the spin lock checks apply to the caller's lock. */
KIRQL hh_shim_ex_lock(PKSPIN_LOCK lock)
{
    KIRQL irql = KeGetCurrentIrql();
    if (irql >= DISPATCH_LEVEL) {
        KeAcquireSpinLockAtDpcLevel(lock);
        return irql;
    }
    return KeAcquireSpinLockRaiseToDpc(lock);
}

void hh_shim_ex_unlock(PKSPIN_LOCK lock, KIRQL irql)
{
    if (irql >= DISPATCH_LEVEL)
        KeReleaseSpinLockFromDpcLevel(lock);
    else
        KeReleaseSpinLock(lock, irql);
}
