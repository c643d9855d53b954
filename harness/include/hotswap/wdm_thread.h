/* <hotswap/wdm_thread.h> - thread identity, priority and memory barriers.
 *
 * Included by <hotswap/wdm.h>; not for direct use. KeGetCurrentThread and the clocks
 * (KeQueryTickCount, KeQueryTimeIncrement, KeQueryPerformanceCounter) are in wdm.h itself.
 * Priorities are recorded and read back; the harness's scheduling does not depend on them.
 */
#ifndef HOTSWAP_WDM_THREAD_H
#define HOTSWAP_WDM_THREAD_H

#ifndef HOTSWAP_WDM_H
#error "include <hotswap/wdm.h>, not <hotswap/wdm_thread.h>"
#endif

#define LOW_PRIORITY 0
#define LOW_REALTIME_PRIORITY 16
#define HIGH_PRIORITY 31
#define MAXIMUM_PRIORITY 32

/* A unique id per thread of the run, a multiple of 4 as Windows gives them. */
HH_API HANDLE PsGetCurrentThreadId(void);
/* Priority 1 to HIGH_PRIORITY at IRQL <= DISPATCH_LEVEL; returns the old priority. Another
 * value is a finding (rule "irql" for the IRQL, "bugcheck" for the value: the kernel's
 * ASSERT fails in a checked build, a free build corrupts its ready queues). */
HH_API KPRIORITY KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority);
HH_API KPRIORITY KeQueryPriorityThread(PKTHREAD Thread);

/* A full memory barrier (every load and store before it completes before any after it). */
HH_API VOID KeMemoryBarrier(void);
#define KeMemoryBarrierWithoutFence() KeMemoryBarrier()

#endif
