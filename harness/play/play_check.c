/* play_check.c - judging a run: invariants and expectations per invocation, the step's
 * count at its end, `then` state checks, and the pool at the end of the scenario.
 *
 * Each failure message names the step and invocation and says expected versus got, so the
 * account alone tells the author what to fix.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/status.h"
#include "play_int.h"
#include "shim/pool.h"

static const char *fmt_time(hh_time t, char *buf, size_t len)
{
    return hh_duration_format(t, buf, len);
}

size_t hh__play_rule_lookup(struct hh_player *p, NTSTATUS status)
{
    const struct hh_scenario *sc = p->sc;
    size_t i;
    for (i = 0; i < sc->ninvariants && !hh_sc_rule_covers(&sc->invariants[i], status); i++)
        ;
    i = i < sc->ninvariants ? i + 1 : 0;
    if (p->nrule_cached < HH_PLAY_RULE_CACHE) {
        p->rule_status[p->nrule_cached] = status;
        p->rule_of[p->nrule_cached++] = i;
    }
    return i;
}

void hh__play_invariant_broken(struct hh_player *p, size_t i, const struct hh_invocation *inv)
{
    const struct hh_sc_rule *r = &p->sc->invariants[i - 1];
    char st[64], step[160], at[32];
    hh_engine_fail(p->e, HH_RULE_INVARIANT,
                   "%s, invocation %lu at %s: %s requires %s for %s, the routine chose %s "
                   "(returned %s)",
                   hh_play_step_text(p, step, sizeof(step)), inv->index,
                   fmt_time(inv->time, at, sizeof(at)), r->path,
                   hh_play_decision_name(r->decision),
                   hh_play_status_text(inv->status, st, sizeof(st)),
                   hh_play_decision_name(inv->decision), inv->raw ? "TRUE" : "FALSE");
}

/* Whether the invocation is of the worker the entry names (any, when it names none). */
static int worker_holds(struct hh_engine *e, const struct hh_sc_worker_ref *ref,
                        const struct hh_invocation *inv)
{
    const struct hh_worker *w;
    if (ref->number)
        return ref->number == inv->worker;
    if (!ref->routine)
        return 1;
    w = hh_play_worker(e, inv->worker);
    return w && strcmp(w->routine, ref->routine) == 0;
}

static int expectation_holds(const struct hh_sc_expect *x, const struct hh_invocation *inv,
                             hh_time tolerance)
{
    if (x->status != inv->status)
        return 0;
    if (x->decision != HH_DECISION_ANY && x->decision != inv->decision)
        return 0;
    if (x->has_at && (inv->time < x->at - tolerance || inv->time > x->at + tolerance))
        return 0;
    if (x->log && !strstr(inv->log, x->log))
        return 0;
    return 1;
}

/* "STATUS_WAIT_1 (0x00000001) -> terminate at 200ms, log containing "x"" (at 200ms +-25ms
 * under the real clock) */
static void describe_expected(const struct hh_player *p, const struct hh_sc_expect *x,
                              char *buf, size_t len)
{
    char st[64], at[64] = "", tol[32];
    if (x->has_at) {
        fmt_time(x->at, at, sizeof(at));
        if (p->tolerance) {
            size_t n = strlen(at);
            snprintf(at + n, sizeof(at) - n, " +-%s",
                     hh_duration_format(p->tolerance, tol, sizeof(tol)));
        }
    }
    snprintf(buf, len, "%s%s%s%s%s%s%s", hh_play_status_text(x->status, st, sizeof(st)),
             x->decision ? " -> " : "", x->decision ? hh_play_decision_name(x->decision) : "",
             x->has_at ? " at " : "", at,
             x->log ? ", log containing \"" : "", x->log ? x->log : "");
    if (x->log && strlen(buf) + 2 < len)
        strcat(buf, "\"");
    if (x->worker.number || x->worker.routine) {
        size_t n = strlen(buf);
        if (x->worker.number)
            snprintf(buf + n, len - n, " of worker %u", x->worker.number);
        else
            snprintf(buf + n, len - n, " of a worker running %s", x->worker.routine);
    }
}

static void describe_got(struct hh_engine *e, const struct hh_invocation *inv, char *buf,
                         size_t len)
{
    char st[64], at[32], who[128] = "";
    const struct hh_worker *w = hh_play_worker(e, inv->worker);
    if (w && hh_play_worker_count(e) > 1) {
        memcpy(who, " of ", 4);
        hh_worker_label(w, who + 4, sizeof(who) - 4);
    }
    snprintf(buf, len, "%s -> %s (returned %s) at %s%s",
             hh_play_status_text(inv->status, st, sizeof(st)),
             hh_play_decision_name(inv->decision), inv->raw ? "TRUE" : "FALSE",
             fmt_time(inv->time, at, sizeof(at)), who);
}

static void mismatch(struct hh_player *p, const struct hh_invocation *inv, const char *fmt, ...)
    HH_PRINTF(3, 4);

static void mismatch(struct hh_player *p, const struct hh_invocation *inv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->mismatch, sizeof(p->mismatch), fmt, ap);
    va_end(ap);
    p->mismatch_time = inv->time;
    p->mismatch_invocation = inv->index;
}

void hh_play_settle_mismatch(struct hh_player *p)
{
    struct hh_engine *e = p->e;
    if (!p->mismatch[0])
        return;
    if (!e->failed) {
        hh_engine_fail(e, HH_RULE_EXPECTATION, "%s", p->mismatch);
        e->failure.time = p->mismatch_time;
        e->failure.invocation = p->mismatch_invocation;
    } else {
        size_t used = strlen(e->failure.message);
        snprintf(e->failure.message + used, sizeof(e->failure.message) - used,
                 " (before that, %s)", p->mismatch);
    }
    p->mismatch[0] = '\0';
}

void hh_play_check_expectation(struct hh_player *p, const struct hh_invocation *inv)
{
    char step[160], got[160], want[400];
    const struct hh_sc_step *st;
    const struct hh_sc_expect *x;
    if (p->mismatch[0])
        return; /* the step has failed already; its cursor means nothing any more */
    if (p->step == HH_STEP_END && p->sc->driver_mode)
        return; /* what the unload causes: the thread's end, seen by the checks alone */
    if (p->step == HH_STEP_START && p->sc->driver_mode) {
        describe_got(p->e, inv, got, sizeof(got));
        mismatch(p, inv,
                 "the worker was invoked while the driver loaded (invocation %lu: %s), but the "
                 "load expects no invocation: leave its events unsignaled in the load routine "
                 "and signal them in a step", inv->index, got);
        return;
    }
    if (p->step == HH_STEP_START || p->step == HH_STEP_END) {
        describe_got(p->e, inv, got, sizeof(got));
        mismatch(p, inv,
                       "the worker was invoked when it started (invocation %lu: %s), but the "
                       "implicit start expects no invocation: make the first step "
                       "{ \"start\": true, \"expect\": [ ... ] }",
                       inv->index, got);
        return;
    }
    st = &p->sc->steps[p->step];
    hh_play_step_text(p, step, sizeof(step));
    describe_got(p->e, inv, got, sizeof(got));
    if (p->exp_i >= st->nexpect) {
        if (st->expect_more)
            return; /* the step's list is a prefix: what follows is not checked */
        mismatch(p, inv,
                       "%s, invocation %lu: got %s, but the step expects no more invocations "
                       "(%s)",
                       step, inv->index, got,
                       st->nexpect ? "its expect list is exhausted" : "it has no expect");
        return;
    }
    x = &st->expect[p->exp_i];
    if (!x->worker.number && !x->worker.routine && hh_play_worker_count(p->e) > 1) {
        mismatch(p, inv,
                 "%s, invocation %lu: got %s, and the driver has %u workers, so the step's "
                 "%s must say which worker the invocation belongs to (\"worker\": its number "
                 "in creation order or its routine's name)",
                 step, inv->index, got, hh_play_worker_count(p->e), x->path);
        return;
    }
    if (!expectation_holds(x, inv, p->tolerance) || !worker_holds(p->e, &x->worker, inv)) {
        describe_expected(p, x, want, sizeof(want));
        mismatch(p, inv,
                       "%s, invocation %lu: expected %s (%s%s), got %s%s", step, inv->index,
                       want, x->path, x->repeat > 1 ? ", one of its repeats" : "", got,
                       x->log && !strstr(inv->log, x->log) ? "; its log did not contain it" : "");
        return;
    }
    if (++p->exp_rep >= x->repeat) {
        p->exp_i++;
        p->exp_rep = 0;
    }
}

static const char *worker_state_text(enum hh_worker_state state)
{
    switch (state) {
    case HH_WORKER_NOT_STARTED:
        return "the worker has not started";
    case HH_WORKER_TERMINATED:
        return "the worker has terminated";
    case HH_WORKER_WAITING:
        return "the worker is blocked in its wait";
    default:
        return "the worker stopped";
    }
}

void hh_play_check_step_end(struct hh_player *p, const struct hh_sc_step *st)
{
    char step[160], want[400];
    unsigned long expected = 0, got = 0;
    size_t i;
    if (p->exp_i >= st->nexpect)
        return;
    for (i = 0; i < st->nexpect; i++)
        expected += st->expect[i].repeat;
    for (i = 0; i < p->exp_i; i++)
        got += st->expect[i].repeat;
    got += p->exp_rep;
    describe_expected(p, &st->expect[p->exp_i], want, sizeof(want));
    hh_engine_fail(p->e, HH_RULE_EXPECTATION,
                   "%s: expected %lu invocation%s, got %lu; next expected %s (%s), but %s",
                   hh_play_step_text(p, step, sizeof(step)), expected, expected == 1 ? "" : "s",
                   got, want, st->expect[p->exp_i].path, worker_state_text(p->e->state));
}

/* ---- then ----------------------------------------------------------------------------------- */

enum subset { SUBSET_YES, SUBSET_DIFFERS, SUBSET_MISSING };

/* Whether every member of want is in have with an equal value (recursively); where names the
 * first that is not, and the result says whether it differs or is missing. */
static enum subset json_subset(const cJSON *want, const cJSON *have, char *where, size_t len)
{
    const cJSON *w;
    if (cJSON_IsObject(want)) {
        if (!cJSON_IsObject(have))
            return SUBSET_DIFFERS;
        cJSON_ArrayForEach(w, want)
        {
            const cJSON *h = cJSON_GetObjectItemCaseSensitive(have, w->string);
            size_t used = strlen(where);
            enum subset r;
            snprintf(where + used, len - used, ".%s", w->string);
            if (!h)
                return SUBSET_MISSING;
            if ((r = json_subset(w, h, where, len)) != SUBSET_YES)
                return r;
            where[used] = '\0';
        }
        return SUBSET_YES;
    }
    if (cJSON_IsArray(want)) {
        const cJSON *h;
        if (!cJSON_IsArray(have) || cJSON_GetArraySize(want) != cJSON_GetArraySize(have))
            return SUBSET_DIFFERS;
        for (w = want->child, h = have->child; w && h; w = w->next, h = h->next) {
            enum subset r = json_subset(w, h, where, len);
            if (r != SUBSET_YES)
                return r;
        }
        return SUBSET_YES;
    }
    return cJSON_Compare(want, have, 1) ? SUBSET_YES : SUBSET_DIFFERS;
}

struct describe_call {
    HOTSWAP_DESCRIBE_CONTEXT *describe;
    PVOID context;
    char *buf;
    SIZE_T size;
    SIZE_T needed;
};

static void call_describe(void *arg)
{
    struct describe_call *c = arg;
    c->needed = c->describe(c->context, c->buf, c->size);
}

/* The module's description of its context, or NULL after recording a failure. */
static char *describe_context(struct hh_player *p, const char *step)
{
    struct describe_call c;
    c.describe = p->describe;
    c.context = p->context;
    c.size = 4096;
    for (;;) {
        c.buf = calloc(1, c.size + 1);
        if (!c.buf)
            hh_play_oom();
        if (hh_engine_guarded(p->e, call_describe, &c) != 0) {
            free(c.buf);
            return NULL;
        }
        if (c.needed < c.size)
            return c.buf;
        free(c.buf);
        if (c.size >= (1u << 24)) {
            hh_engine_fail(p->e, HH_RULE_CONTEXT,
                           "%s: HotswapDescribeContext asks for %lu bytes; 16 MiB is the limit",
                           step, (unsigned long)c.needed);
            return NULL;
        }
        c.size = c.needed + 1;
    }
}

static void check_context(struct hh_player *p, const struct hh_sc_then *then, const char *step)
{
    cJSON *want, *have;
    char *text, where[256] = "context";
    enum subset r;
    if (!p->describe) {
        hh_engine_fail(p->e, HH_RULE_CONTEXT,
                       "%s: then.context needs the module to export HotswapDescribeContext",
                       step);
        return;
    }
    text = describe_context(p, step);
    if (!text)
        return;
    have = cJSON_Parse(text);
    want = cJSON_Parse(then->context_json);
    if (!have) {
        hh_engine_fail(p->e, HH_RULE_CONTEXT,
                       "%s: HotswapDescribeContext wrote text that is not JSON: %.200s", step,
                       text);
    } else if ((r = json_subset(want, have, where, sizeof(where))) != SUBSET_YES) {
        hh_engine_fail(p->e, HH_RULE_EXPECTATION,
                       "%s: then.context: %s %s; expected a subset %s, the context is %s",
                       step, where, r == SUBSET_MISSING ? "is missing" : "differs",
                       then->context_json, text);
    }
    cJSON_Delete(have);
    cJSON_Delete(want);
    free(text);
}

void hh_play_check_then(struct hh_player *p, const struct hh_sc_step *st)
{
    const struct hh_sc_then *then = &st->then;
    struct hh_engine *e = p->e;
    char step[160];
    size_t i;
    PKTHREAD worker;
    enum hh_worker_state state;
    hh_play_step_text(p, step, sizeof(step));
    if (hh_play_worker_target(p, &then->worker, "then.worker", &worker, &state) != 0)
        return;
    if (then->has_terminated && (state == HH_WORKER_TERMINATED) != then->terminated) {
        hh_engine_fail(e, HH_RULE_EXPECTATION, "%s: then.terminated: expected %s, but %s",
                       step, then->terminated ? "true" : "false", worker_state_text(state));
        return;
    }
    for (i = 0; i < then->nsignaled; i++) {
        const struct hh_sc_signaled *s = &then->signaled[i];
        const DISPATCHER_HEADER *h = p->objects[s->object];
        if (!hh_play_object_known(p, s->object))
            return;
        if ((h->SignalState > 0) != (s->value != 0)) {
            hh_engine_fail(e, HH_RULE_EXPECTATION,
                           "%s: then.signaled.%s: expected %s, the object is %s (SignalState "
                           "%ld)",
                           step, p->sc->objects[s->object].name,
                           s->value ? "signaled" : "not signaled",
                           h->SignalState > 0 ? "signaled" : "not signaled",
                           (long)h->SignalState);
            return;
        }
    }
    if (then->has_irql && worker->irql != then->irql) {
        char want[24], have[24];
        hh_engine_fail(e, HH_RULE_EXPECTATION, "%s: then.irql: expected %s, the worker is at %s",
                       step, hh_irql_name((KIRQL)then->irql, want, sizeof(want)),
                       hh_irql_name(worker->irql, have, sizeof(have)));
        return;
    }
    if (then->context_json)
        check_context(p, then, step);
}

/* ---- The end of the scenario ---------------------------------------------------------------- */

static void call_destroy(void *arg)
{
    struct hh_player *p = arg;
    p->destroy(p->context);
}

void hh_play_destroy_context(struct hh_player *p)
{
    p->have_context = 0;
    p->adapter_call = hh_play_destroy_call;
    hh_engine_guarded(p->e, call_destroy, p);
    p->adapter_call = NULL;
}

/* Leaked blocks from one site (size, tag, file and line), for one line of the report. */
struct leak_group {
    const struct hh_pool_block_info *first, *last;
    size_t count;
    int all_invocations; /* every block was allocated by the routine itself */
};

static int same_site(const struct hh_pool_block_info *a, const struct hh_pool_block_info *b)
{
    return a->size == b->size && a->tag == b->tag && a->line == b->line &&
           (a->file == b->file || (a->file && b->file && strcmp(a->file, b->file) == 0));
}

/* "3 blocks of 64 bytes (192 bytes), tag 'Carl', allocated at x.c:27 in invocations 1 to 3",
 * "..., each in the DPC ...", "..., the first in step 2 (...), the last in step 3 (...)". */
static void group_text(const struct leak_group *g, char *buf, size_t len)
{
    char tag[8], first[700], last[700], total[48];
    const struct hh_pool_block_info *b = g->first;
    int used;
    total[0] = '\0';
    if (g->count > 1)
        snprintf(total, sizeof(total), " (%llu bytes)",
                 (unsigned long long)g->count * (unsigned long long)b->size);
    used = snprintf(buf, len, "%lu block%s of %lu bytes%s, tag %s, allocated at %s:%d ",
                    (unsigned long)g->count, g->count == 1 ? "" : "s", (unsigned long)b->size,
                    total, hh_pool_tag_text(b->tag, tag), b->file ? b->file : "an unknown place",
                    b->line);
    if (used < 0 || (size_t)used >= len)
        return;
    hh_pool_origin_text(g->first, first, sizeof(first));
    hh_pool_origin_text(g->last, last, sizeof(last));
    if (g->count == 1 || strcmp(first, last) == 0)
        snprintf(buf + used - 1, len - (size_t)used + 1, "%s%s", g->count > 1 ? ", each " : " ",
                 first);
    else if (g->all_invocations && g->last->invocation - g->first->invocation + 1 == g->count)
        snprintf(buf + used, len - (size_t)used, "in invocations %lu to %lu",
                 g->first->invocation, g->last->invocation);
    else
        snprintf(buf + used - 1, len - (size_t)used + 1, ", the first %s, the last %s", first,
                 last);
}

#define LEAK_GROUPS_SHOWN 8

void hh_play_check_leaks(struct hh_player *p)
{
    size_t n = hh_pool_live(p->e->pool, NULL, 0), i, k, ngroups = 0, used = 0;
    struct hh_pool_block_info *blocks;
    struct leak_group *groups;
    char list[2400], line[1600];
    if (n == 0)
        return;
    blocks = calloc(n, sizeof(*blocks));
    groups = calloc(n, sizeof(*groups));
    if (!blocks || !groups)
        hh_play_oom();
    hh_pool_live(p->e->pool, blocks, n);
    for (i = 0; i < n; i++) {
        for (k = 0; k < ngroups && !same_site(groups[k].first, &blocks[i]); k++)
            ;
        if (k == ngroups) {
            groups[k].first = &blocks[i];
            groups[k].all_invocations = 1;
            ngroups++;
        }
        groups[k].last = &blocks[i];
        groups[k].count++;
        groups[k].all_invocations &= blocks[i].invocation != 0;
    }
    list[0] = '\0';
    for (k = 0; k < ngroups && k < LEAK_GROUPS_SHOWN; k++) {
        int w;
        group_text(&groups[k], line, sizeof(line));
        w = snprintf(list + used, sizeof(list) - used, "%s%s", k ? "; " : "", line);
        if (w < 0 || (size_t)w >= sizeof(list) - used)
            break;
        used += (size_t)w;
    }
    if (ngroups > LEAK_GROUPS_SHOWN)
        snprintf(list + used, sizeof(list) - used, "; and %lu more sites",
                 (unsigned long)(ngroups - LEAK_GROUPS_SHOWN));
    hh_engine_fail(p->e, HH_RULE_POOL_LEAK,
                   "%lu pool block%s still allocated at the end of the scenario%s: %s",
                   (unsigned long)n, n == 1 ? "" : "s",
                   p->destroy ? " (after HotswapDestroyContext)" : "", list);
    free(blocks);
    free(groups);
}
