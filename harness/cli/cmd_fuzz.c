/* cmd_fuzz.c - `hotswap-harness fuzz SCENARIO [-- LIBFUZZER-FLAGS]`: checks everything a
 * session needs (the configuration validates, module and routine load, the flags make
 * sense), then becomes the libFuzzer target with the configuration on its command line, where
 * fork, merge and minimize children find it again. Targets are looked for in
 * HOTSWAP_FUZZ_DIR, beside this program, then in the build tree's fuzz/.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_fuzz.h"
#include "msgs.h"
#include "platform/plat.h"

#define PATH_LEN 4096

/* dir + sep + name into out; 0, or -1 when it does not fit. */
static int join(char *out, size_t len, const char *dir, const char *name)
{
    size_t n = strlen(dir);
    if (n + 1 + strlen(name) + 1 > len)
        return -1;
    memcpy(out, dir, n);
    out[n] = hh_plat_dir_separator();
    strcpy(out + n + 1, name);
    return 0;
}

/* The folder part of path, in place. */
static void strip_name(char *path)
{
    char *slash = strrchr(path, hh_plat_dir_separator());
    char *other = strrchr(path, '/');
    if (other > slash)
        slash = other;
    if (slash)
        *slash = '\0';
}

static int found(char *out, size_t len, const char *dir, const char *name)
{
    return join(out, len, dir, name) == 0 && hh_plat_path_kind(out) == HH_PLAT_FILE;
}

static int find_target(const char *target, char *out, size_t len)
{
    const char *env = hh_plat_getenv("HOTSWAP_FUZZ_DIR");
    const char *exe = strcmp(hh_plat_module_suffix(), ".dll") == 0 ? ".exe" : "";
    char self[PATH_LEN], name[96], tree[PATH_LEN + 16];
    char sep = hh_plat_dir_separator();
    snprintf(name, sizeof(name), "fuzz-%s%s", target, exe);
    if (env && *env && found(out, len, env, name))
        return 0;
    if (hh_plat_self_path(self, sizeof(self)) != 0)
        return -1;
    strip_name(self);
    if (found(out, len, self, name))
        return 0;
    snprintf(tree, sizeof(tree), "%s%c..%c..%cfuzz", self, sep, sep, sep);
    return found(out, len, tree, name) ? 0 : -1;
}

/* "-name=value" unless the user's flags set it. */
static void add_default(const char **argv, size_t *n, char **flags, int nflags,
                        const char *name, const char *flag)
{
    if (!hh_libfuzzer_has(flags, nflags, name))
        argv[(*n)++] = flag;
}

int hh_cmd_fuzz(int argc, char **argv)
{
    struct hh_fuzz_cli c;
    char bin[PATH_LEN], dict[PATH_LEN + 16], scenario[PATH_LEN + 16], err[600];
    char dirs[HH_CLI_MAX_DIRS][PATH_LEN + 16];
    const char **args;
    size_t n = 0, i;
    int rc = hh_fuzz_cli_parse(argc, argv, &c), parser;
    if (rc != 0)
        return rc;
    parser = strcmp(c.target, "scenario-parser") == 0;
    if ((rc = hh_fuzz_cli_load(&c, parser)) != 0 ||
        (rc = hh_libfuzzer_check(c.flags, c.nflags)) != 0) {
        hh_fuzz_cli_free(&c);
        return rc;
    }
    hh_fuzz_cli_free(&c); /* the target loads its own copy, once, before fuzzing */
    if (find_target(c.target, bin, sizeof(bin)) != 0) {
        hh_msg_error("the libFuzzer target fuzz-%s is not built: set a build up with "
                     "scripts/fuzz-build.sh (clang, -Dfuzzing=true), or point "
                     "HOTSWAP_FUZZ_DIR at the folder that holds it",
                     c.target);
        return 2;
    }
    args = calloc((size_t)c.nflags + HH_CLI_MAX_DIRS + 12, sizeof(*args));
    if (!args) {
        hh_msg_error("out of memory");
        return 2;
    }
    args[n++] = bin;
    if (!parser) {
        snprintf(scenario, sizeof(scenario), "--scenario=%s", c.scenario);
        args[n++] = scenario;
        for (i = 0; i < c.ndirs; i++) {
            snprintf(dirs[i], sizeof(dirs[i]), "--module-path=%s", c.dirs[i]);
            args[n++] = dirs[i];
        }
        if (c.any_status)
            args[n++] = "--any-status";
        if (c.true_means != HH_TRUE_MEANS_UNSET)
            args[n++] = c.true_means == HH_TRUE_MEANS_TERMINATE ? "--true-means=terminate"
                                                                : "--true-means=continue";
    }
    /* SPEC §7: a finding is exit 1 (libFuzzer's own codes are 77 and 70); a unit that runs
     * 25 s is a hang, as under ClusterFuzzLite. */
    add_default(args, &n, c.flags, c.nflags, "error_exitcode", "-error_exitcode=1");
    add_default(args, &n, c.flags, c.nflags, "timeout_exitcode", "-timeout_exitcode=1");
    add_default(args, &n, c.flags, c.nflags, "timeout", "-timeout=25");
    /* Comparisons in the routine module as features: the status a state compares against
     * becomes findable one bit closer at a time (docs/fuzzing.md, Measurements). Only the
     * module is instrumented, so it costs little. */
    if (!parser)
        add_default(args, &n, c.flags, c.nflags, "use_value_profile", "-use_value_profile=1");
    snprintf(dict, sizeof(dict), "-dict=%s.dict", bin);
    if (!hh_libfuzzer_has(c.flags, c.nflags, "dict") &&
        hh_plat_path_kind(dict + 6) == HH_PLAT_FILE)
        args[n++] = dict;
    for (i = 0; i < (size_t)c.nflags; i++)
        args[n++] = c.flags[i];
    args[n] = NULL;
    hh_plat_exec(args, err, sizeof(err));
    hh_msg_error("%s", err);
    free(args);
    return 2;
}
