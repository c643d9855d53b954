/* encode_main.c - hh-fuzz-encode: a scenario file into a seed input for a fuzz target, the
 * one tool scripts/fuzz-corpus.sh needs to turn scenarios/ into corpus/.
 *
 *   hh-fuzz-encode status-sequence|status-sequence-any|model SCENARIO OUTPUT
 * The encodings are the decoders' own (harness/play/fuzz_*.c); exit 2 on bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "play/fuzz_input.h"
#include "platform/plat.h"
#include "scenario/scenario.h"

static int format_named(const char *name)
{
    if (strcmp(name, "status-sequence") == 0)
        return HH_FUZZ_FORMAT_STATUS;
    if (strcmp(name, "status-sequence-any") == 0)
        return HH_FUZZ_FORMAT_STATUS_ANY;
    if (strcmp(name, "model") == 0)
        return HH_FUZZ_FORMAT_MODEL3; /* the newest version; corpora are written in it */
    if (strcmp(name, "model-v2") == 0)
        return HH_FUZZ_FORMAT_MODEL2;
    if (strcmp(name, "model-v1") == 0)
        return HH_FUZZ_FORMAT_MODEL;
    return -1;
}

int main(int argc, char **argv)
{
    struct hh_scenario *sc;
    struct hh_diags d;
    uint8_t *seed;
    size_t len, i;
    FILE *f;
    int format;
    hh_plat_init();
    if (argc != 4 || (format = format_named(argv[1])) < 0) {
        fprintf(stderr, "usage: hh-fuzz-encode status-sequence|status-sequence-any|model|model-v2|model-v1 "
                        "SCENARIO OUTPUT\n");
        return 2;
    }
    hh_diags_init(&d);
    if (hh_scenario_load(argv[2], &sc, &d) != 0) {
        char line[1600];
        for (i = 0; i < d.n; i++)
            fprintf(stderr, "%s\n", hh_diag_format(&d.items[i], line, sizeof(line)));
        return 2;
    }
    hh_fuzz_encode(sc, format, &seed, &len);
    hh_scenario_free(sc);
    f = fopen(argv[3], "wb");
    if (!f || fwrite(seed, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "hh-fuzz-encode: error: cannot write %s\n", argv[3]);
        free(seed);
        return 2;
    }
    free(seed);
    return 0;
}
