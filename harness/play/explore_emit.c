/* explore_emit.c - a failing schedule written back as a scenario: the scenario's own JSON,
 * renamed, with the schedule under "schedule", which `run` then follows exactly.
 *
 * The steps and their expectations stay as the author wrote them: they say what a correct
 * driver does under every interleaving, so the file fails under `run` while the race is
 * there and passes once it is fixed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "play_int.h"

char *hh_play_explore_emit(const char *text, size_t len, const char *from_path,
                           const char *out_path, const char *name, const char *description,
                           int true_means, const char *schedule, char *why, size_t whylen)
{
    cJSON *cfg = cJSON_ParseWithLength(text, len), *root;
    char *out;
    if (!cJSON_IsObject(cfg)) {
        snprintf(why, whylen, "the scenario is not a JSON object");
        cJSON_Delete(cfg);
        return NULL;
    }
    /* not its clock: explore plays the virtual clock */
    root = hh_play_json_rewritten(cfg, name, description, "schedule", from_path, out_path,
                                  true_means, schedule);
    out = cJSON_Print(root); /* cJSON's default allocator: free() it */
    cJSON_Delete(root);
    if (!out)
        hh_play_oom();
    return hh_play_json_reindent(out);
}
