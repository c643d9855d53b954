/* cmd_fuzz.c - `hotswap-harness fuzz SCENARIO [-- LIBFUZZER-FLAGS]`: checks everything a
 * session needs (the configuration validates, module and routine load, the flags make
 * sense), then becomes the libFuzzer target with the configuration on its command line, where
 * fork, merge and minimize children find it again. Targets are looked for in
 * HOTSWAP_FUZZ_DIR, beside this program, where `meson install` puts them (HH_FUZZ_INSTALL_DIR,
 * relative to this program's folder unless absolute), then in the build tree's fuzz/.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_fuzz.h"
#include "msgs.h"
#include "platform/plat.h"
#include "play/fuzz_schedule.h"

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
    return dir[0] && join(out, len, dir, name) == 0 && hh_plat_path_kind(out) == HH_PLAT_FILE;
}

enum { DIR_ENV, DIR_SELF, DIR_INSTALLED, DIR_TREE, NDIRS };

/* The folders the targets are looked for in, in that order; "" where one does not apply. */
static void target_dirs(char dirs[NDIRS][PATH_LEN])
{
    const char *env = hh_plat_getenv("HOTSWAP_FUZZ_DIR");
    const char *installed = HH_FUZZ_INSTALL_DIR;
    char self[PATH_LEN];
    char sep = hh_plat_dir_separator();
    memset(dirs, 0, sizeof(char[NDIRS][PATH_LEN]));
    if (env && strlen(env) < PATH_LEN)
        strcpy(dirs[DIR_ENV], env);
    if (hh_plat_self_path(self, sizeof(self)) != 0)
        return;
    strip_name(self);
    strcpy(dirs[DIR_SELF], self);
    if (installed[0] == '/') {
        if (snprintf(dirs[DIR_INSTALLED], PATH_LEN, "%s", installed) >= PATH_LEN)
            dirs[DIR_INSTALLED][0] = '\0';
    } else if (join(dirs[DIR_INSTALLED], PATH_LEN, self, installed) != 0) {
        dirs[DIR_INSTALLED][0] = '\0';
    }
    if (snprintf(dirs[DIR_TREE], PATH_LEN, "%s%c..%c..%cfuzz", self, sep, sep, sep) >= PATH_LEN)
        dirs[DIR_TREE][0] = '\0';
}

static int find_target(const char *target, char *out, size_t len)
{
    const char *exe = strcmp(hh_plat_module_suffix(), ".dll") == 0 ? ".exe" : "";
    char dirs[NDIRS][PATH_LEN], name[96];
    int i;
    snprintf(name, sizeof(name), "fuzz-%s%s", target, exe);
    target_dirs(dirs);
    for (i = 0; i < NDIRS; i++) {
        if (found(out, len, dirs[i], name))
            return 0;
    }
    return -1;
}

/* Why fuzz-TARGET is nowhere: a build without the fuzz runtime, or an install that lost it. */
static void not_built(const char *target)
{
    char dirs[NDIRS][PATH_LEN];
    if (!HH_FUZZING_BUILT) {
        hh_msg_error("the libFuzzer target fuzz-%s is not built: this hotswap-harness was "
                     "configured without fuzzing. The fuzz runtime needs clang and libFuzzer: "
                     "configure the harness with CC=clang and -Dfuzzing=true and install it "
                     "(docs/fuzzing-your-driver.md; in its own tree, scripts/fuzz-build.sh), "
                     "or point HOTSWAP_FUZZ_DIR at the folder that holds fuzz-%s",
                     target, target);
        return;
    }
    target_dirs(dirs);
    hh_msg_error("the libFuzzer target fuzz-%s is not built or not installed: it is not in "
                 "%s (where `meson install` puts it), beside this program, or in the build "
                 "tree's fuzz/; install the harness again (meson install), run "
                 "scripts/fuzz-build.sh in its tree, or point HOTSWAP_FUZZ_DIR at the folder "
                 "that holds it",
                 target, dirs[DIR_INSTALLED][0] ? dirs[DIR_INSTALLED] : HH_FUZZ_INSTALL_DIR);
}

void hh_fuzz_print_support(void)
{
    char bin[PATH_LEN];
    if (find_target("status-sequence", bin, sizeof(bin)) == 0) {
        strip_name(bin);
        hh_msg_out("fuzzing: yes (libFuzzer targets in %s)\n", bin);
    } else if (HH_FUZZING_BUILT) {
        hh_msg_out("fuzzing: built, but its libFuzzer targets are not found "
                   "(see `hotswap-harness fuzz`)\n");
    } else {
        hh_msg_out("fuzzing: no (configure with CC=clang and -Dfuzzing=true)\n");
    }
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
    if (strcmp(c.target, "schedule") == 0 && hh_fuzz_schedule_check(c.sc, err, sizeof(err))) {
        hh_msg_error("%s", err);
        hh_fuzz_cli_free(&c);
        return 2;
    }
    hh_fuzz_cli_free(&c); /* the target loads its own copy, once, before fuzzing */
    if (find_target(c.target, bin, sizeof(bin)) != 0) {
        not_built(c.target);
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
