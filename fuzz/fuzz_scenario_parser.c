/* fuzz_scenario_parser.c - the scenario-parser target: input bytes are a scenario file, read
 * by the parser and validator; every diagnostic is formatted, and a scenario that validates
 * is encoded into each fuzz input format. Never a crash, a leak or a hang.
 */
#include <stdlib.h>

#include "play/fuzz_input.h"
#include "scenario/scenario.h"
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int formats[] = {HH_FUZZ_FORMAT_STATUS, HH_FUZZ_FORMAT_STATUS_ANY,
                                  HH_FUZZ_FORMAT_MODEL, HH_FUZZ_FORMAT_MODEL2,
                                  HH_FUZZ_FORMAT_MODEL3};
    struct hh_scenario *sc = NULL;
    struct hh_diags d;
    char line[1600];
    size_t i;
    hh_diags_init(&d);
    if (hh_scenario_parse("fuzz/input.json", (const char *)data, size, &sc, &d) != 0) {
        for (i = 0; i < d.n; i++)
            hh_diag_format(&d.items[i], line, sizeof(line));
        return 0;
    }
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        uint8_t *seed;
        size_t len;
        if (hh_fuzz_encode(sc, formats[i], &seed, &len) == 0)
            free(seed);
    }
    hh_scenario_free(sc);
    return 0;
}
