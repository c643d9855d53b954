/* files.c - turning the command line's paths into the list of scenario files.
 *
 * A folder is searched recursively for *.json in bytewise order, so a suite runs in the same
 * order everywhere. A path that does not exist, or a folder without a scenario, is an error:
 * a CI job must never pass by running nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msgs.h"
#include "platform/plat.h"

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
           !(n > 12 && strcmp(name + n - 12, ".schema.json") == 0);
}

static int walk(const char *dir, struct list *out, int depth)
{
    char **names;
    size_t n, i;
    char err[512];
    int rc = 0;
    if (depth > MAX_DEPTH) {
        hh_msg_error("%s: folders nested more than %d deep (a link loop?); name a folder "
                     "deeper down",
                     dir, MAX_DEPTH);
        return 2;
    }
    if (hh_plat_list_dir(dir, &names, &n, err, sizeof(err)) != 0) {
        hh_msg_error("%s: cannot list the folder: %s", dir, err);
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
            rc = walk(path, out, depth + 1);
            free(path);
        } else if (kind == HH_PLAT_FILE && is_scenario_name(names[i])) {
            rc = push(out, path) == 0 ? 0 : 2;
        } else {
            free(path);
        }
    }
    hh_plat_free_list(names, n);
    return rc;
}

int hh_collect_files(const struct hh_cli *cli, char ***files, size_t *n)
{
    struct list l = {NULL, 0, 0};
    size_t i;
    int rc = 0;
    for (i = 0; i < cli->npaths && rc == 0; i++) {
        const char *path = cli->paths[i];
        int kind = hh_plat_path_kind(path);
        if (kind == HH_PLAT_DIR) {
            size_t before = l.n;
            rc = walk(path, &l, 0);
            if (rc == 0 && l.n == before) {
                hh_msg_error("%s: the folder holds no scenario (*.json); name the files or "
                             "another folder",
                             path);
                rc = 2;
            }
        } else if (kind == HH_PLAT_NONE) {
            hh_msg_error("%s: no such file or folder", path);
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
