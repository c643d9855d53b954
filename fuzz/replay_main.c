/* replay_main.c - a plain main() for any fuzz target: replays files and folders of inputs
 * through LLVMFuzzerTestOneInput, so builds without libFuzzer (gcc, MSVC) still run corpus/
 * under `meson test`. A finding aborts, as under libFuzzer; an input of another encoding is
 * an error, since a corpus folder holds one target's inputs.
 *
 *   replay-TARGET [--scenario=PATH --module-path=DIR ...] FILE-OR-FOLDER...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"
#include "target.h"

static unsigned long played, rejected;

static int replay_file(const char *path)
{
    char *data, err[512];
    size_t len;
    if (hh_plat_read_file(path, 64u << 20, &data, &len, err, sizeof(err)) != 0) {
        fprintf(stderr, "replay: error: %s\n", err);
        return -1;
    }
    if (LLVMFuzzerTestOneInput((const uint8_t *)data, len) != 0) {
        fprintf(stderr, "replay: error: %s is not an input of this target's encoding\n", path);
        rejected++;
    }
    played++;
    free(data);
    return 0;
}

static int replay_path(const char *path)
{
    char **names, err[512];
    size_t n, i;
    int rc = 0;
    if (hh_plat_path_kind(path) != HH_PLAT_DIR)
        return replay_file(path);
    if (hh_plat_list_dir(path, &names, &n, err, sizeof(err)) != 0) {
        fprintf(stderr, "replay: error: %s\n", err);
        return -1;
    }
    for (i = 0; i < n && rc == 0; i++) {
        char *full = malloc(strlen(path) + strlen(names[i]) + 2);
        if (!full)
            abort();
        sprintf(full, "%s%c%s", path, hh_plat_dir_separator(), names[i]);
        rc = replay_path(full);
        free(full);
    }
    hh_plat_free_list(names, n);
    return rc;
}

int main(int argc, char **argv)
{
    int i, inputs = 0;
    hh_plat_init();
    LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue; /* the target's --options, or libFuzzer flags given out of habit */
        inputs++;
        if (replay_path(argv[i]) != 0)
            return 1;
    }
    if (!inputs) {
        fprintf(stderr, "usage: %s [--scenario=PATH] [--module-path=DIR] [--true-means=continue|terminate] FILE-OR-FOLDER...\n",
                argv[0]);
        return 2;
    }
    if (rejected) {
        fprintf(stderr, "replay: %lu of %lu inputs are of another encoding\n", rejected, played);
        return 1;
    }
    printf("replay: %lu input%s, no finding\n", played, played == 1 ? "" : "s");
    return 0;
}
