/* test_layout.c - what a routine compiles against: the start context's fields and 64-bit
 * offsets, the status values a wait returns and the constants of the wait rules
 * (WAIT-SEMANTICS §1.1, §1.4, §2.2, decision 2, §6.1; SPEC §4).
 */
#include "engine_test.h"

typedef DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start_context;

#define FIELD_SIZE(type, field) sizeof(((type *)0)->field)

/* §6.1: 64-bit offsets 0, 8, 16, 20, 24, Timeout 32, EventCount 40, Events 48. */
static void layout_start_context_offsets_64bit(void)
{
    if (sizeof(void *) != 8) {
        /* Elsewhere the order still holds. */
        CHECK(offsetof(start_context, Context) < offsetof(start_context, WaitType));
        CHECK(offsetof(start_context, Timeout) < offsetof(start_context, EventCount));
        CHECK(offsetof(start_context, EventCount) < offsetof(start_context, Events));
        return;
    }
    CHECK_EQ(offsetof(start_context, WorkerRoutine), 0);
    CHECK_EQ(offsetof(start_context, Context), 8);
    CHECK_EQ(offsetof(start_context, WaitType), 16);
    CHECK_EQ(offsetof(start_context, WaitReason), 20);
    CHECK_EQ(offsetof(start_context, WaitMode), 24);
    CHECK_EQ(offsetof(start_context, Altertable), 25);
    CHECK_EQ(offsetof(start_context, HasTimeout), 26);
    CHECK_EQ(offsetof(start_context, Timeout), 32);
    CHECK_EQ(offsetof(start_context, EventCount), 40);
    CHECK_EQ(offsetof(start_context, Events), 48);
    CHECK_EQ(sizeof(start_context), 56);
}

/* Decision 2: Timeout is a LARGE_INTEGER by value beside HasTimeout; the field is Altertable. */
static void decision2_start_context_fields(void)
{
    start_context s;
    memset(&s, 0, sizeof(s));
    s.Altertable = TRUE;
    s.HasTimeout = TRUE;
    s.Timeout.QuadPart = -10000;
    CHECK_EQ(FIELD_SIZE(start_context, Timeout), sizeof(LARGE_INTEGER));
    CHECK_EQ(FIELD_SIZE(start_context, Timeout), 8);
    CHECK_EQ(FIELD_SIZE(start_context, Altertable), 1);
    CHECK_EQ(FIELD_SIZE(start_context, HasTimeout), 1);
    CHECK_EQ(FIELD_SIZE(start_context, WaitMode), 1);
    CHECK_EQ(FIELD_SIZE(start_context, EventCount), 4);
    CHECK_EQ(FIELD_SIZE(start_context, Events[0]), sizeof(PKEVENT));
    CHECK_EQ(s.Timeout.QuadPart, -10000);
    CHECK_EQ(sizeof(WAIT_TYPE), 4);
    CHECK_EQ(sizeof(KWAIT_REASON), 4);
}

/* §1.1: the status values a wait can return. */
static void status_wait_values(void)
{
    CHECK_EQ(STATUS_WAIT_0, 0x00);
    CHECK_EQ(STATUS_SUCCESS, 0x00);
    CHECK_EQ(STATUS_WAIT_1, 0x01);
    CHECK_EQ(STATUS_WAIT_63, 0x3F);
    CHECK_EQ(STATUS_ABANDONED, 0x80);
    CHECK_EQ(STATUS_ABANDONED_WAIT_0, 0x80);
    CHECK_EQ(STATUS_ABANDONED_WAIT_63, 0xBF);
    CHECK_EQ(STATUS_USER_APC, 0xC0);
    CHECK_EQ(STATUS_KERNEL_APC, 0x100);
    CHECK_EQ(STATUS_ALERTED, 0x101);
    CHECK_EQ(STATUS_TIMEOUT, 0x102);
}

/* §1.1: every status a wait returns satisfies NT_SUCCESS; the raised ones do not. */
static void status_wait_results_are_success(void)
{
    static const NTSTATUS results[] = {
        STATUS_WAIT_0, STATUS_WAIT_63, STATUS_ABANDONED_WAIT_0, STATUS_ABANDONED_WAIT_63,
        STATUS_USER_APC, STATUS_KERNEL_APC, STATUS_ALERTED, STATUS_TIMEOUT,
    };
    size_t i;
    for (i = 0; i < sizeof(results) / sizeof(results[0]); i++)
        CHECK(NT_SUCCESS(results[i]));
    CHECK(!NT_SUCCESS(STATUS_MUTANT_NOT_OWNED));
    CHECK(!NT_SUCCESS(STATUS_MUTANT_LIMIT_EXCEEDED));
    CHECK(!NT_SUCCESS(STATUS_SEMAPHORE_LIMIT_EXCEEDED));
}

/* §1.1, §1.4, §1.5, §2.2, §2.3: the raised and NT-layer status values. */
static void status_error_values(void)
{
    CHECK_EQ((ULONG)STATUS_MUTANT_LIMIT_EXCEEDED, 0xC0000191u);
    CHECK_EQ((ULONG)STATUS_MUTANT_NOT_OWNED, 0xC0000046u);
    CHECK_EQ((ULONG)STATUS_SEMAPHORE_LIMIT_EXCEEDED, 0xC0000047u);
    CHECK_EQ((ULONG)STATUS_INVALID_PARAMETER_MIX, 0xC0000030u);
    CHECK_EQ((ULONG)STATUS_INVALID_PARAMETER_1, 0xC00000EFu);
    CHECK_EQ((ULONG)STATUS_INVALID_PARAMETER_3, 0xC00000F1u);
    CHECK_EQ((ULONG)STATUS_INVALID_PARAMETER, 0xC000000Du);
}

/* §1.4, decision 3: the wait limits and the bug check codes the rules stand for. */
static void constants_wait_limits_and_bugchecks(void)
{
    CHECK_EQ(THREAD_WAIT_OBJECTS, 3);
    CHECK_EQ(MAXIMUM_WAIT_OBJECTS, 64);
    CHECK_EQ(MAXIMUM_WAIT_OBJECTS_EXCEEDED, 0xC);
    CHECK_EQ(THREAD_TERMINATE_HELD_MUTEX, 0x4000008A);
    CHECK_EQ(MINLONG, -2147483647 - 1);
    CHECK_EQ(MAXLONG, 2147483647);
    CHECK_EQ(KernelMode, 0);
    CHECK_EQ(UserMode, 1);
    CHECK_EQ(WaitAll, 0);
    CHECK_EQ(WaitAny, 1);
}

/* §1.7: times are 100 ns units; the clock starts at a fixed system time. */
static void constants_time_units(void)
{
    struct hh_engine *e = et_engine();
    LARGE_INTEGER now;
    CHECK_EQ(HH_TICKS_PER_MS, 10000);
    CHECK_EQ(HH_TICKS_PER_SECOND, 10000000);
    KeQuerySystemTime(&now);
    CHECK_EQ(now.QuadPart, HH_SYSTEM_TIME_BASE);
    hh_engine_advance_to(e, ET_MS(3));
    KeQuerySystemTime(&now);
    CHECK_EQ(now.QuadPart, HH_SYSTEM_TIME_BASE + 30000);
    CHECK_EQ(KeQueryInterruptTime(), 30000);
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"layout_start_context_offsets_64bit", layout_start_context_offsets_64bit},
        {"decision2_start_context_fields", decision2_start_context_fields},
        {"status_wait_values", status_wait_values},
        {"status_wait_results_are_success", status_wait_results_are_success},
        {"status_error_values", status_error_values},
        {"constants_wait_limits_and_bugchecks", constants_wait_limits_and_bugchecks},
        {"constants_time_units", constants_time_units},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
