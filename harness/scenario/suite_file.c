/* suite_file.c - hotswap-suite.json: what every scenario of one folder leaves out.
 *
 * A suite whose routines all follow one polarity says so once, beside its scenarios, instead
 * of on every command line that runs them. Only the scenario's own folder counts (no walk up
 * the tree), so what applies to a file is seen by looking next to it. A scenario's own key
 * still wins.
 */
#include "scenario_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/relpath.h"
#include "platform/plat.h"

#define SUITE_FILE_LIMIT ((size_t)64 << 10)

int hh_sc_defaults_parse(const char *file, const char *text, size_t len,
                         struct hh_sc_defaults *out, struct hh_diags *diags)
{
    static const char *const keys[] = {"$schema", "true_means", NULL};
    struct hh__sc_parser p;
    struct hh_jsonpos json;
    cJSON *root;
    int choice;
    hh_jsonpos_init(&json);
    memset(&p, 0, sizeof p);
    p.file = file;
    p.diags = diags;
    p.json = &json;
    root = hh__sc_parse_json(file, text, len, &json, diags);
    if (!root) {
        hh_jsonpos_free(&json);
        return -1;
    }
    if (hh__sc_is_object(&p, root, "", "an object such as { \"true_means\": \"terminate\" }")) {
        hh__sc_check_keys(&p, root, "", keys);
        hh__sc_check_duplicate_keys(&p, root);
        if (hh__sc_choice(&p, root, "", "true_means", hh__sc_decision_names, &choice) ==
            HH_SC_OK)
            out->true_means = choice ? HH_TRUE_MEANS_TERMINATE : HH_TRUE_MEANS_CONTINUE;
    }
    cJSON_Delete(root);
    hh_jsonpos_free(&json);
    return p.errors ? -1 : 0;
}

int hh_sc_defaults_for(const char *path, const struct hh_sc_defaults *base,
                       struct hh_sc_defaults *out, struct hh_diags *diags)
{
    size_t n = strlen(path) + sizeof(HH_SUITE_FILE) + 2;
    char *file = malloc(n), err[256], *data;
    size_t len;
    int rc = 0;
    out->true_means = base ? base->true_means : HH_TRUE_MEANS_UNSET;
    if (!file) {
        hh_diags_add(diags, path, 0, 0, "", "out of memory");
        return -1;
    }
    hh_path_folder(path, file, n);
    strcat(file, "/" HH_SUITE_FILE);
    if (hh_plat_path_kind(file) != HH_PLAT_NONE) {
        if (hh_plat_read_file(file, SUITE_FILE_LIMIT, &data, &len, err, sizeof err) != 0) {
            hh_diags_add(diags, file, 0, 0, "", "%s", err);
            rc = -1;
        } else {
            rc = hh_sc_defaults_parse(file, data, len, out, diags);
            free(data);
        }
    }
    free(file);
    return rc;
}
