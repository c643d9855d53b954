/* test_win_plat.c - the Windows backend of the platform contract, where it differs from
 * POSIX: threads, child processes (quoting, exit statuses, named exceptions, timeouts,
 * stragglers, output), the executable's path, replacing files, file identities, APCs, and
 * the sentences for DLLs that do not load (wrong architecture, not a DLL, a missing DLL, a
 * missing function) and for non-ASCII paths. Uses plat.h only; fixtures are made at run
 * time under HH_TEST_OUT. Built for Windows only (tests/windows/meson.build).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "platform/plat.h"
#include "wine.h"

/* ---- Fixtures -------------------------------------------------------------------------- */
static const char *out_path(char *buf, size_t len, const char *rel)
{
    snprintf(buf, len, "%s/%s", HH_TEST_OUT, rel);
    return buf;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK_EQ(fwrite(data, 1, len, f), len);
    CHECK_EQ(fclose(f), 0);
}

static void copy_file(const char *from, const char *to)
{
    char err[256], *data;
    size_t len;
    CHECK_EQ(hh_plat_read_file(from, (size_t)64 << 20, &data, &len, err, sizeof(err)), 0);
    write_file(to, data, len);
    free(data);
}

static void fresh_dir(const char *path)
{
    char err[256];
    CHECK_EQ(hh_plat_make_dir(path, err, sizeof(err)), 0);
}

/* Runs win_child.exe with up to 3 arguments; returns how long it took, in milliseconds. */
static uint64_t run_child(struct hh_plat_proc_result *r, unsigned long timeout_ms,
                          const char *a1, const char *a2, const char *a3)
{
    const char *argv[5] = {HH_TEST_CHILD, a1, a2, a3, NULL};
    struct hh_plat_proc *p;
    char err[512];
    uint64_t start = hh_plat_monotonic_ns();
    CHECK_EQ(hh_plat_proc_spawn(argv, &p, err, sizeof(err)), 0);
    CHECK_EQ(hh_plat_proc_wait(p, timeout_ms, r, err, sizeof(err)), 0);
    return (hh_plat_monotonic_ns() - start) / 1000000u;
}

/* ---- Threads --------------------------------------------------------------------------- */
struct counter {
    struct hh_plat_mutex *m;
    long n;
};

static void count_up(void *arg)
{
    struct counter *c = arg;
    int i;
    for (i = 0; i < 20000; i++) {
        hh_plat_mutex_lock(c->m);
        c->n++;
        hh_plat_mutex_unlock(c->m);
    }
}

static void test_threads_and_mutex(void)
{
    struct counter c = {NULL, 0};
    struct hh_plat_thread *t[4];
    int i;
    CHECK_EQ(hh_plat_mutex_new(&c.m), 0);
    for (i = 0; i < 4; i++)
        CHECK_EQ(hh_plat_thread_start(&t[i], count_up, &c), 0);
    for (i = 0; i < 4; i++)
        hh_plat_thread_join(t[i]);
    CHECK_EQ(c.n, 80000);
    hh_plat_mutex_free(c.m);
    CHECK(hh_plat_cpu_count() >= 1);
}

static void test_self_path(void)
{
    char self[1024], tiny[4];
    CHECK_EQ(hh_plat_self_path(self, sizeof(self)), 0);
    CHECK_CONTAINS(self, "test_win_plat.exe");
    CHECK(hh_plat_is_absolute(self));
    CHECK_EQ(hh_plat_path_kind(self), HH_PLAT_FILE);
    CHECK_EQ(hh_plat_self_path(tiny, sizeof(tiny)), -1);
}

/* ---- Child processes ------------------------------------------------------------------- */
static void test_arguments_arrive_as_given(void)
{
    static const char *const args[] = {
        "plain", "two words", "", "quote\"inside", "trailing\\", "back\\\\slashes\\\"q",
        "tab\there", "caf\xC3\xA9 \xE2\x98\x95 \xE6\x97\xA5\xE6\x9C\xAC",
    };
    const char *argv[12];
    char want[1024] = "", err[256];
    struct hh_plat_proc *p;
    struct hh_plat_proc_result r;
    size_t i, n = sizeof(args) / sizeof(args[0]);
    argv[0] = HH_TEST_CHILD;
    argv[1] = "args";
    for (i = 0; i < n; i++) {
        argv[2 + i] = args[i];
        snprintf(want + strlen(want), sizeof(want) - strlen(want), "[%s]\n", args[i]);
    }
    argv[2 + n] = NULL;
    CHECK_EQ(hh_plat_proc_spawn(argv, &p, err, sizeof(err)), 0);
    CHECK_EQ(hh_plat_proc_wait(p, 30000, &r, err, sizeof(err)), 0);
    CHECK_EQ(r.exited, 1);
    CHECK_EQ(r.code, 0);
    CHECK_STR(r.output, want);
    free(r.output);
}

static void test_exit_status(void)
{
    struct hh_plat_proc_result r;
    run_child(&r, 30000, "exit", "7", NULL);
    CHECK_EQ(r.exited, 1);
    CHECK_EQ(r.crashed, 0);
    CHECK_EQ(r.code, 7);
    CHECK_STR(r.what, "exited with status 7");
    free(r.output);
}

static void test_crash_is_named(void)
{
    struct hh_plat_proc_result r;
    run_child(&r, 30000, "crash", NULL, NULL);
    CHECK_EQ(r.crashed, 1);
    CHECK_EQ(r.exited, 0);
    CHECK_EQ((unsigned)r.code, 0xC0000005u);
    CHECK_STR(r.what, "access violation (0xC0000005)");
    /* The child's own last line: what, where, in which module. */
    CHECK_CONTAINS(r.output, "hotswap: unhandled exception: access violation (0xC0000005) at ");
    CHECK_CONTAINS(r.output, "win_child.exe+0x");
    CHECK_CONTAINS(r.output, ", writing 0x0000000000000000");
    free(r.output);
}

static void test_crash_without_handler(void)
{
    struct hh_plat_proc_result r;
    run_child(&r, 60000, "crash-raw", NULL, NULL);
    CHECK_EQ(r.crashed, 1);
    CHECK_STR(r.what, "access violation (0xC0000005)");
    free(r.output);
}

static void test_timeout_kills(void)
{
    struct hh_plat_proc_result r;
    CHECK(run_child(&r, 300, "sleep", "20000", NULL) < 10000u);
    CHECK_EQ(r.timed_out, 1);
    CHECK_EQ(r.exited, 0);
    CHECK_EQ(r.crashed, 0);
    CHECK_STR(r.what, "killed after the 300 ms limit");
    free(r.output);
}

static void test_grandchild_does_not_hold_the_wait(void)
{
    struct hh_plat_proc_result r;
    CHECK(run_child(&r, 60000, "grandchild", "20000", NULL) < 10000u);
    CHECK_EQ(r.exited, 1);
    CHECK_EQ(r.code, 0);
    CHECK_STR(r.output, "started\n");
    free(r.output);
}

static void test_output_in_order(void)
{
    struct hh_plat_proc_result r;
    run_child(&r, 30000, "both", NULL, NULL);
    CHECK_STR(r.output, "out 1\nerr 1\nout 2\n");
    CHECK_EQ(r.output_len, 18);
    free(r.output);
}

static void test_output_is_bounded(void)
{
    struct hh_plat_proc_result r;
    run_child(&r, 60000, "out", "9437184", NULL); /* 9 MiB */
    CHECK_EQ(r.exited, 1);
    CHECK(r.output_len < (size_t)9437184);
    CHECK(strncmp(r.output, "abcdefghij", 10) == 0);
    CHECK_CONTAINS(r.output, "bytes of output left out");
    free(r.output);
}

static void test_spawn_errors(void)
{
    const char *argv[] = {HH_TEST_OUT "/no-such-program.exe", NULL};
    const char *bad[] = {HH_TEST_CHILD, "\xC3(", NULL};
    struct hh_plat_proc *p;
    char err[512];
    CHECK_EQ(hh_plat_proc_spawn(argv, &p, err, sizeof(err)), -1);
    CHECK_CONTAINS(err, "cannot start ");
    CHECK_CONTAINS(err, "no-such-program.exe: ");
    CHECK_CONTAINS(err, "(error 2)");
    CHECK_EQ(hh_plat_proc_spawn(bad, &p, err, sizeof(err)), -1);
    CHECK_CONTAINS(err, "not valid UTF-8");
}

/* ---- Files ----------------------------------------------------------------------------- */
static void check_content(const char *path, const char *want)
{
    char err[256], *data;
    size_t len;
    CHECK_EQ(hh_plat_read_file(path, 1024, &data, &len, err, sizeof(err)), 0);
    CHECK_STR(data, want);
    free(data);
}

static void test_replace_file(void)
{
    char dir[512], tmp[600], dst[600], err[256];
    out_path(dir, sizeof(dir), "replace-\xC3\xA9t\xC3\xA9");
    fresh_dir(dir);
    snprintf(tmp, sizeof(tmp), "%s/report.xml.tmp", dir);
    snprintf(dst, sizeof(dst), "%s/report-\xE6\x97\xA5.xml", dir);
    write_file(dst, "old", 3);
    write_file(tmp, "new", 3);
    CHECK_EQ(hh_plat_replace_file(tmp, dst, err, sizeof(err)), 0);
    check_content(dst, "new");
    CHECK_EQ(hh_plat_path_kind(tmp), HH_PLAT_NONE);
    /* A first write: nothing to replace. */
    snprintf(dst, sizeof(dst), "%s/first.xml", dir);
    write_file(tmp, "first", 5);
    CHECK_EQ(hh_plat_replace_file(tmp, dst, err, sizeof(err)), 0);
    check_content(dst, "first");
    /* A folder in the way, and a missing source. */
    write_file(tmp, "x", 1);
    CHECK_EQ(hh_plat_replace_file(tmp, dir, err, sizeof(err)), -1);
    CHECK_CONTAINS(err, "is a folder");
    snprintf(tmp, sizeof(tmp), "%s/missing.tmp", dir);
    CHECK_EQ(hh_plat_replace_file(tmp, dst, err, sizeof(err)), -1);
    CHECK_CONTAINS(err, "cannot replace the file: ");
    CHECK_CONTAINS(err, "(error 2)");
}

static void test_file_id(void)
{
    char a[512], b[512], c[600], err[256];
    struct hh_plat_file_id ia, ib, ic;
    out_path(a, sizeof(a), "id-a");
    out_path(b, sizeof(b), "id-b");
    write_file(a, "a", 1);
    write_file(b, "b", 1);
    snprintf(c, sizeof(c), "%s\\.\\id-a", HH_TEST_OUT);
    CHECK_EQ(hh_plat_file_id(a, &ia, err, sizeof(err)), 0);
    CHECK_EQ(hh_plat_file_id(b, &ib, err, sizeof(err)), 0);
    CHECK_EQ(hh_plat_file_id(c, &ic, err, sizeof(err)), 0);
    CHECK(ia.volume == ic.volume && ia.file == ic.file);
    CHECK(ia.volume != ib.volume || ia.file != ib.file);
    CHECK_EQ(hh_plat_file_id(HH_TEST_OUT, &ic, err, sizeof(err)), 0); /* a folder */
    out_path(c, sizeof(c), "id-missing");
    CHECK_EQ(hh_plat_file_id(c, &ic, err, sizeof(err)), -1);
}

/* ---- APCs ------------------------------------------------------------------------------ */
static void note_apc(void *arg)
{
    (*(int *)arg)++;
}

static void test_user_apc(void)
{
    struct hh_plat_sync *never;
    int ran = 0;
    CHECK_EQ(hh_plat_sync_new(HH_PLAT_SYNC_MANUAL_EVENT, 0, 0, &never, NULL, 0), 0);
    CHECK_EQ(hh_plat_queue_apc(NULL, note_apc, &ran), 0);
    /* Not alertable: the APC stays queued and the wait times out. */
    CHECK_EQ(hh_plat_sync_wait(&never, 1, 0, 0, 0), HH_PLAT_WAIT_TIMEOUT);
    CHECK_EQ(ran, 0);
    CHECK_EQ(hh_plat_sync_wait(&never, 1, 0, HH_PLAT_INFINITE, 1), HH_PLAT_WAIT_IO_COMPLETION);
    CHECK_EQ(ran, 1);
    hh_plat_sync_free(never);
}

/* ---- Modules that do not load ----------------------------------------------------------- */
static void test_load_from_non_ascii_folder(void)
{
    char dir[512], dll[600], err[512];
    struct hh_plat_lib *lib;
    int (*answer)(void);
    void *sym;
    out_path(dir, sizeof(dir), "m\xC3\xB3" "dulos-\xE6\x97\xA5\xE6\x9C\xAC");
    fresh_dir(dir);
    snprintf(dll, sizeof(dll), "%s/hh_test_dep.dll", dir);
    copy_file(HH_TEST_DEP, dll);
    CHECK_EQ(hh_plat_dlopen(dll, &lib, err, sizeof(err)), 0);
    sym = hh_plat_dlsym(lib, "hh_test_dep_answer");
    CHECK(sym != NULL);
    memcpy(&answer, &sym, sizeof(answer));
    CHECK_EQ(answer(), 42);
    hh_plat_dlclose(lib);
}

static void test_wrong_architecture(void)
{
    char path[512], err[512], *data;
    size_t len;
    unsigned nt;
    struct hh_plat_lib *lib;
    CHECK_EQ(hh_plat_read_file(HH_TEST_DEP, (size_t)64 << 20, &data, &len, err, sizeof(err)),
             0);
    nt = (unsigned char)data[0x3C] | (unsigned)(unsigned char)data[0x3D] << 8;
    CHECK(nt + 26 < len);
    data[nt + 4] = 0x4C; /* IMAGE_FILE_MACHINE_I386 */
    data[nt + 5] = 0x01;
    data[nt + 24] = 0x0B; /* a PE32 optional header */
    data[nt + 25] = 0x01;
    out_path(path, sizeof(path), "x86.dll");
    write_file(path, data, len);
    free(data);
    CHECK_EQ(hh_plat_dlopen(path, &lib, err, sizeof(err)), -1);
    CHECK_CONTAINS(err, "it is a 32-bit x86 Windows DLL and this harness is a 64-bit x86-64 "
                        "Windows program: build the module for the harness's system and "
                        "architecture (error 193)");
}

static void test_not_a_dll(void)
{
    char elf[64] = "\x7f" "ELF\x02\x01\x01", path[512], err[512];
    struct hh_plat_lib *lib;
    elf[18] = 0x3E; /* EM_X86_64 */
    out_path(path, sizeof(path), "linux.dll");
    write_file(path, elf, sizeof(elf));
    CHECK_EQ(hh_plat_dlopen(path, &lib, err, sizeof(err)), -1);
    CHECK_CONTAINS(err, "it is a 64-bit x86-64 ELF shared object (Linux or another Unix) and "
                        "this harness is a 64-bit x86-64 Windows program");
    out_path(path, sizeof(path), "text.dll");
    write_file(path, "not a library at all\n", 21);
    CHECK_EQ(hh_plat_dlopen(path, &lib, err, sizeof(err)), -1);
    CHECK_CONTAINS(err, "it is not a shared library (neither ELF, PE nor Mach-O)");
}

static void test_missing_dependency(void)
{
    char dir[512], dll[600], err[512];
    struct hh_plat_lib *lib;
    out_path(dir, sizeof(dir), "alone");
    fresh_dir(dir);
    snprintf(dll, sizeof(dll), "%s/needs_dep.dll", dir);
    copy_file(HH_TEST_NEEDS_DEP, dll);
    CHECK_EQ(hh_plat_dlopen(dll, &lib, err, sizeof(err)), -1);
    CHECK_CONTAINS(err, "a DLL it needs is missing: it imports hh_test_dep.dll, which was found "
                        "neither beside it nor on the DLL search path (error 126)");
}

static void test_missing_function(void)
{
    char dir[512], dll[600], dep[600], err[512];
    struct hh_plat_lib *lib;
    out_path(dir, sizeof(dir), "old-dep");
    fresh_dir(dir);
    snprintf(dll, sizeof(dll), "%s/needs_dep.dll", dir);
    snprintf(dep, sizeof(dep), "%s/hh_test_dep.dll", dir);
    copy_file(HH_TEST_NEEDS_DEP, dll);
    copy_file(HH_TEST_DEP_OLD, dep);
    if (hh_plat_dlopen(dll, &lib, err, sizeof(err)) == 0) {
        /* Wine binds the missing import to a stub; Windows refuses the load. */
        CHECK(under_wine());
        hh_plat_dlclose(lib);
        return;
    }
    CHECK_CONTAINS(err, "it imports hh_test_dep_answer from hh_test_dep.dll, which does not "
                        "export it");
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"threads_and_mutex", test_threads_and_mutex},
        {"self_path", test_self_path},
        {"arguments_arrive_as_given", test_arguments_arrive_as_given},
        {"exit_status", test_exit_status},
        {"crash_is_named", test_crash_is_named},
        {"crash_without_handler", test_crash_without_handler},
        {"timeout_kills", test_timeout_kills},
        {"grandchild_does_not_hold_the_wait", test_grandchild_does_not_hold_the_wait},
        {"output_in_order", test_output_in_order},
        {"output_is_bounded", test_output_is_bounded},
        {"spawn_errors", test_spawn_errors},
        {"replace_file", test_replace_file},
        {"file_id", test_file_id},
        {"user_apc", test_user_apc},
        {"load_from_non_ascii_folder", test_load_from_non_ascii_folder},
        {"wrong_architecture", test_wrong_architecture},
        {"not_a_dll", test_not_a_dll},
        {"missing_dependency", test_missing_dependency},
        {"missing_function", test_missing_function},
    };
    hh_plat_init();
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
