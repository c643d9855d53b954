/* play_call.c - a "call" step: driver code run by a thread of the simulated machine.
 *
 * The function is called as ULONG_PTR f(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR). On x64
 * (Microsoft and System V) and AArch64 the first four integer or pointer arguments travel in
 * registers and the result comes back in one, so a function declared with fewer arguments,
 * or with 32-bit ones (ULONG, NTSTATUS), reads what it expects from the low bits and ignores
 * the rest (docs/scenario-format.md says what is not supported). Everything it does goes
 * through the model like the routine's own calls: pool is labelled with the step, what it
 * still holds when it returns and the IRQL it returns at are checked, and a failure inside
 * it unwinds to the guard here.
 */
#include <stdio.h>
#include <string.h>

#include "common/status.h"
#include "common/suggest.h"
#include "module.h"
#include "play_int.h"

typedef ULONG_PTR hh_call_fn(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR);

struct call_run {
    hh_call_fn *fn;
    ULONG_PTR args[HH_SC_CALL_ARGS];
    ULONG_PTR ret;
};

static void run(void *arg)
{
    struct call_run *c = arg;
    c->ret = c->fn(c->args[0], c->args[1], c->args[2], c->args[3]);
}

/* The function in the newest module loaded (after a hot-swap, the new image's), or NULL. */
static hh_call_fn *resolve(struct hh_player *p, const char *name)
{
    void *sym = p->nmodules ? hh_module_symbol(p->modules[p->nmodules - 1], name) : NULL;
    hh_call_fn *fn = NULL;
    if (sym)
        memcpy(&fn, &sym, sizeof(fn)); /* dlsym gives an object pointer: ISO C has no cast */
    return fn;
}

/* Whether m exports the function of call step st; reports it when not. */
static int check_call(struct hh_player *p, struct hh_module *m, const struct hh_sc_step *st)
{
    const struct hh_sc_call *call = &st->call;
    char best[HH_SUGGEST_MAX_LEN + 1], near[HH_SUGGEST_MAX_LEN + 32] = "", path[48];
    if (hh_module_symbol(m, call->function))
        return 0;
    if (hh_module_suggest_export(m, call->function, best, sizeof(best)))
        snprintf(near, sizeof(near), " (did you mean '%s'?)", best);
    snprintf(path, sizeof(path), "%s.call", st->path);
    hh_diags_add(&p->res->diags, p->sc->file, call->pos.line, call->pos.col, path,
                 "%s exports no function '%s'%s: declare it with external linkage (not "
                 "static) and, on Windows, export it", hh_module_path(m), call->function, near);
    return -1;
}

int hh_play_check_calls(struct hh_player *p)
{
    const struct hh_scenario *sc = p->sc;
    struct hh_module *m = p->modules[0];
    size_t i;
    int bad = 0;
    /* Past a hot-swap the calls go to the new image, known only when it is loaded. */
    for (i = 0; i < sc->nsteps && sc->steps[i].action != HH_ACT_HOTSWAP; i++) {
        if (sc->steps[i].action == HH_ACT_CALL && check_call(p, m, &sc->steps[i]) != 0)
            bad = 1;
    }
    for (i = 0; i < sc->nfuzz_calls; i++) {
        if (check_call(p, m, &sc->fuzz_calls[i]) != 0)
            bad = 1;
    }
    return bad ? -1 : 0;
}

static ULONG_PTR arg_value(const struct hh_player *p, const struct hh_sc_arg *a)
{
    switch (a->kind) {
    case HH_ARG_OBJECT:
        return (ULONG_PTR)p->objects[a->object];
    case HH_ARG_CONTEXT:
        return (ULONG_PTR)p->context;
    default:
        return a->value;
    }
}

/* After the function returned: the IRQL it left and the value it gave. */
static void check_return(struct hh_player *p, PKTHREAD t, const struct hh_sc_call *call,
                         ULONG_PTR ret, const char *who)
{
    struct hh_engine *e = p->e;
    char got[32], want[32], name[48];
    ULONG_PTR seen = call->returns_wide ? ret : (ULONG)ret;
    if (t->irql != call->irql) {
        hh_engine_fail(e, HH_RULE_IRQL_AT_RETURN,
                       "%s returned at %s; it was called at %s and must return at the IRQL it "
                       "was called at", who, hh_irql_name(t->irql, got, sizeof(got)),
                       hh_irql_name(call->irql, want, sizeof(want)));
        return;
    }
    if (!call->has_returns || seen == call->returns)
        return;
    if (call->returns_status)
        hh_status_name((NTSTATUS)(ULONG)ret, name, sizeof(name));
    else
        snprintf(name, sizeof(name), "%lld", (long long)(LONG_PTR)(call->returns_wide ? ret
                                                                   : (ULONG_PTR)(LONG)ret));
    hh_engine_fail(e, HH_RULE_EXPECTATION, "%s returned %s (0x%llx); the step expects %s", who,
                   name, (unsigned long long)seen, call->returns_text);
}

void hh_play_call(struct hh_player *p, const struct hh_sc_step *st)
{
    const struct hh_sc_call *call = &st->call;
    struct hh_engine *e = p->e;
    PKTHREAD t = hh_engine_thread(e, st->thread);
    PKTHREAD interrupted = e->current;
    KIRQL irql = t->irql;
    struct call_run c;
    unsigned nheld = t->nheld, spinlocks = t->spinlocks;
    char who[300], step[200];
    size_t i;
    snprintf(who, sizeof(who), "%s, called by %s (%s)", call->function, st->thread,
             hh_play_step_text(p, step, sizeof(step)));
    memset(&c, 0, sizeof(c));
    c.fn = resolve(p, call->function);
    if (!c.fn) {
        hh_engine_fail(e, HH_RULE_TIMELINE, "%s: %s exports no function '%s'", step,
                       hh_module_path(p->modules[p->nmodules - 1]), call->function);
        return;
    }
    for (i = 0; i < call->nargs; i++) {
        if (call->args[i].kind == HH_ARG_OBJECT && !hh_play_object_known(p, call->args[i].object))
            return;
        c.args[i] = arg_value(p, &call->args[i]);
    }
    e->current = t; /* the driver holds the dispatcher lock: the worker's thread waits */
    e->driver_acting = t;
    t->irql = call->irql;
    p->adapter_call = call->function; /* its pool is labelled "F (step N ...)" */
    if (hh_engine_guarded(e, run, &c) == 0) {
        hh_held_check_code(e, t, who, nheld, spinlocks);
        if (!e->failed)
            check_return(p, t, call, c.ret, who);
    }
    p->adapter_call = NULL;
    t->irql = irql;
    e->driver_acting = NULL;
    e->current = interrupted;
    if (!e->failed)
        hh_dpc_dispatch(e); /* DPCs it queued at DISPATCH_LEVEL run as the IRQL drops */
    if (p->sc->driver_mode)
        hh_play_resolve_worker_events(p); /* the call may have started the driver's worker */
}
