/* resource_guard.h - a worker that takes a shared resource's lock (an NT mutant) whenever the
 * resource's client lets go of it, validates or repairs the resource, and hands the lock back.
 *
 * Objects, in start-context order: 0 = the lock (a mutant, so that an owner that dies holding
 * it abandons it), 1 = the stop event. The wait must be KernelMode (a mutex is in the set).
 */
#ifndef RESOURCE_GUARD_H
#define RESOURCE_GUARD_H

#define RESOURCE_GUARD_POOL_TAG 0x64724752UL /* "RGrd" in pool dumps */

/* An update bumps Generation, writes, then sets Committed = Generation; an owner that dies in
 * between leaves them different. */
typedef struct _GUARDED_RESOURCE {
    LONG Generation;
    LONG Committed;
} GUARDED_RESOURCE, *PGUARDED_RESOURCE;

typedef struct _RESOURCE_GUARD_CONTEXT {
    PKMUTEX Lock;
    PKEVENT StopEvent;
    GUARDED_RESOURCE Resource; /* guarded by Lock */
    LONG Uses;
    LONG Repairs;
} RESOURCE_GUARD_CONTEXT, *PRESOURCE_GUARD_CONTEXT;

_IRQL_requires_max_(APC_LEVEL)
_Must_inspect_result_
NTSTATUS
ResourceGuardCreateContext(_In_ PKMUTEX Lock, _In_ PKEVENT StopEvent,
                           _Out_ PRESOURCE_GUARD_CONTEXT *Context);

_IRQL_requires_max_(APC_LEVEL)
VOID
ResourceGuardDeleteContext(_In_ PRESOURCE_GUARD_CONTEXT Context);

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ResourceGuardRoutine;

#endif
