/* ke_mutex.c - KMUTEX and mutants: KeInitializeMutex, KeReleaseMutex, KeReadStateMutex,
 * KeInitializeMutant, KeReleaseMutant, KeReadStateMutant.
 *
 * A KMUTEX is a mutant that disables normal kernel APCs while held (ApcDisable). A release by
 * a thread that does not own it raises STATUS_MUTANT_NOT_OWNED (or STATUS_ABANDONED for an
 * abandoned one) in the kernel; unhandled in a system thread, that is the end of the machine,
 * so here it ends the run with rule "mutant-not-owned". KeReleaseMutant with Abandon = TRUE
 * needs no ownership: it frees and abandons the mutant (ReactOS KeReleaseMutant).
 */
#include "shim.h"

static void init_mutant(PRKMUTANT m, int kind, UCHAR apc_disable)
{
    hh_object_set_kind(&m->Header, kind);
    m->Header.Abandoned = 0;
    m->Header.Inserted = 0;
    m->Header.WaitListHint = 0;
    m->Header.SignalState = 1;
    m->OwnerThread = NULL;
    m->MutantListEntry.Flink = m->MutantListEntry.Blink = &m->MutantListEntry;
    m->ApcDisable = apc_disable;
}

VOID KeInitializeMutex(PRKMUTEX Mutex, ULONG Level)
{
    (void)Level;
    init_mutant(Mutex, HH_OBJECT_MUTEX, 1);
}

VOID KeInitializeMutant(PRKMUTANT Mutant, BOOLEAN InitialOwner)
{
    struct hh_engine *e = hh_shim_enter("KeInitializeMutant");
    init_mutant(Mutant, HH_OBJECT_MUTANT, 0);
    if (InitialOwner)
        hh_acquire(e, e->current, Mutant); /* free: the caller owns it, state 0 */
    hh_shim_leave(e);
}

static LONG release(const char *routine, PRKMUTANT m, BOOLEAN abandon, BOOLEAN wait)
{
    struct hh_engine *e = hh_shim_enter(routine);
    LONG prev = 0;
    NTSTATUS status = STATUS_SUCCESS;
    hh_shim_require_irql(e, routine, DISPATCH_LEVEL);
    if (abandon)
        prev = hh_mutant_abandon(e, m);
    else
        status = hh_mutant_release(e, e->current, m, &prev);
    if (status != STATUS_SUCCESS) {
        char what[160];
        hh_engine_abort(e, HH_RULE_MUTANT_NOT_OWNED,
                        "%s on %s by thread '%s', which does not own it (%s): the kernel "
                        "raises %s",
                        routine, hh_engine_describe_object(e, m, what, sizeof(what)),
                        e->current->name,
                        m->OwnerThread ? "another thread holds it" : "nobody holds it",
                        status == STATUS_ABANDONED ? "STATUS_ABANDONED (it was abandoned)"
                                                   : "STATUS_MUTANT_NOT_OWNED (0xC0000046)");
    }
    hh_shim_wait_next(e, wait);
    hh_shim_leave(e);
    return prev;
}

LONG KeReleaseMutex(PRKMUTEX Mutex, BOOLEAN Wait)
{
    return release("KeReleaseMutex", Mutex, FALSE, Wait);
}

LONG KeReleaseMutant(PRKMUTANT Mutant, KPRIORITY Increment, BOOLEAN Abandon, BOOLEAN Wait)
{
    (void)Increment;
    return release("KeReleaseMutant", Mutant, Abandon, Wait);
}

LONG KeReadStateMutex(PRKMUTEX Mutex)
{
    return hh_shim_read_state("KeReadStateMutex", &Mutex->Header);
}

LONG KeReadStateMutant(PRKMUTANT Mutant)
{
    return hh_shim_read_state("KeReadStateMutant", &Mutant->Header);
}
