/* shim.h - what every kernel-shim file shares: finding the engine and the IRQL rules.
 *
 * A Ke* routine called with no engine current is a harness misuse, not a routine bug: it
 * prints one line and aborts. An IRQL above a routine's documented maximum is a bug check.
 */
#ifndef HH_SHIM_SHIM_H
#define HH_SHIM_SHIM_H

#include "engine/engine.h"

/* The address a shim routine returns to: its call in the module, for reports that name the
 * call site (hh_plat_code_site). NULL where the compiler has no way to say. */
#if defined(_MSC_VER)
#include <intrin.h>
#define HH_RETURN_ADDRESS() _ReturnAddress()
#elif defined(__GNUC__) || defined(__clang__)
#define HH_RETURN_ADDRESS() __builtin_return_address(0)
#else
#define HH_RETURN_ADDRESS() ((void *)0)
#endif

/* The current engine, its dispatcher lock taken (a real-clock run has two OS threads in it;
 * the virtual clock takes nothing); prints "hotswap: ROUTINE called outside a harness run" and
 * aborts when there is none. Every entry ends in hh_shim_leave, unless a failure unwinds it
 * (the guard it unwinds to puts the lock back). */
struct hh_engine *hh_shim_enter(const char *routine);
/* The same for a DDI that touches one object: in an explored run its scheduling point says
 * so (access: HH_EX_READ or HH_EX_WRITE of harness/explore/strategy.h), so that the search
 * knows which orders matter. */
struct hh_engine *hh_shim_enter_on(const char *routine, const void *object, int access);
void hh_shim_leave(struct hh_engine *e);
/* Frees what HotswapContextGetInt keeps in e (adapter.c), when e is freed. */
void hh__adapter_free(struct hh_engine *e);
/* Bug-checks (rule "irql") when the current thread runs above max_irql. */
void hh_shim_require_irql(struct hh_engine *e, const char *routine, KIRQL max_irql);

/* An object's SignalState, read under the dispatcher lock (KeReadStateXxx): under the real
 * clock another thread may be changing it. */
LONG hh_shim_read_state(const char *routine, const DISPATCHER_HEADER *h);

/* Wait = TRUE: the caller stays at DISPATCH_LEVEL until its next KeWaitXxx. */
void hh_shim_wait_next(struct hh_engine *e, BOOLEAN wait);

/* The spin lock an ExInterlocked routine is given: taken with KeAcquireSpinLock (its checks
 * apply: a lock the caller already holds is SPIN_LOCK_ALREADY_OWNED), or without raising at
 * or above DISPATCH_LEVEL, since those routines may be called at any IRQL. Returns the IRQL
 * to hand back to hh_shim_ex_unlock. Called outside hh_shim_enter. */
KIRQL hh_shim_ex_lock(PKSPIN_LOCK lock);
void hh_shim_ex_unlock(PKSPIN_LOCK lock, KIRQL irql);
/* irql.c, for the other spin-lock and IRQL files. hh_shim_raise and hh_shim_lower end the shim
 * entry their caller began; raise returns the previous IRQL. */
KIRQL hh_shim_raise(struct hh_engine *e, const char *routine, KIRQL irql);
void hh_shim_lower(struct hh_engine *e, const char *routine, KIRQL irql);
/* Takes (spinning under the real clock while a running holder has it) and gives back a spin
 * lock for the current thread, with the kernel's bug checks; `caller` is where the module
 * called the DDI (a return address, or NULL), named if the lock is still held at return. */
void hh_shim_spin_take(struct hh_engine *e, const char *routine, PKSPIN_LOCK lock,
                       const void *caller);
void hh_shim_spin_give(struct hh_engine *e, const char *routine, PKSPIN_LOCK lock);
/* KeAcquireSpinLock's shape: enters, requires IRQL <= level, takes the lock, raises to level,
 * leaves; returns the IRQL it found. */
KIRQL hh_shim_spin_take_raising(const char *routine, PKSPIN_LOCK lock, KIRQL level,
                                const void *caller);
/* The ...AtDpcLevel forms: below DISPATCH_LEVEL is rule "irql". */
void hh_shim_require_dispatch(struct hh_engine *e, const char *routine);

#endif
