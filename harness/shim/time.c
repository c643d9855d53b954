/* time.c - the kernel's clocks and the current thread, all read from the engine.
 *
 * Interrupt time is the engine's virtual clock (100 ns since the scenario started); system
 * time adds HH_SYSTEM_TIME_BASE; the tick count uses the usual 15.625 ms clock tick and the
 * performance counter runs at 10 MHz, so every value follows from e->now alone (under the
 * real clock e->now follows the OS's monotonic clock). KeStallExecutionProcessor spins on the
 * OS's clock. Thread ids and priorities are the engine's threads' own.
 */
#include "shim.h"

#include "platform/plat.h"

#define TIME_INCREMENT 156250 /* 100 ns units per clock tick: 15.625 ms */
#define PERFORMANCE_FREQUENCY 10000000

/* The clock (and the current thread) read under the dispatcher lock: in a real-clock run,
 * taking it brings the clock up to date. */
static hh_time clock_now(const char *routine)
{
    struct hh_engine *e = hh_shim_enter(routine);
    hh_time t = e->now;
    hh_shim_leave(e);
    return t;
}

static PKTHREAD current(const char *routine)
{
    struct hh_engine *e = hh_shim_enter(routine);
    PKTHREAD t = e->current;
    hh_shim_leave(e);
    return t;
}

PKTHREAD KeGetCurrentThread(void)
{
    return current("KeGetCurrentThread");
}

PETHREAD PsGetCurrentThread(void)
{
    return current("PsGetCurrentThread");
}

HANDLE PsGetCurrentThreadId(void)
{
    PKTHREAD t = current("PsGetCurrentThreadId");
    return (HANDLE)(ULONG_PTR)(t->id * 4u);
}

KPRIORITY KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority)
{
    struct hh_engine *e = hh_shim_enter("KeSetPriorityThread");
    KPRIORITY old = Thread->priority;
    hh_shim_require_irql(e, "KeSetPriorityThread", DISPATCH_LEVEL);
    if (Priority < LOW_PRIORITY + 1 || Priority > HIGH_PRIORITY)
        hh_engine_abort(e, HH_RULE_BUGCHECK,
                        "KeSetPriorityThread(thread %s, %ld): a priority must be 1 to "
                        "HIGH_PRIORITY (31); the kernel's ready queues have no slot for it",
                        Thread->name, (long)Priority);
    Thread->priority = Priority;
    hh_shim_leave(e);
    return old;
}

KPRIORITY KeQueryPriorityThread(PKTHREAD Thread)
{
    struct hh_engine *e = hh_shim_enter("KeQueryPriorityThread");
    KPRIORITY priority = Thread->priority;
    hh_shim_leave(e);
    return priority;
}

VOID KeMemoryBarrier(void)
{
    LONG volatile fence = 0;
    (void)hh_plat_atomic_xchg32(&fence, 0); /* a locked exchange: a full barrier */
}

VOID KeQuerySystemTime(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart = HH_SYSTEM_TIME_BASE + clock_now("KeQuerySystemTime");
}

VOID KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart =
        HH_SYSTEM_TIME_BASE + clock_now("KeQuerySystemTimePrecise");
}

ULONGLONG KeQueryInterruptTime(void)
{
    return (ULONGLONG)clock_now("KeQueryInterruptTime");
}

ULONGLONG KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp)
{
    hh_time now = clock_now("KeQueryInterruptTimePrecise");
    *QpcTimeStamp = (ULONG64)now;
    return (ULONGLONG)now;
}

VOID KeQueryTickCount(PLARGE_INTEGER TickCount)
{
    TickCount->QuadPart = clock_now("KeQueryTickCount") / TIME_INCREMENT;
}

ULONG KeQueryTimeIncrement(void)
{
    return TIME_INCREMENT;
}

LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
    LARGE_INTEGER counter;
    counter.QuadPart = clock_now("KeQueryPerformanceCounter");
    if (PerformanceFrequency)
        PerformanceFrequency->QuadPart = PERFORMANCE_FREQUENCY;
    return counter;
}

VOID KeStallExecutionProcessor(ULONG MicroSeconds)
{
    struct hh_engine *e = hh_shim_enter("KeStallExecutionProcessor");
    int real = e->rt != NULL;
    hh_shim_leave(e);
    if (real) { /* spins unlocked, as the CPU would: steps and DPCs go on meanwhile */
        uint64_t end = hh_plat_monotonic_ns() + (uint64_t)MicroSeconds * 1000u;
        while (hh_plat_monotonic_ns() < end)
            ;
    }
}
