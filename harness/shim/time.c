/* time.c - the kernel's clocks and the current thread, all read from the engine.
 *
 * Interrupt time is the engine's virtual clock (100 ns since the scenario started); system
 * time adds HH_SYSTEM_TIME_BASE; the tick count uses the usual 15.625 ms clock tick and the
 * performance counter runs at 10 MHz, so every value follows from e->now alone.
 */
#include "shim.h"

#define TIME_INCREMENT 156250 /* 100 ns units per clock tick: 15.625 ms */
#define PERFORMANCE_FREQUENCY 10000000

PKTHREAD KeGetCurrentThread(void)
{
    return hh_shim_engine("KeGetCurrentThread")->current;
}

PETHREAD PsGetCurrentThread(void)
{
    return hh_shim_engine("PsGetCurrentThread")->current;
}

VOID KeQuerySystemTime(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart = HH_SYSTEM_TIME_BASE + hh_shim_engine("KeQuerySystemTime")->now;
}

VOID KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart =
        HH_SYSTEM_TIME_BASE + hh_shim_engine("KeQuerySystemTimePrecise")->now;
}

ULONGLONG KeQueryInterruptTime(void)
{
    return (ULONGLONG)hh_shim_engine("KeQueryInterruptTime")->now;
}

ULONGLONG KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp)
{
    hh_time now = hh_shim_engine("KeQueryInterruptTimePrecise")->now;
    *QpcTimeStamp = (ULONG64)now;
    return (ULONGLONG)now;
}

VOID KeQueryTickCount(PLARGE_INTEGER TickCount)
{
    TickCount->QuadPart = hh_shim_engine("KeQueryTickCount")->now / TIME_INCREMENT;
}

ULONG KeQueryTimeIncrement(void)
{
    return TIME_INCREMENT;
}

LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
    LARGE_INTEGER counter;
    counter.QuadPart = hh_shim_engine("KeQueryPerformanceCounter")->now;
    if (PerformanceFrequency)
        PerformanceFrequency->QuadPart = PERFORMANCE_FREQUENCY;
    return counter;
}
