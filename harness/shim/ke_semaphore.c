/* ke_semaphore.c - KeInitializeSemaphore, KeReleaseSemaphore, KeReadStateSemaphore.
 *
 * A release past the limit leaves the count alone and raises STATUS_SEMAPHORE_LIMIT_EXCEEDED
 * in the kernel; here that ends the run with rule "semaphore-limit".
 */
#include "shim.h"

VOID KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit)
{
    hh_object_set_kind(&Semaphore->Header, HH_OBJECT_SEMAPHORE);
    Semaphore->Header.Abandoned = 0;
    Semaphore->Header.Inserted = 0;
    Semaphore->Header.WaitListHint = 0;
    Semaphore->Header.SignalState = Count;
    Semaphore->Limit = Limit;
}

LONG KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment,
                        BOOLEAN Wait)
{
    struct hh_engine *e = hh_shim_enter("KeReleaseSemaphore");
    LONG prev = 0;
    (void)Increment;
    hh_shim_require_irql(e, "KeReleaseSemaphore", Wait ? PASSIVE_LEVEL : DISPATCH_LEVEL);
    if (hh_semaphore_release(e, Semaphore, Adjustment, &prev) != STATUS_SUCCESS) {
        char what[160];
        hh_engine_abort(e, HH_RULE_SEMAPHORE_LIMIT,
                        "KeReleaseSemaphore(%s, Adjustment %ld) with count %ld and limit %ld: "
                        "the kernel raises STATUS_SEMAPHORE_LIMIT_EXCEEDED (0xC0000047)",
                        hh_engine_describe_object(e, Semaphore, what, sizeof(what)),
                        (long)Adjustment, (long)Semaphore->Header.SignalState,
                        (long)Semaphore->Limit);
    }
    hh_shim_wait_next(e, Wait);
    hh_shim_leave(e);
    return prev;
}

LONG KeReadStateSemaphore(PRKSEMAPHORE Semaphore)
{
    return hh_shim_read_state("KeReadStateSemaphore", &Semaphore->Header);
}
