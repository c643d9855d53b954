/* calls.c - a routine module whose exported functions a scenario's "call" steps run: one that
 * adds its arguments, one that sets an event it is given, and ones that break the rules a
 * call is checked against (a spin lock or a raised IRQL kept, a pool block never freed). */
#include <hotswap/wdm.h>

#define CALLS_POOL_TAG 'llaC'

KSPIN_LOCK CallsLock; /* zero: free, as KeInitializeSpinLock leaves it */

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE CallsRoutine;
ULONG_PTR CallsSum(ULONG_PTR A, ULONG_PTR B, ULONG_PTR C, ULONG_PTR D);
NTSTATUS CallsSetEvent(PKEVENT Event);
VOID CallsHoldLock(VOID);
VOID CallsRaiseIrql(VOID);
PVOID CallsAllocate(ULONG Size);

/* TRUE (terminate) on the second object, FALSE on the first. */
BOOLEAN CallsRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    UNREFERENCED_PARAMETER(WorkerContext);
    return WaitStatus == STATUS_WAIT_1;
}

ULONG_PTR CallsSum(ULONG_PTR A, ULONG_PTR B, ULONG_PTR C, ULONG_PTR D)
{
    return A + B + C + D;
}

NTSTATUS CallsSetEvent(PKEVENT Event)
{
    if (Event == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    KeSetEvent(Event, IO_NO_INCREMENT, FALSE);
    return STATUS_SUCCESS;
}

VOID CallsHoldLock(VOID)
{
    KIRQL oldIrql;

    KeAcquireSpinLock(&CallsLock, &oldIrql);
}

VOID CallsRaiseIrql(VOID)
{
    KIRQL oldIrql;

    KeRaiseIrql(DISPATCH_LEVEL, &oldIrql);
}

PVOID CallsAllocate(ULONG Size)
{
    return ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, CALLS_POOL_TAG);
}

/* Never initialized: a scenario that waits on it is told so. */
KEVENT CallsEventNeverInitialized;
