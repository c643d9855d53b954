/* probe_thread.c - a probe of system threads, kernel handles and thread objects, written the
 * way a driver writes them: globals for its events, threads made with PsCreateSystemThread
 * and joined through their thread objects (ObReferenceObjectByHandle, a wait, then
 * ObDereferenceObject and ZwClose).
 *
 * Objects, in start-context order (each a synchronization event but stop):
 *  0 join       a thread that sets an event and ends; the routine waits on its thread object
 *  1 terminate  a thread that ends with PsTerminateSystemThread mid-routine
 *  2 blocked    a thread that waits on ProbeWake, which a `call` step sets (ProbeThreadWake)
 *  3 reap       the routine waits for that thread and closes its handle
 *  4 pingpong   two threads hand two events back and forth three times
 *  5 mutant     a thread that ends owning a mutant: the routine's wait finds it abandoned
 *  6 leak       a thread whose handle is never closed (rule handle-leak)
 *  7 twice      a handle closed twice (INVALID_KERNEL_HANDLE)
 *  8 stuck      a thread left waiting on an event nothing sets (rule handle-leak at the end)
 *  9 stop       notification event: the worker ends
 * ProbeThreadStopWorker, a `call` step's stop function, sets stop and waits on the worker's
 * own thread object until the worker ended.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeThreadRoutine;
NTSTATUS ProbeThreadWake(VOID);
NTSTATUS ProbeThreadStopWorker(PKEVENT Stop);

static KEVENT ProbeSetterDone;
static PETHREAD ProbeSetterSelf;
static KIRQL ProbeSetterIrql;
static LONG ProbeBeforeTerminate;
static LONG ProbeAfterTerminate;
static KEVENT ProbeWake;
static LONG ProbeWoken;
static HANDLE ProbeBlockedHandle;
static KEVENT ProbePing;
static KEVENT ProbePong;
static char ProbeTrace[16];
static LONG ProbeTraceLength;
static KMUTANT ProbeMutant;
static KEVENT ProbeNever;
static PKTHREAD ProbeWorkerThread;

static KSTART_ROUTINE ProbeSetterThread;
static KSTART_ROUTINE ProbeTerminatingThread;
static KSTART_ROUTINE ProbeBlockedThread;
static KSTART_ROUTINE ProbePingThread;
static KSTART_ROUTINE ProbePongThread;
static KSTART_ROUTINE ProbeMutantThread;
static KSTART_ROUTINE ProbeQuickThread;
static KSTART_ROUTINE ProbeStuckThread;

_Use_decl_annotations_
static VOID
ProbeSetterThread(PVOID StartContext)
{
    UNREFERENCED_PARAMETER(StartContext);
    ProbeSetterSelf = PsGetCurrentThread();
    ProbeSetterIrql = KeGetCurrentIrql();
    KeSetEvent(&ProbeSetterDone, IO_NO_INCREMENT, FALSE);
}

_Use_decl_annotations_
static VOID
ProbeTerminatingThread(PVOID StartContext)
{
    UNREFERENCED_PARAMETER(StartContext);
    ProbeBeforeTerminate++;
    PsTerminateSystemThread(STATUS_SUCCESS);
    ProbeAfterTerminate++;
}

_Use_decl_annotations_
static VOID
ProbeBlockedThread(PVOID StartContext)
{
    UNREFERENCED_PARAMETER(StartContext);
    KeWaitForSingleObject(&ProbeWake, Executive, KernelMode, FALSE, NULL);
    ProbeWoken++;
}

static VOID
ProbeTraceAppend(char Letter)
{
    if (ProbeTraceLength < (LONG)sizeof(ProbeTrace) - 1) {
        ProbeTrace[ProbeTraceLength++] = Letter;
    }
}

_Use_decl_annotations_
static VOID
ProbePingThread(PVOID StartContext)
{
    int i;

    UNREFERENCED_PARAMETER(StartContext);
    for (i = 0; i < 3; i++) {
        ProbeTraceAppend('A');
        KeSetEvent(&ProbePing, IO_NO_INCREMENT, FALSE);
        KeWaitForSingleObject(&ProbePong, Executive, KernelMode, FALSE, NULL);
    }
}

_Use_decl_annotations_
static VOID
ProbePongThread(PVOID StartContext)
{
    int i;

    UNREFERENCED_PARAMETER(StartContext);
    for (i = 0; i < 3; i++) {
        KeWaitForSingleObject(&ProbePing, Executive, KernelMode, FALSE, NULL);
        ProbeTraceAppend('B');
        KeSetEvent(&ProbePong, IO_NO_INCREMENT, FALSE);
    }
}

_Use_decl_annotations_
static VOID
ProbeMutantThread(PVOID StartContext)
{
    UNREFERENCED_PARAMETER(StartContext);
    KeWaitForSingleObject(&ProbeMutant, Executive, KernelMode, FALSE, NULL);
    /* Ends owning it: the thread's rundown abandons it. */
}

_Use_decl_annotations_
static VOID
ProbeQuickThread(PVOID StartContext)
{
    UNREFERENCED_PARAMETER(StartContext);
}

_Use_decl_annotations_
static VOID
ProbeStuckThread(PVOID StartContext)
{
    UNREFERENCED_PARAMETER(StartContext);
    KeWaitForSingleObject(&ProbeNever, Executive, KernelMode, FALSE, NULL);
}

static NTSTATUS
ProbeStart(PKSTART_ROUTINE Routine, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES attributes;

    InitializeObjectAttributes(&attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    return PsCreateSystemThread(Handle, THREAD_ALL_ACCESS, &attributes, NULL, NULL, Routine,
                                NULL);
}

/* The usual join: a referenced thread object outlives the handle, which is closed at once. */
static NTSTATUS
ProbeJoin(HANDLE Handle)
{
    PVOID thread;
    NTSTATUS status;

    status = ObReferenceObjectByHandle(Handle, SYNCHRONIZE, *PsThreadType, KernelMode, &thread,
                                       NULL);
    ZwClose(Handle);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(thread);
    return status;
}

static VOID
ProbeJoinSetter(VOID)
{
    HANDLE handle;
    PVOID thread = NULL;
    PVOID event = NULL;
    NTSTATUS created, referenced, mismatch, bad, waited, closed;

    KeInitializeEvent(&ProbeSetterDone, NotificationEvent, FALSE);
    created = ProbeStart(ProbeSetterThread, &handle);
    referenced = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode,
                                           &thread, NULL);
    mismatch = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *ExEventObjectType, KernelMode,
                                         &event, NULL);
    bad = ObReferenceObjectByHandle((HANDLE)(ULONG_PTR)0x1234, SYNCHRONIZE, NULL, KernelMode,
                                    &event, NULL);
    closed = ZwClose(handle);
    waited = KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL);
    DbgPrint("join: create %08lx ref %08lx mismatch %08lx bad %08lx close %08lx wait %08lx "
             "event %ld self %d irql %u bogus close %08lx\n",
             (ULONG)created, (ULONG)referenced, (ULONG)mismatch, (ULONG)bad, (ULONG)closed,
             (ULONG)waited, (long)KeReadStateEvent(&ProbeSetterDone),
             ProbeSetterSelf == (PETHREAD)thread, (unsigned)ProbeSetterIrql,
             (ULONG)ZwClose((HANDLE)(ULONG_PTR)0x1234));
    ObDereferenceObject(thread);
}

_Use_decl_annotations_
BOOLEAN
ProbeThreadRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    HANDLE handle, second;
    PVOID threads[2];
    NTSTATUS status, mutant;

    UNREFERENCED_PARAMETER(WorkerContext);
    ProbeWorkerThread = KeGetCurrentThread();
    switch (WaitStatus) {
    case STATUS_WAIT_0:
        ProbeJoinSetter();
        break;

    case STATUS_WAIT_1:
        status = ProbeStart(ProbeTerminatingThread, &handle);
        if (NT_SUCCESS(status)) {
            status = ProbeJoin(handle);
        }
        DbgPrint("terminate: wait %08lx before %ld after %ld; on the worker %08lx\n",
                 (ULONG)status, (long)ProbeBeforeTerminate, (long)ProbeAfterTerminate,
                 (ULONG)PsTerminateSystemThread(STATUS_SUCCESS));
        break;

    case STATUS_WAIT_2:
        KeInitializeEvent(&ProbeWake, SynchronizationEvent, FALSE);
        status = ProbeStart(ProbeBlockedThread, &ProbeBlockedHandle);
        DbgPrint("blocked: create %08lx woken %ld\n", (ULONG)status, (long)ProbeWoken);
        break;

    case STATUS_WAIT_3:
        DbgPrint("reap: woken %ld wait %08lx\n", (long)ProbeWoken,
                 (ULONG)ProbeJoin(ProbeBlockedHandle));
        ProbeBlockedHandle = NULL;
        break;

    case STATUS_WAIT_0 + 4:
        KeInitializeEvent(&ProbePing, SynchronizationEvent, FALSE);
        KeInitializeEvent(&ProbePong, SynchronizationEvent, FALSE);
        ProbeTraceLength = 0;
        ProbeStart(ProbePingThread, &handle);
        ProbeStart(ProbePongThread, &second);
        ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &threads[0],
                                  NULL);
        ObReferenceObjectByHandle(second, SYNCHRONIZE, *PsThreadType, KernelMode, &threads[1],
                                  NULL);
        ZwClose(handle);
        ZwClose(second);
        status = KeWaitForMultipleObjects(2, threads, WaitAll, Executive, KernelMode, FALSE,
                                          NULL, NULL);
        ObDereferenceObject(threads[0]);
        ObDereferenceObject(threads[1]);
        ProbeTrace[ProbeTraceLength] = '\0';
        DbgPrint("pingpong: %s wait %08lx\n", ProbeTrace, (ULONG)status);
        break;

    case STATUS_WAIT_0 + 5:
        KeInitializeMutant(&ProbeMutant, FALSE);
        status = ProbeStart(ProbeMutantThread, &handle);
        if (NT_SUCCESS(status)) {
            status = ProbeJoin(handle);
        }
        mutant = KeWaitForSingleObject(&ProbeMutant, Executive, KernelMode, FALSE, NULL);
        KeReleaseMutant(&ProbeMutant, IO_NO_INCREMENT, FALSE, FALSE);
        DbgPrint("mutant: thread %08lx mutant %08lx\n", (ULONG)status, (ULONG)mutant);
        break;

    case STATUS_WAIT_0 + 6:
        ProbeStart(ProbeQuickThread, &handle); /* the handle is dropped: never closed */
        DbgPrint("leak: handle dropped\n");
        break;

    case STATUS_WAIT_0 + 7:
        ProbeStart(ProbeQuickThread, &handle);
        ZwClose(handle);
        ZwClose(handle);
        break;

    case STATUS_WAIT_0 + 8:
        KeInitializeEvent(&ProbeNever, NotificationEvent, FALSE);
        if (NT_SUCCESS(ProbeStart(ProbeStuckThread, &handle))) {
            ZwClose(handle);
        }
        DbgPrint("stuck: thread left waiting\n");
        break;

    default:
        DbgPrint("probe thread: stop %08lx\n", (ULONG)WaitStatus);
        return FALSE;
    }
    return TRUE;
}

/* A producer at DISPATCH_LEVEL wakes the blocked thread. */
NTSTATUS
ProbeThreadWake(VOID)
{
    KeSetEvent(&ProbeWake, IO_NO_INCREMENT, FALSE);
    return STATUS_SUCCESS;
}

/* The driver's stop: signal the worker, then wait until its thread has ended. The thread
 * object is referenced first, so it cannot go away under the wait. */
NTSTATUS
ProbeThreadStopWorker(PKEVENT Stop)
{
    PKTHREAD worker = ProbeWorkerThread;
    NTSTATUS status;

    if (worker == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    ObReferenceObject(worker);
    KeSetEvent(Stop, IO_NO_INCREMENT, FALSE);
    status = KeWaitForSingleObject(worker, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(worker);
    return status;
}
