/* test_irql.c - the IRQL rules of the Ke routines: Wait = TRUE leaving the caller at
 * DISPATCH_LEVEL until its next wait, waits above APC_LEVEL, the maximum IRQL of each
 * dispatcher call, and the routine's IRQL at return
 * (WAIT-SEMANTICS §2.1, §2.3, §4, decision 7; fact 7).
 */
#include "engine_test.h"

struct irql_call {
    struct hh_engine *e;
    KIRQL start_irql;
    PVOID object;
    int which;
    LARGE_INTEGER timeout;
    LARGE_INTEGER *timeout_ptr;
    LONG previous;
    NTSTATUS status;
    KIRQL after_set, after_wait, wait_irql;
    BOOLEAN wait_next, wait_next_after;
};

static void raise_to(KIRQL irql)
{
    KIRQL old;
    if (irql > PASSIVE_LEVEL)
        KeRaiseIrql(irql, &old);
}

/* KeSetEvent(Wait = TRUE) at start_irql, then a wait with the given timeout. */
static void set_event_then_wait_fn(void *arg)
{
    struct irql_call *c = arg;
    raise_to(c->start_irql);
    c->previous = KeSetEvent(c->object, 0, TRUE);
    c->after_set = KeGetCurrentIrql();
    c->wait_next = c->e->current->wait_next;
    c->wait_irql = c->e->current->wait_irql;
    c->status = KeWaitForSingleObject(c->object, Executive, KernelMode, FALSE, c->timeout_ptr);
    c->after_wait = KeGetCurrentIrql();
    c->wait_next_after = c->e->current->wait_next;
    KeLowerIrql(PASSIVE_LEVEL);
}

/* Fact 7: KeSetEvent(Wait = TRUE) at X: DISPATCH_LEVEL, WaitNext, WaitIrql X until the wait. */
static void fact07_set_event_wait_true_leaves_dispatch(void)
{
    KIRQL x;
    for (x = PASSIVE_LEVEL; x <= APC_LEVEL; x++) {
        struct hh_engine *e = et_engine();
        KEVENT ev;
        struct irql_call c;
        memset(&c, 0, sizeof(c));
        KeInitializeEvent(&ev, SynchronizationEvent, FALSE);
        c.e = e;
        c.start_irql = x;
        c.object = &ev;
        c.timeout = et_relative(ET_MS(1));
        c.timeout_ptr = &c.timeout;
        CHECK_EQ(et_as(e, e->worker, set_event_then_wait_fn, &c), 0);
        CHECK_NO_FAILURE(e);
        CHECK_EQ(c.previous, 0);
        CHECK_EQ(c.after_set, DISPATCH_LEVEL);
        CHECK(c.wait_next);
        CHECK_EQ(c.wait_irql, x);
        CHECK_EQ(c.status, STATUS_WAIT_0);
        CHECK_EQ(c.after_wait, x);
        CHECK(!c.wait_next_after);
        et_done(e);
    }
}

static void set_event_wait_true_fn(struct et_routine *r, NTSTATUS status)
{
    (void)status;
    KeSetEvent(r->user, 0, TRUE);
}

/* §2.1, §4: Wait = TRUE and no wait before returning is rule irql-at-return. */
static void rule_wait_true_without_wait_is_irql_at_return(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    PKEVENT done = hh_engine_new_object(e, HH_OBJECT_NOTIFICATION_EVENT);
    struct et_routine r;
    struct et_start s;
    memset(&r, 0, sizeof(r));
    memset(&s, 0, sizeof(s));
    r.e = e;
    r.answer = TRUE;
    r.body = set_event_wait_true_fn;
    r.user = done;
    s.type = WaitAny;
    s.count = 1;
    s.objects[0] = work;
    et_configure(e, &r, &s);
    hh_worker_start(e);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_IRQL_AT_RETURN);
    CHECK_CONTAINS(e->failure.message, "DISPATCH_LEVEL");
    CHECK_CONTAINS(e->failure.message, "Wait = TRUE");
    et_done(e);
}

static void raise_and_return_fn(struct et_routine *r, NTSTATUS status)
{
    (void)r;
    (void)status;
    raise_to(APC_LEVEL);
}

/* §4: the routine must return at PASSIVE_LEVEL (_IRQL_requires_same_). */
static void rule_routine_returning_above_passive(void)
{
    struct hh_engine *e = et_engine();
    PKEVENT work = hh_engine_new_object(e, HH_OBJECT_SYNCHRONIZATION_EVENT);
    struct et_routine r;
    struct et_start s;
    memset(&r, 0, sizeof(r));
    memset(&s, 0, sizeof(s));
    r.e = e;
    r.answer = TRUE;
    r.body = raise_and_return_fn;
    s.type = WaitAny;
    s.count = 1;
    s.objects[0] = work;
    et_configure(e, &r, &s);
    hh_worker_start(e);
    KeSetEvent(work, 0, FALSE);
    hh_worker_run(e);
    CHECK_RULE(e, HH_RULE_IRQL_AT_RETURN);
    CHECK_CONTAINS(e->failure.message, "APC_LEVEL");
    et_done(e);
}

static void wait_at_fn(void *arg)
{
    struct irql_call *c = arg;
    raise_to(c->start_irql);
    c->status = KeWaitForSingleObject(c->object, Executive, KernelMode, FALSE, c->timeout_ptr);
    KeLowerIrql(PASSIVE_LEVEL);
}

/* Runs one wait at `irql` on a fresh engine; returns 0 or -1 (failed), the rule in *rule. */
static int wait_at(KIRQL irql, LARGE_INTEGER *timeout, enum hh_rule *rule,
                   NTSTATUS *status)
{
    struct hh_engine *e = et_engine();
    KEVENT ev;
    struct irql_call c;
    int rc;
    memset(&c, 0, sizeof(c));
    KeInitializeEvent(&ev, NotificationEvent, TRUE);
    c.e = e;
    c.start_irql = irql;
    c.object = &ev;
    c.timeout_ptr = timeout;
    c.status = STATUS_PENDING;
    rc = et_as(e, e->worker, wait_at_fn, &c);
    *rule = e->failed ? e->failure.rule : HH_RULE_NONE;
    *status = c.status;
    et_done(e);
    return rc;
}

/* §4, decision 7, fact 7: above APC_LEVEL only a zero timeout; else rule wait-irql. */
static void rule_wait_above_apc_level_needs_zero_timeout(void)
{
    LARGE_INTEGER interval = et_relative(ET_MS(1)), zero = et_zero();
    enum hh_rule rule;
    NTSTATUS status;
    CHECK_EQ(wait_at(DISPATCH_LEVEL, &interval, &rule, &status), -1);
    CHECK_EQ(rule, HH_RULE_WAIT_IRQL);
    CHECK_EQ(wait_at(DISPATCH_LEVEL, NULL, &rule, &status), -1);
    CHECK_EQ(rule, HH_RULE_WAIT_IRQL);
    CHECK_EQ(wait_at(DISPATCH_LEVEL, &zero, &rule, &status), 0);
    CHECK_EQ(rule, HH_RULE_NONE);
    CHECK_EQ(status, STATUS_WAIT_0);
    CHECK_EQ(wait_at(APC_LEVEL, &interval, &rule, &status), 0);
    CHECK_EQ(rule, HH_RULE_NONE);
    CHECK_EQ(wait_at(APC_LEVEL, NULL, &rule, &status), 0);
    CHECK_EQ(rule, HH_RULE_NONE);
}

/* KWFMO-doc: KeWaitForSingleObject / KeWaitForMultipleObjects require IRQL <= DISPATCH_LEVEL
 * even with a zero timeout: above it, a poll is a finding too. */
static void rule_wait_above_dispatch_level_even_zero_timeout(void)
{
    LARGE_INTEGER zero = et_zero(), interval = et_relative(ET_MS(1));
    enum hh_rule rule;
    NTSTATUS status;
    KIRQL irql;
    for (irql = DISPATCH_LEVEL + 1; irql <= HIGH_LEVEL; irql += 5) {
        CHECK_EQ(wait_at(irql, &zero, &rule, &status), -1);
        CHECK_EQ(rule, HH_RULE_WAIT_IRQL);
        CHECK_EQ(status, STATUS_PENDING);
        CHECK_EQ(wait_at(irql, &interval, &rule, &status), -1);
        CHECK_EQ(rule, HH_RULE_WAIT_IRQL);
    }
}

/* KeDelayExecutionThread's documented IRQL is <= APC_LEVEL, whatever the interval: at
 * DISPATCH_LEVEL even a zero interval is a finding. */
static void delay_at_fn(void *arg)
{
    struct irql_call *c = arg;
    raise_to(c->start_irql);
    c->status = KeDelayExecutionThread(KernelMode, FALSE, c->timeout_ptr);
    KeLowerIrql(PASSIVE_LEVEL);
}

static void rule_delay_requires_apc_level_even_zero_interval(void)
{
    KIRQL irqls[] = {PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL, HIGH_LEVEL};
    unsigned i;
    for (i = 0; i < sizeof(irqls) / sizeof(irqls[0]); i++) {
        struct hh_engine *e = et_engine();
        struct irql_call c;
        int rc;
        memset(&c, 0, sizeof(c));
        c.e = e;
        c.start_irql = irqls[i];
        c.timeout = et_zero();
        c.timeout_ptr = &c.timeout;
        c.status = STATUS_PENDING;
        rc = et_as(e, e->worker, delay_at_fn, &c);
        if (irqls[i] <= APC_LEVEL) {
            CHECK_EQ(rc, 0);
            CHECK_NO_FAILURE(e);
            CHECK_EQ(c.status, STATUS_SUCCESS);
        } else {
            CHECK_EQ(rc, -1);
            CHECK_RULE(e, HH_RULE_WAIT_IRQL);
            CHECK_CONTAINS(e->failure.message, "even with a zero interval");
        }
        et_done(e);
    }
}

/* At DISPATCH_LEVEL: KePulseEvent (which = 0) or KeReleaseMutex (which = 1) with Wait = TRUE,
 * then a wait with the given timeout. */
static void wait_true_at_dispatch_fn(void *arg)
{
    struct irql_call *c = arg;
    raise_to(DISPATCH_LEVEL);
    if (c->which == 0)
        KePulseEvent(c->object, 0, TRUE);
    else
        KeReleaseMutex(c->object, TRUE);
    c->wait_irql = c->e->current->wait_irql;
    c->status = KeWaitForSingleObject(c->object, Executive, KernelMode, FALSE, c->timeout_ptr);
    c->after_wait = KeGetCurrentIrql();
    KeLowerIrql(PASSIVE_LEVEL);
}

/* §4: after a Wait = TRUE call at DISPATCH_LEVEL the next wait needs a zero timeout. */
static void rule_wait_true_at_dispatch_needs_zero_timeout(void)
{
    int which;
    for (which = 0; which < 2; which++) {
        int zero_timeout;
        for (zero_timeout = 0; zero_timeout < 2; zero_timeout++) {
            struct hh_engine *e = et_engine();
            KEVENT ev;
            KMUTEX m;
            struct irql_call c;
            memset(&c, 0, sizeof(c));
            KeInitializeEvent(&ev, NotificationEvent, FALSE);
            KeInitializeMutex(&m, 0);
            if (which == 1) {
                PVOID objs[1];
                objs[0] = &m;
                CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
            }
            c.e = e;
            c.which = which;
            c.object = which == 0 ? (PVOID)&ev : (PVOID)&m;
            c.timeout = zero_timeout ? et_zero() : et_relative(ET_MS(1));
            c.timeout_ptr = &c.timeout;
            if (zero_timeout) {
                CHECK_EQ(et_as(e, e->worker, wait_true_at_dispatch_fn, &c), 0);
                CHECK_NO_FAILURE(e);
                CHECK_EQ(c.wait_irql, DISPATCH_LEVEL);
                CHECK_EQ(c.after_wait, DISPATCH_LEVEL);
            } else {
                CHECK_EQ(et_as(e, e->worker, wait_true_at_dispatch_fn, &c), -1);
                CHECK_RULE(e, HH_RULE_WAIT_IRQL);
            }
            et_done(e);
        }
    }
}

/* Calls dispatcher routine number `which` with Wait = FALSE at start_irql. */
static void dispatcher_call_fn(void *arg)
{
    struct irql_call *c = arg;
    LARGE_INTEGER due = et_relative(ET_MS(1));
    KEVENT ev;
    KSEMAPHORE sem;
    KTIMER timer;
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    KeInitializeSemaphore(&sem, 0, 10);
    KeInitializeTimerEx(&timer, NotificationTimer);
    raise_to(c->start_irql);
    switch (c->which) {
    case 0:
        KeSetEvent(&ev, 0, FALSE);
        break;
    case 1:
        KeResetEvent(&ev);
        break;
    case 2:
        KeClearEvent(&ev);
        break;
    case 3:
        KePulseEvent(&ev, 0, FALSE);
        break;
    case 4:
        KeReleaseMutex(c->object, FALSE);
        break;
    case 5:
        KeReleaseSemaphore(&sem, 0, 1, FALSE);
        break;
    case 6:
        KeSetTimerEx(&timer, due, 0, NULL);
        break;
    default:
        KeCancelTimer(&timer);
        break;
    }
    KeLowerIrql(PASSIVE_LEVEL);
    KeCancelTimer(&timer); /* the timer lives on this stack */
}

/* §4: event, mutex, semaphore and timer calls are allowed up to DISPATCH_LEVEL, not above. */
static void rule_dispatcher_calls_up_to_dispatch_level(void)
{
    int which;
    for (which = 0; which < 8; which++) {
        KIRQL irql;
        for (irql = DISPATCH_LEVEL; irql <= CLOCK_LEVEL; irql += CLOCK_LEVEL - DISPATCH_LEVEL) {
            struct hh_engine *e = et_engine();
            KMUTEX m;
            PVOID objs[1];
            struct irql_call c;
            memset(&c, 0, sizeof(c));
            KeInitializeMutex(&m, 0);
            objs[0] = &m;
            CHECK_EQ(et_poll(e, e->worker, WaitAny, 1, objs), STATUS_WAIT_0);
            c.e = e;
            c.which = which;
            c.object = &m;
            c.start_irql = irql;
            if (irql == DISPATCH_LEVEL) {
                CHECK_EQ(et_as(e, e->worker, dispatcher_call_fn, &c), 0);
                CHECK_NO_FAILURE(e);
            } else {
                CHECK_EQ(et_as(e, e->worker, dispatcher_call_fn, &c), -1);
                CHECK_RULE(e, HH_RULE_IRQL);
            }
            et_done(e);
        }
    }
}

/* Calls KeSetEvent (which = 0) or KeReleaseSemaphore (which = 1) with Wait = TRUE at
 * start_irql, followed by the wait the contract requires. */
static void wait_true_call_fn(void *arg)
{
    struct irql_call *c = arg;
    LARGE_INTEGER zero = et_zero();
    KEVENT ev;
    KSEMAPHORE sem;
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    KeInitializeSemaphore(&sem, 0, 10);
    raise_to(c->start_irql);
    if (c->which == 0) {
        KeSetEvent(&ev, 0, TRUE);
        KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &zero);
    } else {
        KeReleaseSemaphore(&sem, 0, 1, TRUE);
        KeWaitForSingleObject(&sem, Executive, KernelMode, FALSE, &zero);
    }
    KeLowerIrql(PASSIVE_LEVEL);
}

/* §2.1, §2.3, §4: Wait = TRUE: KeSetEvent needs <= APC_LEVEL, KeReleaseSemaphore PASSIVE. */
static void rule_wait_true_calls_lower_maximum(void)
{
    static const struct {
        int which;
        KIRQL irql;
        int fails;
    } cases[] = {
        {0, APC_LEVEL, 0}, {0, DISPATCH_LEVEL, 1}, {1, PASSIVE_LEVEL, 0}, {1, APC_LEVEL, 1},
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct hh_engine *e = et_engine();
        struct irql_call c;
        memset(&c, 0, sizeof(c));
        c.e = e;
        c.which = cases[i].which;
        c.start_irql = cases[i].irql;
        if (cases[i].fails) {
            CHECK_EQ(et_as(e, e->worker, wait_true_call_fn, &c), -1);
            CHECK_RULE(e, HH_RULE_IRQL);
            CHECK_CONTAINS(e->failure.message, "documented limit is IRQL <=");
            /* Real kernels, checked builds too, do not bug-check on the call itself. */
            CHECK(strstr(e->failure.message, "the kernel bug-checks") == NULL);
            if (cases[i].which == 0)
                CHECK_CONTAINS(e->failure.message, "does not check it");
        } else {
            CHECK_EQ(et_as(e, e->worker, wait_true_call_fn, &c), 0);
            CHECK_NO_FAILURE(e);
        }
        et_done(e);
    }
}

/* KeInitializeTimer(Ex) is documented for IRQL <= DISPATCH_LEVEL: above it, rule irql. */
static void init_timer_fn(void *arg)
{
    struct irql_call *c = arg;
    KTIMER t;
    raise_to(c->start_irql);
    if (c->which)
        KeInitializeTimerEx(&t, SynchronizationTimer);
    else
        KeInitializeTimer(&t);
    KeLowerIrql(PASSIVE_LEVEL);
}

static void rule_initialize_timer_above_dispatch_level(void)
{
    int which;
    for (which = 0; which < 2; which++) {
        KIRQL irql;
        for (irql = DISPATCH_LEVEL; irql <= DISPATCH_LEVEL + 1; irql++) {
            struct hh_engine *e = et_engine();
            struct irql_call c;
            memset(&c, 0, sizeof(c));
            c.e = e;
            c.which = which;
            c.start_irql = irql;
            if (irql > DISPATCH_LEVEL) {
                CHECK_EQ(et_as(e, e->worker, init_timer_fn, &c), -1);
                CHECK_RULE(e, HH_RULE_IRQL);
                CHECK_CONTAINS(e->failure.message, "KeInitializeTimer(Ex) called at IRQL 3");
            } else {
                CHECK_EQ(et_as(e, e->worker, init_timer_fn, &c), 0);
                CHECK_NO_FAILURE(e);
            }
            et_done(e);
        }
    }
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"rule_initialize_timer_above_dispatch_level",
         rule_initialize_timer_above_dispatch_level},
        {"fact07_set_event_wait_true_leaves_dispatch", fact07_set_event_wait_true_leaves_dispatch},
        {"rule_wait_true_without_wait_is_irql_at_return",
         rule_wait_true_without_wait_is_irql_at_return},
        {"rule_routine_returning_above_passive", rule_routine_returning_above_passive},
        {"rule_wait_above_dispatch_level_even_zero_timeout",
         rule_wait_above_dispatch_level_even_zero_timeout},
        {"rule_delay_requires_apc_level_even_zero_interval",
         rule_delay_requires_apc_level_even_zero_interval},
        {"rule_wait_above_apc_level_needs_zero_timeout",
         rule_wait_above_apc_level_needs_zero_timeout},
        {"rule_wait_true_at_dispatch_needs_zero_timeout",
         rule_wait_true_at_dispatch_needs_zero_timeout},
        {"rule_dispatcher_calls_up_to_dispatch_level", rule_dispatcher_calls_up_to_dispatch_level},
        {"rule_wait_true_calls_lower_maximum", rule_wait_true_calls_lower_maximum},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
