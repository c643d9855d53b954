/* engine.c - an engine's lifetime, its threads and owned objects, failures and DbgPrint capture.
 *
 * Failures inside foreign code (a routine, a DPC, a module's adapter) unwind with longjmp to
 * the innermost guard, the way a bug check ends the code that caused it; the engine then
 * refuses to run the worker again. Nothing here knows about scenarios.
 */
#include "engine_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textput.h"
#include "platform/plat.h"
#include "shim/pool.h"
#include "shim/proxy.h"
#include "shim/shim.h"

static HH_THREAD_LOCAL struct hh_engine *current_engine;
HH_THREAD_LOCAL struct hh_guard *hh__guard_top;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        fputs("hotswap: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* t, all zero, becomes the engine's next thread, last in the list. */
static struct _KTHREAD *init_thread(struct hh_engine *e, struct _KTHREAD *t, const char *name)
{
    struct _KTHREAD **tail = &e->threads;
    hh_object_set_kind(&t->Header, HH_OBJECT_THREAD); /* running: not signaled */
    t->id = ++e->next_thread_id;
    hh_text_put(t->name, sizeof(t->name), 0, name); /* every fuzz input's reset: no printf */
    t->irql = PASSIVE_LEVEL;
    t->priority = HH_SYSTEM_THREAD_PRIORITY;
    hh_object_set_kind(&t->wait_timer.Header, HH_OBJECT_WAIT_TIMER);
    hh__list_init(&t->mutants);
    while (*tail)
        tail = &(*tail)->next;
    *tail = t;
    return t;
}

struct _KTHREAD *hh__thread_new(struct hh_engine *e, const char *name)
{
    return init_thread(e, xcalloc(1, sizeof(struct _KTHREAD)), name);
}

/* What hh_engine_new and hh_engine_reset share: e all zero but its worker and driver
 * memory (zeroed) and its pool, as a new engine starts. */
static void init_engine(struct hh_engine *e, struct _KTHREAD *worker, struct _KTHREAD *driver)
{
    e->livelock_limit = HH_DEFAULT_LIVELOCK_LIMIT;
    e->worker = init_thread(e, worker, "worker");
    e->driver = init_thread(e, driver, "driver");
    e->current = e->driver;
    e->state = HH_WORKER_NOT_STARTED;
    hh__list_init(&e->dpcs);
    hh__list_init(&e->work);
}

struct hh_engine *hh_engine_new(void)
{
    struct hh_engine *e = xcalloc(1, sizeof(*e));
    init_engine(e, xcalloc(1, sizeof(struct _KTHREAD)), xcalloc(1, sizeof(struct _KTHREAD)));
    e->pool = hh_pool_new();
    return e;
}

/* A kept thread as hh__thread_new makes it, but for its records kept last (held,
 * lock_wait): nothing reads them past nheld and the string's end, so 1.3 KB stays as it is. */
static void clear_thread(struct _KTHREAD *t)
{
    memset(t, 0, offsetof(struct _KTHREAD, held));
    t->lock_wait[0] = '\0';
}

void hh_engine_pool_reset(struct hh_engine *e)
{
    hh_pool_reset(e->pool);
}

void hh_engine_module_unloaded(struct hh_engine *e)
{
    hh_pool_forget_sites(e->pool);
}

void hh_engine_reset(struct hh_engine *e)
{
    /* The first worker's thread is the engine's own, whichever worker is selected. */
    struct _KTHREAD *worker = e->workers ? e->workers->thread : e->worker;
    struct _KTHREAD *driver = e->driver, *t, *next;
    struct hh_pool *pool = e->pool;
    void **owned = e->owned;
    const char **owned_names = e->owned_names;
    size_t *owned_sizes = e->owned_sizes;
    size_t owned_cap = e->owned_cap, timers_cap = e->timers_cap, log_cap = e->log_cap, i;
    size_t nkept = e->nkept > e->nowned ? e->nkept : e->nowned;
    char *context_text = e->context_text;
    void *context_tree = e->context_tree;
    const char *context_from = e->context_from;
    const char *context_scenario = e->context_scenario;
    PKTIMER *timers = e->timers;
    char *log = e->log;
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start_spare = e->start_spare;
    size_t start_spare_size = e->start_spare_size;
    hh__sched_free(e); /* system threads' OS threads end before their KTHREADs go */
    hh__handles_free(e);
    for (t = e->threads; t; t = next) { /* threads made after the first two go */
        next = t->next;
        if (t != worker && t != driver)
            free(t);
    }
    /* The objects' memory stays for the next run's (hh_engine_new_object), unusable until
     * then: a use of a last run's object is still reported under AddressSanitizer. */
    for (i = 0; i < e->nowned; i++)
        hh_plat_poison(e->owned[i], e->owned_sizes[i]);
    hh__workers_free(e);
    if (e->start) { /* the selected worker's copy stays for the next run's */
        if (start_spare) /* taken by the last configure: free(NULL) costs a stack trace */
            free(start_spare);
        start_spare = e->start;
        start_spare_size = hh__start_size(start_spare);
        hh_plat_poison(start_spare, start_spare_size);
    }
    hh_proxy_free(e->proxy);
    hh_pool_reset(pool);
    /* All zero, as hh_engine_new makes it, but for what is kept last: nothing reads the
     * failure's message past its end or the named objects past nnamed (2 KB). */
    memset(e, 0, offsetof(struct hh_engine, failure));
    memset(&e->failure, 0, offsetof(struct hh_failure, message));
    e->failure.message[0] = '\0';
    e->nnamed = 0;
    clear_thread(worker);
    clear_thread(driver);
    init_engine(e, worker, driver);
    e->start_spare = start_spare;
    e->start_spare_size = start_spare_size;
    e->pool = pool;
    e->owned = owned;
    e->owned_names = owned_names;
    e->owned_sizes = owned_sizes;
    e->owned_cap = owned_cap;
    e->nkept = nkept;
    e->context_text = context_text;
    e->context_tree = context_tree;
    e->context_from = context_from;
    e->context_scenario = context_scenario;
    e->timers = timers;
    e->timers_cap = timers_cap;
    e->log = log;
    e->log_cap = log_cap;
    if (log)
        log[0] = '\0';
}

void hh_engine_free(struct hh_engine *e)
{
    struct _KTHREAD *t, *next;
    size_t i;
    if (!e)
        return;
    if (current_engine == e)
        current_engine = NULL;
    hh__sched_free(e); /* system threads' OS threads end before their KTHREADs go */
    hh__ex_free(e);    /* and explored threads' */
    hh__handles_free(e);
    for (t = e->threads; t; t = next) {
        next = t->next;
        free(t);
    }
    for (i = 0; i < e->nowned || i < e->nkept; i++) {
        hh_plat_unpoison(e->owned[i], e->owned_sizes[i]);
        free(e->owned[i]);
    }
    free(e->owned);
    free(e->owned_names);
    free(e->owned_sizes);
    hh__adapter_free(e);
    free(e->timers);
    free(e->log);
    hh__workers_free(e);
    free(e->start);
    if (e->start_spare)
        hh_plat_unpoison(e->start_spare, e->start_spare_size);
    free(e->start_spare);
    hh_proxy_free(e->proxy); /* every driver unloads: the system frees their extensions */
    hh_pool_free(e->pool);
    free(e);
}

void hh_engine_make_current(struct hh_engine *e)
{
    current_engine = e;
}

struct hh_engine *hh_engine_current(void)
{
    return current_engine;
}

PVOID hh_engine_new_object(struct hh_engine *e, int type)
{
    size_t size;
    DISPATCHER_HEADER *h;
    switch (type) {
    case HH_OBJECT_NOTIFICATION_EVENT:
    case HH_OBJECT_SYNCHRONIZATION_EVENT:
        size = sizeof(KEVENT);
        break;
    case HH_OBJECT_MUTEX:
    case HH_OBJECT_MUTANT:
        size = sizeof(KMUTANT);
        break;
    case HH_OBJECT_SEMAPHORE:
        size = sizeof(KSEMAPHORE);
        break;
    case HH_OBJECT_NOTIFICATION_TIMER:
    case HH_OBJECT_SYNCHRONIZATION_TIMER:
        size = sizeof(KTIMER);
        break;
    default:
        return NULL;
    }
    if (e->nowned == e->owned_cap) {
        void **grown;
        const char **names;
        size_t *sizes;
        e->owned_cap = e->owned_cap ? e->owned_cap * 2 : 16;
        grown = realloc(e->owned, e->owned_cap * sizeof(*grown));
        if (grown)
            e->owned = grown;
        names = grown ? realloc(e->owned_names, e->owned_cap * sizeof(*names)) : NULL;
        if (names)
            e->owned_names = names;
        sizes = names ? realloc(e->owned_sizes, e->owned_cap * sizeof(*sizes)) : NULL;
        if (!sizes) {
            fputs("hotswap: out of memory\n", stderr);
            abort();
        }
        e->owned_sizes = sizes;
    }
    e->owned_names[e->nowned] = NULL;
    if (e->nowned < e->nkept && e->owned_sizes[e->nowned] == size) {
        h = e->owned[e->nowned]; /* kept by the last reset: as calloc gives it */
        hh_plat_unpoison(h, size);
        memset(h, 0, size);
    } else {
        if (e->nowned < e->nkept) { /* a kept object of another size */
            hh_plat_unpoison(e->owned[e->nowned], e->owned_sizes[e->nowned]);
            free(e->owned[e->nowned]);
        }
        h = xcalloc(1, size);
    }
    e->owned_sizes[e->nowned] = size;
    e->owned[e->nowned++] = h;
    hh_object_set_kind(h, type);
    switch (type) {
    case HH_OBJECT_MUTEX:
    case HH_OBJECT_MUTANT:
        h->SignalState = 1;
        ((PKMUTANT)h)->ApcDisable = type == HH_OBJECT_MUTEX;
        break;
    case HH_OBJECT_SEMAPHORE:
        ((PKSEMAPHORE)h)->Limit = MAXLONG;
        break;
    default:
        break;
    }
    return h;
}

PKTHREAD hh_engine_thread(struct hh_engine *e, const char *name)
{
    struct _KTHREAD *t;
    for (t = e->threads; t; t = t->next) {
        if (strcmp(t->name, name) == 0)
            return t;
    }
    return hh__thread_new(e, name);
}

static void record_failure(struct hh_engine *e, enum hh_rule rule, const char *fmt, va_list ap)
    HH_PRINTF(3, 0);
static void name_worker(struct hh_engine *e);

static void record_failure(struct hh_engine *e, enum hh_rule rule, const char *fmt, va_list ap)
{
    if (e->failed)
        return; /* the first failure is the cause; later ones are its consequences */
    e->failed = 1;
    e->failure.rule = rule;
    e->failure.time = e->now;
    e->failure.invocation = e->state == HH_WORKER_RUNNING ? e->invocations : 0;
    vsnprintf(e->failure.message, sizeof(e->failure.message), fmt, ap);
    if (e->failure.invocation && e->workers && e->workers->next)
        name_worker(e);
}

/* With several workers, a failure inside one's invocation says which: "worker 2
 * (AcpiLikeDeviceWorker): ..." */
static void name_worker(struct hh_engine *e)
{
    char label[128], *msg = e->failure.message;
    size_t n, have = strlen(msg);
    hh_worker_label(e->selected, label, sizeof(label));
    n = strlen(label) + 2;
    if (have + n >= sizeof(e->failure.message))
        have = sizeof(e->failure.message) - n - 1;
    memmove(msg + n, msg, have);
    msg[n + have] = '\0';
    memcpy(msg, label, n - 2);
    msg[n - 2] = ':';
    msg[n - 1] = ' ';
}

void hh_engine_fail(struct hh_engine *e, enum hh_rule rule, const char *fmt, ...)
{
    va_list ap;
    if ((unsigned)rule < HH_RULE_COUNT && e->checks_off[rule] && hh_rule_switchable(rule))
        return; /* the scenario or the command line turned this check off */
    va_start(ap, fmt);
    record_failure(e, rule, fmt, ap);
    va_end(ap);
    if (hh__guard_top)
        longjmp(hh__guard_top->jb, 1);
}

void hh_engine_abort(struct hh_engine *e, enum hh_rule rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record_failure(e, rule, fmt, ap);
    va_end(ap);
    if (hh__guard_top)
        longjmp(hh__guard_top->jb, 1);
    fprintf(stderr, "hotswap: %s outside guarded code: %s\n", hh_rule_name(rule),
            e->failure.message);
    abort();
}

int hh_engine_guarded(struct hh_engine *e, void (*fn)(void *arg), void *arg)
{
    struct hh_guard g;
    struct _KTHREAD *volatile saved_current = e->current;
    g.prev = hh__guard_top;
    g.lock_depth = hh__lock_depth();
    hh__guard_top = &g;
    if (setjmp(g.jb) == 0) {
        fn(arg);
        hh__guard_top = g.prev;
        return 0;
    }
    hh__guard_top = g.prev;
    hh__lock_restore(e, g.lock_depth);
    e->current = saved_current;
    return -1;
}

void hh_engine_log(struct hh_engine *e, const char *text, size_t len)
{
    if (e->log_len + len + 1 > e->log_cap) {
        size_t cap = e->log_cap ? e->log_cap : 256;
        char *grown;
        while (cap < e->log_len + len + 1)
            cap *= 2;
        grown = realloc(e->log, cap);
        if (!grown) {
            fputs("hotswap: out of memory\n", stderr);
            abort();
        }
        e->log = grown;
        e->log_cap = cap;
    }
    memcpy(e->log + e->log_len, text, len);
    e->log_len += len;
    e->log[e->log_len] = '\0';
}

void hh_engine_log_clear(struct hh_engine *e)
{
    e->log_len = 0;
    if (e->log)
        e->log[0] = '\0';
}

const char *hh_irql_name(KIRQL irql, char *buf, size_t len)
{
    static const char *const names[] = {"PASSIVE_LEVEL", "APC_LEVEL", "DISPATCH_LEVEL"};
    if (irql < 3)
        snprintf(buf, len, "%s", names[irql]);
    else
        snprintf(buf, len, "IRQL %u", (unsigned)irql);
    return buf;
}

const char *hh_engine_describe_place(struct hh_engine *e, const void *addr, char *buf,
                                     size_t len)
{
    if (hh_pool_where(e->pool, addr, buf, len))
        return buf;
    return hh_plat_data_site(addr, buf, len);
}
