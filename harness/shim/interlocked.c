/* interlocked.c - the Interlocked family on the platform's atomics.
 *
 * Same results as the kernel's: Increment, Decrement and Add64 forms give the new value,
 * every other form the value before the operation. Wrap-around is two's complement. The
 * ExInterlocked forms with a lock hold it for the add, as the kernel's do.
 */
#include "platform/plat.h"
#include "shim.h"

/* A 64-bit read-modify-write as a compare-exchange loop; returns the value before. */
enum bitop { OP_AND, OP_OR, OP_XOR };

static LONG64 bitop64(LONG64 volatile *target, LONG64 value, enum bitop op)
{
    LONG64 old, now;
    do {
        old = *target;
        now = op == OP_AND ? (old & value) : op == OP_OR ? (old | value) : (old ^ value);
    } while (hh_plat_atomic_cas64(target, now, old) != old);
    return old;
}

/* The value before an add that returned `after`, without signed overflow. */
static LONG before_add32(LONG after, LONG value)
{
    return (LONG)((ULONG)after - (ULONG)value);
}

static LONG64 before_add64(LONG64 after, LONG64 value)
{
    return (LONG64)((ULONG64)after - (ULONG64)value);
}

LONG InterlockedIncrement(LONG volatile *Addend)
{
    return hh_plat_atomic_add32(Addend, 1);
}

LONG InterlockedDecrement(LONG volatile *Addend)
{
    return hh_plat_atomic_add32(Addend, -1);
}

LONG InterlockedExchange(LONG volatile *Target, LONG Value)
{
    return hh_plat_atomic_xchg32(Target, Value);
}

LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value)
{
    return before_add32(hh_plat_atomic_add32(Addend, Value), Value);
}

LONG InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange, LONG Comparand)
{
    return hh_plat_atomic_cas32(Destination, Exchange, Comparand);
}

LONG InterlockedOr(LONG volatile *Destination, LONG Value)
{
    return hh_plat_atomic_or32(Destination, Value);
}

LONG InterlockedAnd(LONG volatile *Destination, LONG Value)
{
    return hh_plat_atomic_and32(Destination, Value);
}

LONG InterlockedXor(LONG volatile *Destination, LONG Value)
{
    return hh_plat_atomic_xor32(Destination, Value);
}

LONG64 InterlockedIncrement64(LONG64 volatile *Addend)
{
    return hh_plat_atomic_add64(Addend, 1);
}

LONG64 InterlockedDecrement64(LONG64 volatile *Addend)
{
    return hh_plat_atomic_add64(Addend, -1);
}

LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value)
{
    return hh_plat_atomic_xchg64(Target, Value);
}

LONG64 InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value)
{
    return before_add64(hh_plat_atomic_add64(Addend, Value), Value);
}

LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 Exchange,
                                    LONG64 Comparand)
{
    return hh_plat_atomic_cas64(Destination, Exchange, Comparand);
}

PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
    return hh_plat_atomic_xchgptr(Target, Value);
}

PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange,
                                        PVOID Comparand)
{
    return hh_plat_atomic_casptr(Destination, Exchange, Comparand);
}

LONG64 InterlockedXor64(LONG64 volatile *Destination, LONG64 Value)
{
    return bitop64(Destination, Value, OP_XOR);
}

LONG64 InterlockedOr64(LONG64 volatile *Destination, LONG64 Value)
{
    return bitop64(Destination, Value, OP_OR);
}

LONG64 InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value)
{
    return bitop64(Destination, Value, OP_AND);
}

LARGE_INTEGER ExInterlockedAddLargeInteger(PLARGE_INTEGER Addend, LARGE_INTEGER Increment,
                                           PKSPIN_LOCK Lock)
{
    KIRQL irql = hh_shim_ex_lock(Lock);
    LARGE_INTEGER old = *Addend;
    Addend->QuadPart = (LONGLONG)((ULONGLONG)old.QuadPart + (ULONGLONG)Increment.QuadPart);
    hh_shim_ex_unlock(Lock, irql);
    return old;
}

ULONG ExInterlockedAddUlong(PULONG Addend, ULONG Increment, PKSPIN_LOCK Lock)
{
    KIRQL irql = hh_shim_ex_lock(Lock);
    ULONG old = *Addend;
    *Addend = old + Increment;
    hh_shim_ex_unlock(Lock, irql);
    return old;
}
