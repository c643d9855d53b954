/* play_driver.c - driver mode: the scenario starts the driver, whose own code starts its worker.
 *
 * The module's load routine (DriverEntry's signature) runs before the first step on the
 * scenario's thread at PASSIVE_LEVEL with the harness's DRIVER_OBJECT; what it creates (the
 * DriverProxy extension, its registered worker routine, the worker thread through
 * IoDriverProxyCreateHotSwappableWorkerThread) is the driver's. Its unload routine runs after
 * the last step; after it the worker must have ended, the extension is cleaned as the I/O
 * manager cleans it at unload, and the pool check runs as in every scenario. A hot-swap step
 * loads the new image and runs its load routine against the same DRIVER_OBJECT: that routine
 * finds the extension and registers its endpoints through the swap sequence.
 */
#include <stdio.h>
#include <string.h>

#include "common/status.h"
#include "module.h"
#include "platform/plat.h"
#include "play_int.h"
#include "shim/proxy.h"

struct driver_call {
    PDRIVER_INITIALIZE load;
    PDRIVER_UNLOAD unload;
    PDRIVER_OBJECT driver;
    PUNICODE_STRING registry;
    NTSTATUS status;
};

static void run_driver_routine(void *arg)
{
    struct driver_call *c = arg;
    if (c->load)
        c->status = c->load(c->driver, c->registry);
    else
        c->unload(c->driver);
}

/* Runs the load or unload routine `name` on the scenario's thread at PASSIVE_LEVEL, as the
 * I/O manager does; what it still holds when it returns is rule held-at-return. Returns 0,
 * or -1 when it failed inside (the run's failure is set). */
static int call_driver(struct hh_player *p, struct driver_call *c, const char *name)
{
    struct hh_engine *e = p->e;
    PKTHREAD t = e->current;
    unsigned nheld = t->nheld, spinlocks = t->spinlocks;
    KIRQL irql = t->irql;
    char who[160], got[24];
    int rc;
    t->irql = PASSIVE_LEVEL;
    p->adapter_call = name; /* its pool is labelled with it */
    rc = hh_engine_guarded(e, run_driver_routine, c);
    p->adapter_call = NULL;
    if (rc != 0) {
        t->irql = irql;
        return -1;
    }
    snprintf(who, sizeof(who), "%s (the driver's %s routine)", name, c->load ? "load" : "unload");
    hh_held_check_code(e, t, who, nheld, spinlocks);
    if (!e->failed && t->irql != PASSIVE_LEVEL)
        hh_engine_fail(e, HH_RULE_IRQL_AT_RETURN,
                       "%s returned at %s; it was called at PASSIVE_LEVEL and must return there",
                       who, hh_irql_name(t->irql, got, sizeof(got)));
    t->irql = irql;
    if (!e->failed)
        hh_dpc_dispatch(e);
    return e->failed ? -1 : 0;
}

/* "\Registry\Machine\System\CurrentControlSet\Services\<module's base name>" */
static void fill_registry_path(struct hh_player *p)
{
    static const char prefix[] = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";
    const char *base = p->sc->module, *s;
    size_t n = 0, max = sizeof(p->registry_text) / sizeof(p->registry_text[0]) - 1;
    for (s = base; *s; s++) {
        if (*s == '/' || *s == '\\')
            base = s + 1;
    }
    for (s = prefix; *s && n < max; s++)
        p->registry_text[n++] = (WCHAR)*s;
    for (s = base; *s && *s != '.' && n < max; s++)
        p->registry_text[n++] = (WCHAR)(unsigned char)*s;
    p->registry.Buffer = p->registry_text;
    p->registry.Length = (USHORT)(n * sizeof(WCHAR));
    p->registry.MaximumLength = (USHORT)((max + 1) * sizeof(WCHAR));
}

/* "STATUS_NOT_FOUND (0xC0000225)", or "0xC0000001" for a status without a name. */
static const char *status_text(NTSTATUS status, char *buf, size_t len)
{
    char name[48];
    /* 0 is STATUS_WAIT_0 too; a driver routine's result is STATUS_SUCCESS. */
    hh_status_name(status, name, sizeof(name));
    if (status == STATUS_SUCCESS)
        snprintf(name, sizeof(name), "STATUS_SUCCESS");
    if (strncmp(name, "0x", 2) == 0)
        snprintf(buf, len, "0x%08X", (unsigned)status);
    else
        snprintf(buf, len, "%s (0x%08X)", name, (unsigned)status);
    return buf;
}

/* "; its log: ..." with what the DDIs logged while driver code ran (their refusals), or "". */
static const char *log_text(const struct hh_engine *e, char *buf, size_t len)
{
    size_t n = e->log_len;
    while (n > 0 && e->log[n - 1] == '\n')
        n--;
    buf[0] = '\0';
    if (n)
        snprintf(buf, len, "; its log: %.*s", (int)n, e->log);
    return buf;
}

/* The load routine's status: a failure is the driver's own report that it did not load. */
static void check_load_status(struct hh_player *p, const char *name, NTSTATUS status)
{
    char text[80], log[600];
    if (NT_SUCCESS(status))
        return;
    hh_engine_fail(p->e, HH_RULE_DRIVER, "%s returned %s: the driver did not load%s", name,
                   status_text(status, text, sizeof(text)), log_text(p->e, log, sizeof(log)));
}

void hh_play_driver_load(struct hh_player *p)
{
    struct driver_call c;
    PDRIVER_OBJECT d = &p->driver_object;
    memset(d, 0, sizeof(*d));
    d->Type = IO_TYPE_DRIVER;
    d->Size = (SHORT)sizeof(*d);
    fill_registry_path(p);
    memset(&c, 0, sizeof(c));
    c.load = p->load;
    c.driver = d;
    c.registry = &p->registry;
    hh_worker_allow_driver(p->e, p->sc->true_means, p->on_invocation, p);
    if (p->e->log_len)
        hh_engine_log_clear(p->e);
    if (call_driver(p, &c, p->sc->driver.load) != 0)
        return;
    p->driver_loaded = 1;
    check_load_status(p, p->sc->driver.load, c.status);
    if (!p->e->failed && p->e->start) { /* the worker's context, for "args": ["context"] */
        p->context = p->e->start->Context;
        p->have_context = 0; /* the driver's: no HotswapDestroyContext */
    }
}

/* After the unload every worker the driver started must have ended; with several, the
 * report names the first still alive. */
static void check_workers_ended(struct hh_player *p, const char *unload)
{
    struct hh_engine *e = p->e;
    const struct hh_worker *w;
    char who[160] = "the worker thread";
    for (w = hh_engine_workers(e); w && !e->failed; w = w->next) {
        if (w->state != HH_WORKER_WAITING && w->state != HH_WORKER_RUNNING)
            continue;
        if (hh_play_worker_count(e) > 1) {
            memcpy(who, "the thread of ", 15);
            hh_worker_label(w, who + 14, sizeof(who) - 14);
        }
        hh_engine_fail(e, HH_RULE_DRIVER,
                       "%s is still %s after %s returned: the unload routine must end it "
                       "(signal the event its routine ends on) before it returns, or the image "
                       "is unmapped under a running thread",
                       who, w->state == HH_WORKER_RUNNING ? "running" : "blocked in its wait",
                       unload);
    }
}

void hh_play_driver_unload(struct hh_player *p)
{
    struct hh_engine *e = p->e;
    struct driver_call c;
    char name[300];
    const void *addr;
    if (!p->driver_loaded)
        return;
    memset(&c, 0, sizeof(c));
    c.unload = p->unload ? p->unload : p->driver_object.DriverUnload;
    c.driver = &p->driver_object;
    memcpy(&addr, &c.unload, sizeof(addr));
    if (p->unload)
        snprintf(name, sizeof(name), "%s", p->sc->driver.unload);
    else if (c.unload && addr == p->unload_site_addr) /* an explorer's next run */
        snprintf(name, sizeof(name), "%s", p->unload_site);
    else if (!c.unload || !hh_plat_code_site(addr, 0, name, sizeof(name)))
        snprintf(name, sizeof(name), "DriverObject->DriverUnload");
    /* The site costs a symbolizer's process: an explorer looks it up once for its runs. */
    p->unload_site_addr = addr;
    snprintf(p->unload_site, sizeof(p->unload_site), "%s", name);
    if (!c.unload) {
        hh_engine_fail(e, HH_RULE_DRIVER,
                       "the driver cannot be unloaded: %s set no DriverObject->DriverUnload and "
                       "the scenario names no \"unload\" routine (driver.unload)",
                       p->sc->driver.load);
        return;
    }
    hh_play_timeline_step(p, "unload the driver");
    if (call_driver(p, &c, name) != 0)
        return;
    /* The image goes once the unload returned: its system threads must have ended by then
     * (explore may have switched to the unload while one was still on its way out). */
    if (hh_system_threads_check_ended(e))
        return;
    /* The worker runs now, as after a step: the unload signalled what ends it. */
    if (p->real)
        hh_engine_realtime_settle(e, -1);
    else
        hh_worker_run(e);
    hh_play_settle_mismatch(p);
    check_workers_ended(p, name);
    /* The I/O manager cleans the DriverProxy extension at unload. */
    hh_proxy_driver_unload(e, &p->driver_object);
    p->driver_loaded = 0;
}

/* The phases the step names against what the last phased registration's callbacks returned
 * (STATUS_PENDING: not reached). */
static void check_phases(struct hh_player *p, const struct hh_sc_hotswap *h, const char *step)
{
    static const char *const names[] = {"PreProcess", "ProxyStalled", "PostProcess"};
    NTSTATUS got[DriverProxyRegisterCallbackMax];
    char have[80], want[80];
    int k;
    hh_proxy_last_phases(IoGetDriverProxyExtensionFromDriverObject(&p->driver_object), got);
    for (k = 0; k < DriverProxyRegisterCallbackMax && !p->e->failed; k++) {
        if (!h->phase_given[k] || got[k] == h->phase_status[k])
            continue;
        if (got[k] == STATUS_PENDING)
            snprintf(have, sizeof(have), "did not run");
        else
            snprintf(have, sizeof(have), "returned %s", status_text(got[k], want, sizeof(want)));
        if (h->phase_status[k] == STATUS_PENDING)
            snprintf(want, sizeof(want), "it not to run");
        else
            status_text(h->phase_status[k], want, sizeof(want));
        hh_engine_fail(p->e, HH_RULE_EXPECTATION,
                       "%s: the %s phase of the new image's registration %s; the step expects "
                       "%s (phases.%s)", step, names[k], have, want,
                       k == 0 ? "pre_process" : k == 1 ? "proxy_stalled" : "post_process");
    }
}

/* A hot-swap step in driver mode: the new image's load routine runs against the driver
 * object the first image was given; it finds the extension and registers its endpoints
 * through the swap sequence, whose status it returns. */
void hh_play_driver_swap(struct hh_player *p, const struct hh_sc_step *st)
{
    struct hh_engine *e = p->e;
    const struct hh_sc_hotswap *h = &st->hotswap;
    struct driver_call c;
    char step[200], got[80], log[600];
    if (hh_play_load(p, h->module, h->load) != 0) {
        const struct hh_diags *d = &p->res->diags;
        hh_engine_fail(e, HH_RULE_HOTSWAP, "%s: the new image cannot be loaded: %s",
                       hh_play_step_text(p, step, sizeof(step)),
                       d->n ? d->items[d->n - 1].msg : "unknown reason");
        hh_diags_init(&p->res->diags);
        return;
    }
    memset(&c, 0, sizeof(c));
    c.load = p->load;
    c.driver = &p->driver_object;
    c.registry = &p->registry;
    if (e->log_len)
        hh_engine_log_clear(e);
    if (call_driver(p, &c, h->load) != 0)
        return;
    hh_play_step_text(p, step, sizeof(step));
    status_text(c.status, got, sizeof(got));
    log_text(e, log, sizeof(log));
    check_phases(p, h, step);
    if (!NT_SUCCESS(c.status) && p->nmodules > 1) {
        /* The swap rolled back: the new image goes, as an image whose entry failed does, and
         * the running image's functions serve the steps again. */
        struct hh_module *gone = p->modules[--p->nmodules];
        if (!p->nshelf) { /* explore's image stays loaded for the next run */
            hh_module_close(gone);
            hh_engine_module_unloaded(p->e);
        }
    }
    if (NT_SUCCESS(c.status) && p->sc->driver.unload) { /* the new image's from now on */
        void *sym = hh_module_symbol(p->modules[p->nmodules - 1], p->sc->driver.unload);
        if (sym)
            memcpy(&p->unload, &sym, sizeof(p->unload));
    }
    if (!e->failed && h->has_status && c.status != h->status)
        hh_engine_fail(e, HH_RULE_EXPECTATION,
                       "%s: the new image's %s returned %s; the step expects %s%s", step,
                       h->load, got, h->status_text, log);
    else if (!e->failed && !h->has_status && !NT_SUCCESS(c.status))
        hh_engine_fail(e, HH_RULE_HOTSWAP,
                       "%s: the new image's %s returned %s: the swap failed and was rolled "
                       "back (give the hot-swap a \"status\" when that is expected)%s",
                       step, h->load, got, log);
}
