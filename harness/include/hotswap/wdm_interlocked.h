/* <hotswap/wdm_interlocked.h> - the ordered and spin-lock forms of the Interlocked family.
 *
 * Included by <hotswap/wdm.h>; not for direct use. The Acquire, Release and NoFence forms
 * are the full-barrier routines: a stronger order than asked for is always correct. The
 * ExInterlocked routines that take a spin lock take it through KeAcquireSpinLock, so its
 * checks apply; on x64 ExInterlockedCompareExchange64 ignores its lock, as in wdm.h.
 */
#ifndef HOTSWAP_WDM_INTERLOCKED_H
#define HOTSWAP_WDM_INTERLOCKED_H

#ifndef HOTSWAP_WDM_H
#error "include <hotswap/wdm.h>, not <hotswap/wdm_interlocked.h>"
#endif

typedef LONGLONG *PLONGLONG;

#define InterlockedCompareExchangeAcquire InterlockedCompareExchange
#define InterlockedCompareExchangeRelease InterlockedCompareExchange
#define InterlockedCompareExchangeNoFence InterlockedCompareExchange
#define InterlockedIncrementAcquire InterlockedIncrement
#define InterlockedIncrementRelease InterlockedIncrement
#define InterlockedIncrementNoFence InterlockedIncrement
#define InterlockedDecrementAcquire InterlockedDecrement
#define InterlockedDecrementRelease InterlockedDecrement
#define InterlockedDecrementNoFence InterlockedDecrement
#define InterlockedCompareExchangeAcquire64 InterlockedCompareExchange64
#define InterlockedCompareExchangeRelease64 InterlockedCompareExchange64
#define InterlockedAddNoFence64(Addend, Value) InterlockedExchangeAdd64((Addend), (Value))

/* The value before the operation. */
HH_API LONG64 InterlockedXor64(LONG64 volatile *Destination, LONG64 Value);
HH_API LONG64 InterlockedOr64(LONG64 volatile *Destination, LONG64 Value);
HH_API LONG64 InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value);

#define ExInterlockedCompareExchange64(Destination, Exchange, Comparand, Lock)               \
    ((void)(Lock), InterlockedCompareExchange64((Destination), *(Exchange), *(Comparand)))
/* Both return the value before the add. */
HH_API LARGE_INTEGER ExInterlockedAddLargeInteger(PLARGE_INTEGER Addend, LARGE_INTEGER Increment,
                                                  PKSPIN_LOCK Lock);
HH_API ULONG ExInterlockedAddUlong(PULONG Addend, ULONG Increment, PKSPIN_LOCK Lock);
/* Atomic, without a lock, as wdm.h's macro. */
#define ExInterlockedAddLargeStatistic(Addend, Increment)                                    \
    ((void)InterlockedExchangeAdd64(&(Addend)->QuadPart, (LONG64)(Increment)))

#endif
