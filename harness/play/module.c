/* module.c - the module search path and loading through the platform loader.
 *
 * Owns the search order of SPEC section 2 and the wording of every module error (the remedy
 * for a refused load is module_hint.c's); the platform layer only opens files and resolves
 * symbols. Nothing here knows about engines.
 */
#include "module.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/suggest.h"
#include "platform/plat.h"

#define MODULE_ENV "HOTSWAP_MODULE_PATH"
#define LIST_ROOM 480 /* bytes of a diagnostic given to the list of folders tried */

struct hh_module {
    struct hh_plat_lib *lib;
    struct hh_plat_datasnap *data; /* the writable data as loaded, or NULL */
    char path[HH_MODULE_PATH_MAX];
};

/* ---- Paths ----------------------------------------------------------------------------- */
static int is_separator(char c)
{
    return c == '/' || c == hh_plat_dir_separator();
}

/* A name with a folder or a suffix names a file; a bare name is searched for. */
static int names_a_file(const char *name)
{
    const char *s;
    for (s = name; *s; s++) {
        if (is_separator(*s) || *s == '.')
            return 1;
    }
    return 0;
}

/* dir + separator + file into out; returns -1 when it does not fit. */
static int join(const char *dir, size_t dirlen, const char *file, char *out, size_t outlen)
{
    int n;
    if (dirlen == 0)
        n = snprintf(out, outlen, "%s", file);
    else if (is_separator(dir[dirlen - 1]))
        n = snprintf(out, outlen, "%.*s%s", (int)dirlen, dir, file);
    else
        n = snprintf(out, outlen, "%.*s%c%s", (int)dirlen, dir, hh_plat_dir_separator(), file);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

static int find_file(const char *name, const char *scenario_dir, char *out, size_t outlen,
                     const char *file, struct hh_diags *d)
{
    const char *dir = hh_plat_is_absolute(name) || !scenario_dir ? "" : scenario_dir;
    int kind;
    if (join(dir, strlen(dir), name, out, outlen) != 0) {
        hh_diags_add(d, file, 0, 0, NULL, "the path of module \"%s\" is too long", name);
        return -1;
    }
    kind = hh_plat_path_kind(out);
    if (kind == HH_PLAT_FILE)
        return 0;
    hh_diags_add(d, file, 0, 0, NULL,
                 "module \"%s\": %s %s; a name with a folder or a suffix is a file, "
                 "relative to the scenario's folder (give a bare name to search the module "
                 "path)",
                 name, out, kind == HH_PLAT_NONE ? "does not exist" : "is not a file");
    return -1;
}

/* ---- The search ------------------------------------------------------------------------ */
struct search {
    const char *name;
    char files[2][512]; /* libNAME.so and NAME.so, or NAME.dll alone */
    int nfiles;
    char tried[LIST_ROOM]; /* "scenarios (the scenario's folder), build (--module-path)" */
    size_t ntried, dropped;
};

/* Adds a folder to the list the error shows; once one does not fit, the rest are counted. */
static void note_tried(struct search *s, const char *dir, size_t dirlen, const char *origin)
{
    size_t room = sizeof(s->tried) - s->ntried;
    int n;
    if (s->dropped) {
        s->dropped++;
        return;
    }
    n = dirlen ? snprintf(s->tried + s->ntried, room, "%s%.*s (%s)", s->ntried ? ", " : "",
                              (int)dirlen, dir, origin)
                   : snprintf(s->tried + s->ntried, room, "%s. (%s)", s->ntried ? ", " : "",
                              origin);
    if (n < 0 || (size_t)n >= room) {
        s->tried[s->ntried] = '\0';
        s->dropped++;
        return;
    }
    s->ntried += (size_t)n;
}

/* Looks in one folder; returns 0 with the file in out when one of the names is there. */
static int look_in(struct search *s, const char *dir, size_t dirlen, const char *origin,
                   char *out, size_t outlen)
{
    int i;
    note_tried(s, dir, dirlen, origin);
    for (i = 0; i < s->nfiles; i++) {
        if (join(dir, dirlen, s->files[i], out, outlen) == 0 &&
            hh_plat_path_kind(out) == HH_PLAT_FILE)
            return 0;
    }
    return -1;
}

/* Each entry of HOTSWAP_MODULE_PATH, in order; empty entries are skipped. */
static int look_in_env(struct search *s, char *out, size_t outlen)
{
    const char *list = hh_plat_getenv(MODULE_ENV), *start, *end;
    char sep = hh_plat_path_list_separator();
    if (!list)
        return -1;
    for (start = list; *start; start = *end ? end + 1 : end) {
        end = strchr(start, sep);
        if (!end)
            end = start + strlen(start);
        if (end > start && look_in(s, start, (size_t)(end - start), MODULE_ENV, out, outlen) == 0)
            return 0;
    }
    return -1;
}

static void not_found(const struct search *s, const char *file, struct hh_diags *d)
{
    char files[1100], more[48] = "";
    if (s->nfiles == 2)
        snprintf(files, sizeof(files), "%s or %s", s->files[0], s->files[1]);
    else
        snprintf(files, sizeof(files), "%s", s->files[0]);
    if (s->dropped)
        snprintf(more, sizeof(more), " and %llu more", (unsigned long long)s->dropped);
    hh_diags_add(d, file, 0, 0, NULL,
                 "module \"%s\" not found: looked for %s in %s%s; build it there, or name its "
                 "folder with --module-path or " MODULE_ENV,
                 s->name, files, s->tried, more);
}

int hh_module_find(const char *name, const char *scenario_dir, const char *const *extra_dirs,
                   size_t nextra, char *out, size_t outlen, const char *file,
                   struct hh_diags *d)
{
    struct search s;
    const char *prefix = hh_plat_module_prefix(), *suffix = hh_plat_module_suffix();
    size_t i;
    if (names_a_file(name))
        return find_file(name, scenario_dir, out, outlen, file, d);
    memset(&s, 0, sizeof(s));
    s.name = name;
    snprintf(s.files[s.nfiles++], sizeof(s.files[0]), "%s%s%s", prefix, name, suffix);
    if (prefix[0])
        snprintf(s.files[s.nfiles++], sizeof(s.files[0]), "%s%s", name, suffix);
    if (!scenario_dir)
        scenario_dir = "";
    if (look_in(&s, scenario_dir, strlen(scenario_dir), "the scenario's folder", out, outlen) ==
        0)
        return 0;
    for (i = 0; i < nextra; i++) {
        if (look_in(&s, extra_dirs[i], strlen(extra_dirs[i]), "--module-path", out, outlen) == 0)
            return 0;
    }
    if (look_in_env(&s, out, outlen) == 0)
        return 0;
    not_found(&s, file, d);
    return -1;
}

/* ---- Loading --------------------------------------------------------------------------- */
int hh_module_open(const char *path, const struct hh_module_provider *provider,
                   struct hh_module **out, const char *file, struct hh_diags *d)
{
    struct hh_module *m;
    char reason[512], hint[600];
    *out = NULL;
    if (strlen(path) >= sizeof(m->path)) {
        hh_diags_add(d, file, 0, 0, NULL, "the module path %s is too long", path);
        return -1;
    }
    m = calloc(1, sizeof(*m));
    if (!m) {
        hh_diags_add(d, file, 0, 0, NULL, "out of memory loading module %s", path);
        return -1;
    }
    if (hh_plat_dlopen(path, &m->lib, reason, sizeof(reason)) != 0) {
        hh_module_load_hint(reason, provider, hint, sizeof(hint));
        hh_diags_add(d, file, 0, 0, NULL, "cannot load module %s: %s; %s", path, reason, hint);
        free(m);
        return -1;
    }
    memcpy(m->path, path, strlen(path) + 1);
    *out = m;
    return 0;
}

void *hh_module_symbol(struct hh_module *m, const char *name)
{
    return hh_plat_dlsym(m->lib, name);
}

int hh_module_suggest_export(const struct hh_module *m, const char *name, char *out,
                             size_t len)
{
    char **names = NULL;
    size_t n = 0, i;
    struct hh_suggest s;
    int found = 0;
    if (hh_plat_module_exports(m->path, &names, &n, NULL, 0) != 0)
        return 0;
    hh_suggest_init(&s, name);
    for (i = 0; i < n; i++)
        hh_suggest_offer(&s, names[i]);
    if (hh_suggest_result(&s)) {
        snprintf(out, len, "%s", hh_suggest_result(&s));
        found = 1;
    }
    hh_plat_free_list(names, n);
    return found;
}

int hh_module_snapshot_data(struct hh_module *m, const char *file, struct hh_diags *d)
{
    char reason[256];
    struct hh_plat_datasnap *snap = hh_plat_data_snapshot(m->lib, reason, sizeof(reason));
    if (!snap) {
        hh_diags_add(d, file, 0, 0, NULL,
                     "cannot save the data of module %s to reset it before each run: %s",
                     m->path, reason);
        return -1;
    }
    hh_plat_data_free(m->data);
    m->data = snap;
    return 0;
}

size_t hh_module_restore_data(struct hh_module *m)
{
    if (!m->data)
        return 0;
    hh_plat_data_restore(m->data);
    return hh_plat_data_size(m->data);
}

const char *hh_module_path(const struct hh_module *m)
{
    return m->path;
}

void hh_module_close(struct hh_module *m)
{
    if (!m)
        return;
    hh_plat_data_free(m->data);
    hh_plat_dlclose(m->lib);
    free(m);
}
