/* files.c - turning the command line's paths into the list of scenario files.
 *
 * A folder is searched recursively for *.json in bytewise order, so a suite runs in the same
 * order everywhere; links are followed, but a link back to a folder the walk is inside is an
 * error, not an endless walk. A path that does not exist, a broken link, or a folder without
 * a scenario is an error too: a CI job must never pass by running nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/relpath.h"
#include "msgs.h"
#include "platform/plat.h"
#include "scenario/scenario.h"

#define MAX_DEPTH 32

struct list {
    char **items;
    size_t n, cap;
};

static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    while (a > 1 && (dir[a - 1] == '/' || dir[a - 1] == '\\'))
        a--; /* "scenarios/" and "scenarios" name the same files the same way */
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

static int push(struct list *l, char *path)
{
    if (!path)
        return -1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **grown = realloc(l->items, cap * sizeof(*grown));
        if (!grown) {
            free(path);
            return -1;
        }
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = path;
    return 0;
}

static int is_scenario_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0 &&
           !(n > 12 && strcmp(name + n - 12, ".schema.json") == 0) &&
           strcmp(name, HH_SUITE_FILE) != 0;
}


/* The folders from the top of a walk down to the one being listed, to notice a link that
 * leads back up (which would make the walk endless). */
struct chain {
    struct hh_plat_file_id ids[MAX_DEPTH + 2];
    const char *paths[MAX_DEPTH + 2];
    size_t n;
};

/* Enters folder `dir`; 0, or 2 after saying why not (a loop, too deep, unreadable). */
static int enter(struct chain *c, const char *dir)
{
    struct hh_plat_file_id id;
    char err[256];
    size_t i;
    if (c->n > MAX_DEPTH) {
        hh_msg_error("%s: folders nested more than %d deep; name a folder deeper down",
                     dir, MAX_DEPTH);
        return 2;
    }
    if (hh_plat_file_id(dir, &id, err, sizeof(err)) != 0) {
        hh_msg_error("%s: cannot follow it: %s", dir, err);
        return 2;
    }
    for (i = 0; i < c->n; i++) {
        if (c->ids[i].volume == id.volume && c->ids[i].file == id.file) {
            hh_msg_error("%s: a link loop: this folder is %s again; remove the link or name "
                         "the folders to run",
                         dir, c->paths[i]);
            return 2;
        }
    }
    c->ids[c->n] = id;
    c->paths[c->n] = dir;
    c->n++;
    return 0;
}

static int walk(const char *dir, struct list *out, struct chain *c)
{
    char **names;
    size_t n, i;
    char err[512];
    int rc = enter(c, dir);
    if (rc != 0)
        return rc;
    if (hh_plat_list_dir(dir, &names, &n, err, sizeof(err)) != 0) {
        hh_msg_error("%s: %s", dir, err);
        c->n--;
        return 2;
    }
    for (i = 0; i < n && rc == 0; i++) {
        char *path;
        int kind;
        if (names[i][0] == '.')
            continue;
        path = join(dir, names[i]);
        if (!path) {
            rc = 2;
            break;
        }
        kind = hh_plat_path_kind(path);
        if (kind == HH_PLAT_DIR) {
            rc = walk(path, out, c);
            free(path);
        } else if (kind == HH_PLAT_FILE && is_scenario_name(names[i])) {
            rc = push(out, path) == 0 ? 0 : 2;
        } else if (kind == HH_PLAT_NONE) {
            /* Listed but not there: a broken link, or a loop of links. */
            struct hh_plat_file_id id;
            hh_plat_file_id(path, &id, err, sizeof(err));
            hh_msg_error("%s: cannot follow it: %s; remove it or fix where it points", path,
                         err);
            free(path);
            rc = 2;
        } else if (kind == HH_PLAT_OTHER && is_scenario_name(names[i])) {
            hh_msg_error("%s: not a regular file (a pipe or a device?); a scenario is a file",
                         path);
            free(path);
            rc = 2;
        } else {
            free(path);
        }
    }
    hh_plat_free_list(names, n);
    c->n--;
    return rc;
}

int hh_collect_files(const struct hh_cli *cli, char ***files, size_t *n)
{
    struct list l = {NULL, 0, 0};
    struct chain chain;
    size_t i;
    int rc = 0;
    chain.n = 0;
    for (i = 0; i < cli->npaths && rc == 0; i++) {
        const char *path = cli->paths[i];
        int kind = hh_plat_path_kind(path);
        if (kind == HH_PLAT_DIR) {
            size_t before = l.n;
            rc = walk(path, &l, &chain);
            if (rc == 0 && l.n == before) {
                hh_msg_error("%s: the folder holds no scenario (*.json); name the files or "
                             "another folder",
                             path);
                rc = 2;
            }
        } else if (kind == HH_PLAT_NONE) {
            hh_msg_error("%s: no such file or folder", path);
            rc = 2;
        } else if (kind == HH_PLAT_OTHER) {
            hh_msg_error("%s: not a regular file (a pipe or a device?); a scenario is a file",
                         path);
            rc = 2;
        } else if (strcmp(hh_path_base(path), HH_SUITE_FILE) == 0) {
            hh_msg_error("%s: holds what the scenarios of its folder leave out, and is not a "
                         "scenario; name the folder or the scenarios",
                         path);
            rc = 2;
        } else {
            size_t len = strlen(path);
            char *copy = malloc(len + 1);
            if (copy)
                memcpy(copy, path, len + 1);
            rc = push(&l, copy) == 0 ? 0 : 2;
        }
    }
    if (rc != 0) {
        hh_free_files(l.items, l.n);
        return rc;
    }
    *files = l.items;
    *n = l.n;
    return 0;
}

void hh_free_files(char **files, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(files[i]);
    free(files);
}
