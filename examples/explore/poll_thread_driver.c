/* poll_thread_driver.c - a driver that polls its device from a system thread of its own,
 * written as drivers write one: the stop event, the spin lock and the sample count are
 * globals; PollLoad (the DriverEntry) creates the thread with PsCreateSystemThread, keeps a
 * reference to its thread object and closes the handle; the thread takes a sample under the
 * lock every 10 ms until the stop event is set; PollUnload sets the stop event, waits on the
 * thread object (the thread has left the driver's code once it is signaled), drops the
 * reference and returns.
 *
 * Broken build (POLL_THREAD_SIGNALS_EARLY, examples/broken): the unload waits on a "stopped"
 * event the thread sets on its way out, not on the thread object, and the thread still has
 * work to do after it: it counts the stop under the lock, then terminates. `run` lets the
 * thread run until it blocks or ends, so it is gone by the time the unload wakes; a schedule
 * that switches to the unload right after KeSetEvent unloads the image under a thread still
 * running its code, which `explore` finds.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#define POLL_INTERVAL_100NS (10 * 1000 * 10) /* 10 ms */

KEVENT PollStopEvent;
KEVENT PollStoppedEvent; /* the broken build's: set by the thread on its way out */
KSPIN_LOCK PollLock;
static LONG PollSamples;
static LONG PollStops;
static PVOID PollThreadObject;

DRIVER_INITIALIZE PollLoad;
DRIVER_UNLOAD PollUnload;
LONG PollSampleCount(VOID);
static KSTART_ROUTINE PollThread;

static VOID PollTakeSample(VOID)
{
    KIRQL oldIrql;

    KeAcquireSpinLock(&PollLock, &oldIrql);
    PollSamples++;
    KeReleaseSpinLock(&PollLock, oldIrql);
}

static VOID PollThread(PVOID StartContext)
{
    LARGE_INTEGER interval;
    NTSTATUS status;
    KIRQL oldIrql;

    UNREFERENCED_PARAMETER(StartContext);
    interval.QuadPart = -POLL_INTERVAL_100NS;
    for (;;) {
        status = KeWaitForSingleObject(&PollStopEvent, Executive, KernelMode, FALSE,
                                       &interval);
        if (status != STATUS_TIMEOUT) {
            break;
        }
        PollTakeSample();
    }
#ifdef POLL_THREAD_SIGNALS_EARLY
    KeSetEvent(&PollStoppedEvent, IO_NO_INCREMENT, FALSE);
#endif
    KeAcquireSpinLock(&PollLock, &oldIrql);
    PollStops++;
    KeReleaseSpinLock(&PollLock, oldIrql);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

LONG PollSampleCount(VOID)
{
    LONG samples;
    KIRQL oldIrql;

    KeAcquireSpinLock(&PollLock, &oldIrql);
    samples = PollSamples;
    KeReleaseSpinLock(&PollLock, oldIrql);
    return samples;
}

_Use_decl_annotations_
NTSTATUS
PollLoad(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    HANDLE thread;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeEvent(&PollStopEvent, NotificationEvent, FALSE);
    KeInitializeEvent(&PollStoppedEvent, NotificationEvent, FALSE);
    KeInitializeSpinLock(&PollLock);
    PollSamples = 0;
    PollStops = 0;
    status = PsCreateSystemThread(&thread, THREAD_ALL_ACCESS, NULL, NULL, NULL, PollThread,
                                  NULL);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    /* Keep the thread object, for the unload to wait on; the handle is not needed. */
    status = ObReferenceObjectByHandle(thread, SYNCHRONIZE, *PsThreadType, KernelMode,
                                       &PollThreadObject, NULL);
    ZwClose(thread);
    if (!NT_SUCCESS(status)) {
        KeSetEvent(&PollStopEvent, IO_NO_INCREMENT, FALSE);
        return status;
    }
    DriverObject->DriverUnload = PollUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID
PollUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    KeSetEvent(&PollStopEvent, IO_NO_INCREMENT, FALSE);
#ifdef POLL_THREAD_SIGNALS_EARLY
    KeWaitForSingleObject(&PollStoppedEvent, Executive, KernelMode, FALSE, NULL);
#else
    KeWaitForSingleObject(PollThreadObject, Executive, KernelMode, FALSE, NULL);
#endif
    ObDereferenceObject(PollThreadObject);
    PollThreadObject = NULL;
}
