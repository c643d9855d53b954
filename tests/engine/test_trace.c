/* test_trace.c - the engine's event recording (hh_engine_set_trace): every state change of
 * an object reaches the sink with the state after it, in order, and nothing is recorded
 * without a sink. What a timeline draws is only as right as these events. */
#include <string.h>

#include "engine_test.h"

#define MAX_EVENTS 32

struct sink {
    unsigned n;
    struct hh_trace_event ev[MAX_EVENTS];
    char owner[MAX_EVENTS][32];
};

static void record(void *user, const struct hh_trace_event *ev)
{
    struct sink *s = user;
    if (s->n == MAX_EVENTS)
        return;
    s->ev[s->n] = *ev;
    strcpy(s->owner[s->n], ev->kind == HH_TRACE_OBJECT && ev->state.owner ? ev->state.owner
                                                                          : "");
    s->n++;
}

/* A pulse with a waiter: signaled, then taken, both seen; a set of a set event changes
 * nothing. */
static void rule_event_changes_in_order(void)
{
    struct hh_engine *e = et_engine();
    struct sink s;
    PVOID ev = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKTHREAD t = hh_engine_thread(e, "waiter");
    memset(&s, 0, sizeof(s));
    hh_engine_set_trace(e, record, &s);
    hh_event_set(e, ev);
    hh_event_set(e, ev); /* already signaled: no change */
    hh_event_reset(e, ev);
    CHECK_EQ(et_begin(e, t, WaitAny, 1, &ev, KernelMode, FALSE, NULL), STATUS_PENDING);
    hh_event_pulse(e, ev);
    CHECK_EQ(s.n, 4u);
    CHECK_EQ(s.ev[0].kind, HH_TRACE_OBJECT);
    CHECK(s.ev[0].object == ev);
    CHECK_EQ(s.ev[0].state.signal, 1);
    CHECK_EQ(s.ev[1].state.signal, 0); /* the reset */
    CHECK_EQ(s.ev[2].state.signal, 1); /* the pulse signals... */
    CHECK_EQ(s.ev[3].state.signal, 0); /* ...the waiter takes it (auto-reset): the pulse's
                                          own reset then changes nothing */
    CHECK_NO_FAILURE(e);
    et_done(e);
}

/* A mutex's owner and a semaphore's count as they change; no sink, no events. */
static void rule_mutex_owner_and_semaphore_count(void)
{
    struct hh_engine *e = et_engine();
    struct sink s;
    PKMUTANT m = hh_engine_new_object(e, HH_OBJECT_MUTANT);
    PKSEMAPHORE sem = hh_engine_new_object(e, HH_OBJECT_SEMAPHORE);
    PKTHREAD t = hh_engine_thread(e, "client");
    LONG prev;
    sem->Limit = 4;
    memset(&s, 0, sizeof(s));
    hh_acquire(e, t, m); /* before the sink: not recorded */
    hh_engine_set_trace(e, record, &s);
    CHECK_EQ(hh_mutant_release(e, t, m, &prev), STATUS_SUCCESS);
    CHECK_EQ(hh_acquire(e, t, m), STATUS_SUCCESS);
    hh_thread_rundown(e, t);
    CHECK_EQ(hh_semaphore_release(e, sem, 3, &prev), STATUS_SUCCESS);
    CHECK_EQ(hh_acquire(e, t, sem), STATUS_SUCCESS);
    CHECK_EQ(s.n, 5u);
    CHECK_STR(s.owner[0], "");
    CHECK_EQ(s.ev[0].state.signal, 1);
    CHECK_STR(s.owner[1], "client");
    CHECK_EQ(s.ev[1].state.signal, 0);
    CHECK_STR(s.owner[2], ""); /* abandoned when its owner ended */
    CHECK_EQ(s.ev[2].state.abandoned, 1);
    CHECK_EQ(s.ev[3].state.signal, 3);
    CHECK_EQ(s.ev[4].state.signal, 2);
    hh_engine_set_trace(e, NULL, NULL);
    hh_semaphore_release(e, sem, 1, &prev);
    CHECK_EQ(s.n, 5u);
    et_done(e);
}

/* A timer: armed with its due time, fired (signaled, due no more), cancelled. */
static void rule_timer_armed_fired_cancelled(void)
{
    struct hh_engine *e = et_engine();
    struct sink s;
    PKTIMER tm = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_TIMER);
    memset(&s, 0, sizeof(s));
    hh_engine_set_trace(e, record, &s);
    hh_timer_set(e, tm, -ET_MS(10), 0, NULL);
    hh_engine_advance_to(e, ET_MS(20));
    hh_timer_set(e, tm, -ET_MS(10), 0, NULL);
    hh_timer_cancel(e, tm);
    CHECK_EQ(s.n, 4u);
    CHECK_EQ(s.ev[0].state.due, ET_MS(10));
    CHECK_EQ(s.ev[0].state.signal, 0);
    CHECK_EQ(s.ev[1].time, ET_MS(10));
    CHECK_EQ(s.ev[1].state.signal, 1);
    CHECK_EQ(s.ev[1].state.due, -1);
    CHECK_EQ(s.ev[2].state.due, ET_MS(30));
    CHECK_EQ(s.ev[3].state.due, -1);
    CHECK_NO_FAILURE(e);
    et_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"rule_event_changes_in_order", rule_event_changes_in_order},
        {"rule_mutex_owner_and_semaphore_count", rule_mutex_owner_and_semaphore_count},
        {"rule_timer_armed_fired_cancelled", rule_timer_armed_fired_cancelled},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
