/* ke_mutex.c - KeInitializeMutex, KeReleaseMutex, KeReadStateMutex.
 *
 * A release by a thread that does not own the mutex raises STATUS_MUTANT_NOT_OWNED (or
 * STATUS_ABANDONED for an abandoned one) in the kernel; unhandled in a system thread, that is
 * the end of the machine, so here it ends the run with rule "mutant-not-owned".
 */
#include "shim.h"

VOID KeInitializeMutex(PRKMUTEX Mutex, ULONG Level)
{
    (void)Level;
    hh_object_set_kind(&Mutex->Header, HH_OBJECT_MUTEX);
    Mutex->Header.Abandoned = 0;
    Mutex->Header.Inserted = 0;
    Mutex->Header.WaitListHint = 0;
    Mutex->Header.SignalState = 1;
    Mutex->OwnerThread = NULL;
    Mutex->MutantListEntry.Flink = Mutex->MutantListEntry.Blink = &Mutex->MutantListEntry;
    Mutex->ApcDisable = 1;
}

LONG KeReleaseMutex(PRKMUTEX Mutex, BOOLEAN Wait)
{
    struct hh_engine *e = hh_shim_enter("KeReleaseMutex");
    LONG prev = 0;
    NTSTATUS status;
    hh_shim_require_irql(e, "KeReleaseMutex", DISPATCH_LEVEL);
    status = hh_mutant_release(e, e->current, Mutex, &prev);
    if (status != STATUS_SUCCESS) {
        char what[160];
        hh_engine_abort(e, HH_RULE_MUTANT_NOT_OWNED,
                        "KeReleaseMutex on %s by thread '%s', which does not own it (%s): the "
                        "kernel raises %s",
                        hh_engine_describe_object(e, Mutex, what, sizeof(what)),
                        e->current->name,
                        Mutex->OwnerThread ? "another thread holds it" : "nobody holds it",
                        status == STATUS_ABANDONED ? "STATUS_ABANDONED (it was abandoned)"
                                                   : "STATUS_MUTANT_NOT_OWNED (0xC0000046)");
    }
    hh_shim_wait_next(e, Wait);
    hh_shim_leave(e);
    return prev;
}

LONG KeReadStateMutex(PRKMUTEX Mutex)
{
    return hh_shim_read_state("KeReadStateMutex", &Mutex->Header);
}
