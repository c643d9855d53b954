/* play_module.c - the player's modules: the scenario's, and each one a hot-swap brings in.
 *
 * A module that cannot be found, loaded or that lacks the routine is an input error (exit 2)
 * with every place searched. Modules stay loaded until the run ends unless a swap asks to
 * unload the old image, so a context pointing into an unloaded image faults as it would.
 */
#include <stdio.h>
#include <string.h>

#include "common/suggest.h"
#include "module.h"
#include "platform/plat.h"
#include "play_int.h"

/* dlsym gives an object pointer; C has no conversion to a function pointer, so copy it. */
#define SYMBOL_AS(fnptr, sym) memcpy(&(fnptr), &(sym), sizeof(fnptr))

/* The module's export `name` (*sym), or -1 after a diagnostic at `where` naming the closest. */
static int export_of(struct hh_player *p, struct hh_module *m, const char *path,
                     const char *name, const char *where, struct hh_pos pos, void **sym)
{
    char best[HH_SUGGEST_MAX_LEN + 1], near[HH_SUGGEST_MAX_LEN + 32] = "";
    *sym = hh_module_symbol(m, name);
    if (*sym)
        return 0;
    if (hh_module_suggest_export(m, name, best, sizeof(best)))
        snprintf(near, sizeof(near), " (did you mean '%s'?)", best);
    hh_diags_add(&p->res->diags, p->sc->file, pos.line, pos.col, where,
                 "%s exports no symbol '%s'%s: declare the %s with external linkage (not "
                 "static) and, on Windows, export it (a .def file or -Wl,--export-all-symbols)",
                 path, name, near, p->sc->driver_mode ? "function" : "routine");
    return -1;
}

/* An image the explorer loaded ahead for a swap, by its file. */
static struct hh_module *shelved(const struct hh_player *p, const char *path)
{
    size_t i;
    for (i = 0; i < p->nshelf; i++) {
        if (strcmp(hh_module_path(p->shelf[i]), path) == 0)
            return p->shelf[i];
    }
    return NULL;
}

int hh_play_load(struct hh_player *p, const char *module, const char *routine)
{
    static const struct hh_pos no_pos = {0, 0};
    void *unload = NULL;
    if (!routine) /* driver mode names no routine: its load routine is the entry */
        routine = p->sc->driver.load;
    struct hh_diags *d = &p->res->diags;
    const char *const *dirs = p->opt ? p->opt->module_dirs : NULL;
    size_t ndirs = p->opt ? p->opt->nmodule_dirs : 0;
    struct hh_module *m;
    struct hh_module_provider libhotswap = {"libhotswap", NULL};
    char path[4096];
    void *sym;
    if (p->nmodules == HH_PLAY_MAX_MODULES) {
        hh_diags_add(d, p->sc->file, 0, 0, "", "more than %d modules loaded in one run",
                     HH_PLAY_MAX_MODULES);
        return -1;
    }
    if (hh_module_find(module, p->sc->dir, dirs, ndirs, path, sizeof(path), p->sc->file, d) != 0)
        return -1;
    /* Any libhotswap function locates its file, whose exports say what it provides. */
    libhotswap.anchor = (void (*)(void))hh_engine_current;
    if ((m = shelved(p, path)) == NULL && hh_module_open(path, &libhotswap, &m, p->sc->file, d) != 0)
        return -1;
    if (export_of(p, m, path, routine, p->sc->driver_mode ? "driver.load" : "routine",
                  p->sc->driver_mode && p->nmodules == 0 ? p->sc->driver.load_pos : no_pos,
                  &sym) != 0 ||
        (p->sc->driver_mode && p->nmodules == 0 && p->sc->driver.unload &&
         export_of(p, m, path, p->sc->driver.unload, "driver.unload",
                   p->sc->driver.unload_pos, &unload) != 0)) {
        if (!shelved(p, path))
            hh_module_close(m);
        return -1;
    }
    p->modules[p->nmodules++] = m;
    if (p->sc->driver_mode) {
        SYMBOL_AS(p->load, sym);
        if (unload)
            SYMBOL_AS(p->unload, unload);
        return 0;
    }
    SYMBOL_AS(p->routine, sym);
    /* The newest module's adapter serves the context from now on, where it has one. */
    if ((sym = hh_module_symbol(m, "HotswapCreateContext")) != NULL && p->nmodules == 1)
        SYMBOL_AS(p->create, sym);
    if ((sym = hh_module_symbol(m, "HotswapDestroyContext")) != NULL)
        SYMBOL_AS(p->destroy, sym);
    if ((sym = hh_module_symbol(m, "HotswapDescribeContext")) != NULL)
        SYMBOL_AS(p->describe, sym);
    return 0;
}

void hh_play_unload_old(struct hh_player *p)
{
    size_t i;
    if (p->nmodules < 2)
        return;
    for (i = 0; i + 1 < p->nmodules && !p->nshelf; i++) /* explore's stay for the next run */
        hh_module_close(p->modules[i]);
    if (p->e && !p->nshelf)
        hh_engine_module_unloaded(p->e);
    p->modules[0] = p->modules[p->nmodules - 1];
    p->nmodules = 1;
}

/* Modules a hung routine still runs in: loaded until the process ends, and named here so
 * that a leak checker at exit sees them kept, not lost. */
#define KEPT_MAX 64
static struct hh_module *kept[KEPT_MAX];
static volatile int32_t nkept;

void hh_play_unload_all(struct hh_player *p)
{
    size_t i;
    if (p->abandoned) { /* a routine of these modules is still running */
        for (i = 0; i < p->nmodules; i++) {
            int32_t k = hh_plat_atomic_add32(&nkept, 1) - 1;
            if (k < KEPT_MAX)
                kept[k] = p->modules[i];
        }
        p->nmodules = 0;
        return;
    }
    for (i = 0; i < p->nmodules; i++)
        hh_module_close(p->modules[i]);
    p->nmodules = 0;
}
