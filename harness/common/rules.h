/* rules.h - the contract checks, one X-macro list: id, name users see, what it catches.
 *
 * The name is what reports print and what a scenario's "checks" would turn off; keep it
 * stable. The description is the one-line help `hotswap-harness` shows for the rule.
 */
#ifndef HH_COMMON_RULES_H
#define HH_COMMON_RULES_H

#include <hh/hh.h>

#define HH_RULES(X)                                                                          \
    X(NONE, "none", "no failure")                                                            \
    X(EXPECTATION, "expectation", "an invocation or state differs from the scenario's expect/then") \
    X(LIVELOCK, "livelock", "the worker keeps being invoked without the clock moving")       \
    X(DEADLOCK, "deadlock", "the routine waits on objects nothing can signal any more")      \
    X(CALL_AFTER_TERMINATE, "call-after-terminate", "an invocation after the routine chose terminate") \
    X(BAD_BOOLEAN, "bad-boolean", "the routine returned a BOOLEAN other than 0 or 1")         \
    X(IRQL_AT_RETURN, "irql-at-return", "the routine returned above PASSIVE_LEVEL")          \
    X(POOL_LEAK, "pool-leak", "pool still allocated when the scenario ended")               \
    X(BAD_FREE, "bad-free", "a double free, a free of memory the pool never gave, or a tag mismatch") \
    X(HELD_MUTEX, "held-mutex", "the worker ended holding a KMUTEX (KERNEL_APC_PENDING_DURING_EXIT, 0x20)") \
    X(MUTANT_NOT_OWNED, "mutant-not-owned", "a mutex released by a thread that does not own it (STATUS_MUTANT_NOT_OWNED)") \
    X(MUTANT_LIMIT, "mutant-limit", "a mutex acquired recursively past MINLONG (STATUS_MUTANT_LIMIT_EXCEEDED)") \
    X(SEMAPHORE_LIMIT, "semaphore-limit", "a semaphore released past its limit (STATUS_SEMAPHORE_LIMIT_EXCEEDED)") \
    X(WAIT_IRQL, "wait-irql", "a wait above its IRQL: a non-zero timeout above APC_LEVEL, any above DISPATCH_LEVEL; a delay above APC_LEVEL") \
    X(IRQL, "irql", "KeRaiseIrql/KeLowerIrql in the wrong direction, or a call above its IRQL") \
    X(SPINLOCK, "spinlock", "a spin lock acquired twice or released when not held")           \
    X(WAIT_OBJECTS, "wait-objects", "a wait on objects the kernel rejects: too many (MAXIMUM_WAIT_OBJECTS_EXCEEDED), none, one twice in a WaitAll, a KMUTEX in a UserMode wait") \
    X(BUGCHECK, "bugcheck", "the routine called KeBugCheck(Ex), or did what the kernel always bug-checks (a work item queued or freed while queued, ...)") \
    X(ASSERTION, "assertion", "an ASSERT or NT_ASSERT that failed")                           \
    X(FAST_FAIL, "fast-fail", "__fastfail, or a LIST_ENTRY link that does not point back (FAST_FAIL_CORRUPT_LIST_ENTRY)") \
    X(OVERLAPPING_COPY, "overlapping-copy", "RtlCopyMemory with overlapping ranges (RtlMoveMemory is the one for those)") \
    X(INVARIANT, "invariant", "a decision that breaks one of the scenario's invariants")       \
    X(TIMELINE, "timeline", "a step's time is already past, or a step cannot happen as written") \
    X(CONTEXT, "context", "HotswapCreateContext failed or HotswapDescribeContext gave bad JSON") \
    X(HOTSWAP, "hotswap", "a hot-swap could not load or resolve the new routine, or a driver's new image failed the swap") \
    X(POOL_CALL, "pool-call", "a zero-byte pool allocation, or a failed one that must raise") \
    X(BAD_STRING, "bad-string", "a UNICODE_STRING or ANSI_STRING the kernel would fault on or misread") \
    X(CRASH, "crash", "the routine crashed: a signal or an exception ended the process")      \
    X(WATCHDOG, "watchdog", "an invocation did not return within the watchdog limit")      \
    X(HELD_AT_RETURN, "held-at-return", "the routine returned holding a lock, or inside a critical or guarded region, it took in that call") \
    X(LOCK, "lock", "a fast or guarded mutex, resource, region or push lock used against its contract") \
    X(RAW_ROUTINE, "raw-routine", "a hot-swappable worker created with a routine that is not a registered endpoint's wrapper") \
    X(HANDLE_LEAK, "handle-leak", "a handle still open, an object reference still held, or a system thread still running when the scenario ended") \
    X(DRIVER, "driver", "a driver-mode scenario's load routine failed, its unload left a worker thread running, or it freed a running worker's context")

enum hh_rule {
#define HH_RULE_ENUM(id, name, what) HH_RULE_##id,
    HH_RULES(HH_RULE_ENUM)
#undef HH_RULE_ENUM
    HH_RULE_COUNT
};

const char *hh_rule_name(enum hh_rule rule);
const char *hh_rule_description(enum hh_rule rule);
/* The rule named `name`, or HH_RULE_NONE. */
enum hh_rule hh_rule_from_name(const char *name);
/* Whether a scenario's "checks" or the command line may turn the rule off: only checks the
 * kernel would survive (a leak, a bad BOOLEAN, an IRQL left raised, a held KMUTEX at the
 * end, a lock or region held at return, an invariant, an ASSERT a free build leaves out, an
 * overlapping RtlCopyMemory, a raw worker routine, a handle or thread left at the end). Bug
 * checks and what would hang the harness stay on. */
int hh_rule_switchable(enum hh_rule rule);

#endif
