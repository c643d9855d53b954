/* test_module.c - the module search path (SPEC section 2), its errors, and real loading.
 *
 * Fake module files (text) test the search order, since finding only asks whether a file
 * exists; the probe module built beside this test is loaded for real.
 */
#include <stdlib.h>

#include "platform/plat.h"
#include "play/module.h"
#include "plat_test.h"

static char sep[2];
static char lib_name[64], plain_name[64]; /* libNAME.so and NAME.so, or NAME.dll twice */

/* HH_TEST_OUT/modpath/rel */
static const char *mod_path(char *buf, size_t len, const char *rel)
{
    char inner[600];
    snprintf(inner, sizeof(inner), "modpath%s%s", sep, rel);
    return test_path(buf, len, inner);
}

static void put_module(const char *dir, const char *file)
{
    char rel[512];
    snprintf(rel, sizeof(rel), "modpath%s%s%s%s", sep, dir, sep, file);
    test_write(rel, "not a library\n", 14);
}

static void names_for(const char *name)
{
    snprintf(lib_name, sizeof(lib_name), "%s%s%s", hh_plat_module_prefix(), name,
             hh_plat_module_suffix());
    snprintf(plain_name, sizeof(plain_name), "%s%s", name, hh_plat_module_suffix());
}

/* The fixture: modpath/{scen,scen/sub,extra1,extra2,env1,env2}; the meson test sets
 * HOTSWAP_MODULE_PATH to "modpath/env1<sep><sep>modpath/env2" (an empty entry between). */
static void make_tree(void)
{
    static const char *const dirs[] = {"scen", "extra1", "extra2", "env1", "env2"};
    char rel[64];
    size_t i;
    sep[0] = hh_plat_dir_separator();
    test_mkdir("modpath");
    for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(rel, sizeof(rel), "modpath%s%s", sep, dirs[i]);
        test_mkdir(rel);
    }
    snprintf(rel, sizeof(rel), "modpath%sscen%ssub", sep, sep);
    test_mkdir(rel);
}

struct where {
    char scen[1024], extra1[1024], extra2[1024];
    const char *extras[2];
};

static void where_init(struct where *w)
{
    make_tree();
    mod_path(w->scen, sizeof(w->scen), "scen");
    mod_path(w->extra1, sizeof(w->extra1), "extra1");
    mod_path(w->extra2, sizeof(w->extra2), "extra2");
    w->extras[0] = w->extra1;
    w->extras[1] = w->extra2;
}

/* Finds name and checks it resolved to dir/file. */
static void check_found(const struct where *w, const char *name, const char *dir,
                        const char *file)
{
    char out[1024], want[1024], rel[512];
    struct hh_diags d;
    hh_diags_init(&d);
    CHECK_EQ(hh_module_find(name, w->scen, w->extras, 2, out, sizeof(out), "s.json", &d), 0);
    CHECK_EQ(d.n, 0);
    snprintf(rel, sizeof(rel), "%s%s%s", dir, sep, file);
    CHECK_STR(out, mod_path(want, sizeof(want), rel));
}

static void test_scenario_folder_first(void)
{
    struct where w;
    where_init(&w);
    names_for("first");
    put_module("scen", lib_name);
    put_module("extra1", lib_name);
    put_module("env1", lib_name);
    check_found(&w, "first", "scen", lib_name);
}

static void test_then_module_path_then_environment(void)
{
    struct where w;
    where_init(&w);
    names_for("second");
    put_module("extra2", lib_name);
    put_module("env1", lib_name);
    check_found(&w, "second", "extra2", lib_name);
    names_for("third");
    put_module("env2", plain_name); /* after env1 misses and the empty entry is skipped */
    check_found(&w, "third", "env2", plain_name);
}

static void test_prefixed_name_first_in_a_folder(void)
{
    struct where w;
    where_init(&w);
    names_for("both");
    put_module("extra1", plain_name);
    put_module("extra1", lib_name);
    check_found(&w, "both", "extra1", lib_name);
    /* An earlier folder wins even with the unprefixed name. */
    names_for("early");
    put_module("scen", plain_name);
    put_module("extra1", lib_name);
    check_found(&w, "early", "scen", plain_name);
}

static void test_not_found_lists_every_place(void)
{
    struct where w;
    struct hh_diags d;
    char out[1024], expect[3300];
    where_init(&w);
    names_for("nowhere");
    hh_diags_init(&d);
    CHECK_EQ(hh_module_find("nowhere", w.scen, w.extras, 2, out, sizeof(out), "s.json", &d),
             -1);
    CHECK_EQ(d.n, 1);
    CHECK_STR(d.items[0].file, "s.json");
    CHECK_CONTAINS(d.items[0].msg, "module \"nowhere\" not found");
    if (strcmp(lib_name, plain_name) != 0) {
        snprintf(expect, sizeof(expect), "looked for %s or %s in ", lib_name, plain_name);
        CHECK_CONTAINS(d.items[0].msg, expect);
    }
    snprintf(expect, sizeof(expect), "%s (the scenario's folder), %s (--module-path), %s "
             "(--module-path), ", w.scen, w.extra1, w.extra2);
    CHECK_CONTAINS(d.items[0].msg, expect);
    CHECK_CONTAINS(d.items[0].msg, "env1 (HOTSWAP_MODULE_PATH), ");
    CHECK_CONTAINS(d.items[0].msg, "env2 (HOTSWAP_MODULE_PATH); ");
    CHECK_CONTAINS(d.items[0].msg, "--module-path or HOTSWAP_MODULE_PATH");
}

static void test_long_search_is_cut_with_a_count(void)
{
    static char dirs[40][300];
    const char *extras[40];
    struct hh_diags d;
    char out[1024];
    size_t i;
    for (i = 0; i < 40; i++) {
        snprintf(dirs[i], sizeof(dirs[i]), "/a/rather/long/folder/name/number/%02u",
                 (unsigned)i);
        extras[i] = dirs[i];
    }
    hh_diags_init(&d);
    CHECK_EQ(hh_module_find("gone", NULL, extras, 40, out, sizeof(out), NULL, &d), -1);
    CHECK_CONTAINS(d.items[0].msg, ". (the scenario's folder)");
    CHECK_CONTAINS(d.items[0].msg, " more; build it there");
}

static void test_paths_are_relative_to_the_scenario(void)
{
    struct where w;
    char rel[256];
    where_init(&w);
    put_module("scen", "custom.so");
    check_found(&w, "custom.so", "scen", "custom.so");
    snprintf(rel, sizeof(rel), "scen%ssub", sep);
    put_module(rel, "libx.so");
    snprintf(rel, sizeof(rel), "sub%slibx.so", sep);
    check_found(&w, rel, "scen", rel);
    snprintf(rel, sizeof(rel), "sub/libx.so"); /* '/' works on every platform */
    {
        char out[1024];
        struct hh_diags d;
        hh_diags_init(&d);
        CHECK_EQ(hh_module_find(rel, w.scen, NULL, 0, out, sizeof(out), NULL, &d), 0);
    }
}

static void test_absolute_path(void)
{
    struct where w;
    char abs[1024], out[1024], rel[256];
    struct hh_diags d;
    where_init(&w);
    put_module("extra2", "abs.so");
    snprintf(rel, sizeof(rel), "extra2%sabs.so", sep);
    mod_path(abs, sizeof(abs), rel);
    hh_diags_init(&d);
    CHECK_EQ(hh_module_find(abs, w.scen, NULL, 0, out, sizeof(out), NULL, &d), 0);
    CHECK_STR(out, abs);
}

static void test_path_errors(void)
{
    struct where w;
    char out[1024];
    struct hh_diags d;
    where_init(&w);
    hh_diags_init(&d);
    CHECK_EQ(hh_module_find("build/libmissing.so", w.scen, NULL, 0, out, sizeof(out), "s.json",
                            &d),
             -1);
    CHECK_CONTAINS(d.items[0].msg, "module \"build/libmissing.so\": ");
    CHECK_CONTAINS(d.items[0].msg, "libmissing.so does not exist");
    CHECK_CONTAINS(d.items[0].msg, "relative to the scenario's folder");
    CHECK_EQ(hh_module_find("sub", w.scen, NULL, 0, out, sizeof(out), NULL, &d), -1);
    CHECK_CONTAINS(d.items[1].msg, "not found"); /* a bare name: searched, folders ignored */
    CHECK_EQ(hh_module_find("sub/.", w.scen, NULL, 0, out, sizeof(out), NULL, &d), -1);
    CHECK_CONTAINS(d.items[2].msg, "is not a file");
    CHECK_EQ(hh_module_find("x", w.scen, NULL, 0, out, 4, NULL, &d), -1);
}

static void test_load_real_module(void)
{
    struct hh_module *m;
    struct hh_diags d;
    char out[1024];
    int (*answer)(void);
    void *sym;
    hh_diags_init(&d);
    CHECK_EQ(hh_module_find("probe", HH_TEST_OUT, NULL, 0, out, sizeof(out), NULL, &d), 0);
    CHECK_STR(out, HH_TEST_PROBE);
    CHECK_EQ(hh_module_open(out, NULL, &m, NULL, &d), 0);
    CHECK_STR(hh_module_path(m), HH_TEST_PROBE);
    sym = hh_module_symbol(m, "hh_probe_answer");
    CHECK(sym != NULL);
    memcpy(&answer, &sym, sizeof(answer));
    CHECK_EQ(answer(), 42);
    CHECK(hh_module_symbol(m, "NoSuchRoutine") == NULL);
    hh_module_close(m);
    hh_module_close(NULL);
    CHECK_EQ(d.n, 0);
}

static int listed(char **names, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0)
            return 1;
    }
    return 0;
}

/* The export table read from the file: the module's own function, not what it imports. */
static void test_exports_and_did_you_mean(void)
{
    struct hh_module *m;
    struct hh_diags d;
    char **names = NULL, err[256] = "", near[80] = "", self[1024], path[1024], rel[256];
    size_t n = 0, i;
    CHECK_EQ(hh_plat_module_exports(HH_TEST_PROBE, &names, &n, err, sizeof(err)), 0);
    CHECK(listed(names, n, "hh_probe_answer"));
    CHECK(!listed(names, n, "KeQueryTimeIncrement"));
    for (i = 1; i < n; i++)
        CHECK(strcmp(names[i - 1], names[i]) <= 0);
    hh_plat_free_list(names, n);
    hh_diags_init(&d);
    CHECK_EQ(hh_module_open(HH_TEST_PROBE, NULL, &m, NULL, &d), 0);
    CHECK_EQ(hh_module_suggest_export(m, "hh_probe_answr", near, sizeof(near)), 1);
    CHECK_STR(near, "hh_probe_answer");
    CHECK_EQ(hh_module_suggest_export(m, "SomethingElseEntirely", near, sizeof(near)), 0);
    hh_module_close(m);
    /* A file that is no binary has no table; a function locates its own file. */
    put_module("scen", "libtext.so");
    snprintf(rel, sizeof(rel), "scen%slibtext.so", sep);
    CHECK_EQ(hh_plat_module_exports(mod_path(path, sizeof(path), rel), &names, &n, err,
                                    sizeof(err)), -1);
    CHECK_CONTAINS(err, "neither an ELF nor a PE file");
    CHECK_EQ(hh_plat_library_of((void (*)(void))hh_module_close, self, sizeof(self)), 0);
    CHECK_CONTAINS(self, "test_module");
}

/* Addresses in a loaded module are named by module, offset and symbol; elsewhere, not at all. */
static void test_addresses_named(void)
{
    struct hh_module *m;
    struct hh_diags d;
    struct hh_plat_addr a;
    char buf[1024];
    void *sym, *heap = malloc(16);
    hh_diags_init(&d);
    CHECK_EQ(hh_module_open(HH_TEST_PROBE, NULL, &m, NULL, &d), 0);
    sym = hh_module_symbol(m, "hh_probe_answer");
    CHECK(sym != NULL);
    CHECK_EQ(hh_plat_addr_info(sym, &a), 0);
    CHECK_CONTAINS(a.module, "probe");
    CHECK(a.offset > 0);
    CHECK_STR(a.symbol, "hh_probe_answer");
    CHECK_EQ(a.symbol_offset, 0);
    CHECK(hh_plat_code_site(sym, 0, buf, sizeof(buf)) == buf);
    CHECK_CONTAINS(buf, "hh_probe_answer");
    CHECK_CONTAINS(buf, "probe");
    CHECK_CONTAINS(buf, "+0x");
    CHECK(heap != NULL);
    CHECK_EQ(hh_plat_addr_info(heap, &a), -1);
    CHECK(hh_plat_code_site(heap, 1, buf, sizeof(buf)) == NULL);
    CHECK(hh_plat_data_site(heap, buf, sizeof(buf)) == NULL);
    free(heap);
    hh_module_close(m);
}

static void test_not_a_library(void)
{
    struct where w;
    struct hh_module *m = NULL;
    struct hh_diags d;
    char path[1024], rel[256];
    where_init(&w);
    put_module("scen", "libtext.so");
    snprintf(rel, sizeof(rel), "scen%slibtext.so", sep);
    hh_diags_init(&d);
    CHECK_EQ(hh_module_open(mod_path(path, sizeof(path), rel), NULL, &m, "s.json", &d), -1);
    CHECK(m == NULL);
    CHECK_EQ(d.n, 1);
    CHECK_STR(d.items[0].file, "s.json");
    CHECK_CONTAINS(d.items[0].msg, "cannot load module ");
    CHECK_CONTAINS(d.items[0].msg, "is it a shared library built for this platform?");
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"scenario_folder_first", test_scenario_folder_first},
        {"then_module_path_then_environment", test_then_module_path_then_environment},
        {"prefixed_name_first_in_a_folder", test_prefixed_name_first_in_a_folder},
        {"not_found_lists_every_place", test_not_found_lists_every_place},
        {"long_search_is_cut_with_a_count", test_long_search_is_cut_with_a_count},
        {"paths_are_relative_to_the_scenario", test_paths_are_relative_to_the_scenario},
        {"absolute_path", test_absolute_path},
        {"path_errors", test_path_errors},
        {"load_real_module", test_load_real_module},
        {"addresses_named", test_addresses_named},
        {"not_a_library", test_not_a_library},
        {"exports_and_did_you_mean", test_exports_and_did_you_mean},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
