/* ke_region.c - critical and guarded regions: KeEnterCriticalRegion, KeLeaveCriticalRegion,
 * KeEnterGuardedRegion, KeLeaveGuardedRegion, KeAreApcsDisabled, KeAreAllApcsDisabled.
 *
 * A critical region disables normal kernel APCs, a guarded region all kernel APCs; both nest.
 * The thread counts them (with the KMUTEXes and guarded mutexes it holds, which disable APCs
 * the same way) and records each entry with its source line, so a routine that returns inside
 * a region it entered is named at that return (rule held-at-return). A leave with no matching
 * enter is rule "lock": the kernel's count goes out of balance and the thread's exit bug-checks
 * (KERNEL_APC_PENDING_DURING_EXIT, 0x20).
 */
#define HOTSWAP_NO_LOCK_SITES
#include "shim.h"

#define CRITICAL_REGION 0
#define GUARDED_REGION 1

static const char *const region_kind[] = {"critical region", "guarded region"};

static void enter(const char *routine, int region, const char *file, int line)
{
    struct hh_engine *e = hh_shim_enter(routine);
    hh_shim_require_irql(e, routine, APC_LEVEL);
    if (region == CRITICAL_REGION)
        e->current->kernel_apc_disable++;
    else
        e->current->special_apc_disable++;
    hh_held_push(e->current, NULL, region_kind[region], file, line);
    hh_shim_leave(e);
}

static void leave(const char *routine, int region, const char *enter_name)
{
    struct hh_engine *e = hh_shim_enter(routine);
    const char *kind = region_kind[region];
    hh_shim_require_irql(e, routine, APC_LEVEL);
    if (!hh_held_pop(e->current, NULL, kind))
        hh_engine_abort(e, HH_RULE_LOCK,
                        "%s by thread '%s', which is in no %s it entered with %s: the "
                        "kernel's APC-disable count goes out of balance and the thread's exit "
                        "bug-checks with KERNEL_APC_PENDING_DURING_EXIT (0x20)",
                        routine, e->current->name, kind, enter_name);
    if (region == CRITICAL_REGION)
        e->current->kernel_apc_disable--;
    else
        e->current->special_apc_disable--;
    hh_shim_leave(e);
}

VOID HhKeEnterCriticalRegionAt(const char *File, int Line)
{
    enter("KeEnterCriticalRegion", CRITICAL_REGION, File, Line);
}

VOID KeEnterCriticalRegion(void)
{
    enter("KeEnterCriticalRegion", CRITICAL_REGION, NULL, 0);
}

VOID KeLeaveCriticalRegion(void)
{
    leave("KeLeaveCriticalRegion", CRITICAL_REGION, "KeEnterCriticalRegion");
}

VOID HhKeEnterGuardedRegionAt(const char *File, int Line)
{
    enter("KeEnterGuardedRegion", GUARDED_REGION, File, Line);
}

VOID KeEnterGuardedRegion(void)
{
    enter("KeEnterGuardedRegion", GUARDED_REGION, NULL, 0);
}

VOID KeLeaveGuardedRegion(void)
{
    leave("KeLeaveGuardedRegion", GUARDED_REGION, "KeEnterGuardedRegion");
}

/* In a critical or a guarded region (or holding what disables APCs as they do). */
BOOLEAN KeAreApcsDisabled(void)
{
    struct hh_engine *e = hh_shim_enter("KeAreApcsDisabled");
    BOOLEAN r = e->current->kernel_apc_disable != 0 || e->current->special_apc_disable != 0;
    hh_shim_leave(e);
    return r;
}

/* In a guarded region, or at APC_LEVEL or above. */
BOOLEAN KeAreAllApcsDisabled(void)
{
    struct hh_engine *e = hh_shim_enter("KeAreAllApcsDisabled");
    BOOLEAN r = e->current->special_apc_disable != 0 || e->current->irql >= APC_LEVEL;
    hh_shim_leave(e);
    return r;
}
