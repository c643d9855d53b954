/* plat_symbolize.c - code and data addresses of loaded modules, named for reports.
 *
 * The module and the offset always (hh_plat_addr_info); the function and file:line when the
 * module has debug information and a symbolizer is at hand. Reading DWARF line tables is a
 * project of its own, so the harness asks the tool the toolchain already ships:
 * llvm-symbolizer, else addr2line, found on PATH (HOTSWAP_SYMBOLIZER names another, or "off"
 * for none). It runs only when a report needs a site, as a child process with a time limit;
 * any failure of it leaves the module and offset. Standard C over the backends' calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"

#define TOOL_TIMEOUT_MS 5000

static const char *base_name(const char *path)
{
    const char *s = path, *p;
    for (p = path; *p; p++) {
        if (*p == '/' || *p == '\\')
            s = p + 1;
    }
    return s;
}

/* The first of names found in a folder of PATH, as a full path in out; 0 or -1. */
static int find_on_path(const char *const *names, size_t nnames, char *out, size_t len)
{
    const char *path = hh_plat_getenv("PATH");
    char sep = hh_plat_path_list_separator();
    size_t k;
    if (!path)
        return -1;
    for (k = 0; k < nnames; k++) {
        const char *dir = path;
        while (*dir) {
            const char *end = strchr(dir, sep);
            size_t n = end ? (size_t)(end - dir) : strlen(dir);
            if (n > 0 && n + strlen(names[k]) + 2 < len) {
                snprintf(out, len, "%.*s%c%s", (int)n, dir, hh_plat_dir_separator(), names[k]);
                if (hh_plat_path_kind(out) == HH_PLAT_FILE)
                    return 0;
            }
            dir += n + (end ? 1 : 0);
        }
    }
    return -1;
}

/* The symbolizer to run: 0 with its path, or -1 when there is none or it is turned off. */
static int find_tool(char *out, size_t len)
{
    static const char *const names[] = {"llvm-symbolizer", "addr2line"};
    const char *chosen = hh_plat_getenv("HOTSWAP_SYMBOLIZER");
    if (chosen && *chosen) {
        if (strcmp(chosen, "off") == 0)
            return -1;
        snprintf(out, len, "%s", chosen);
        return hh_plat_path_kind(out) == HH_PLAT_FILE ? 0 : -1;
    }
    return find_on_path(names, sizeof(names) / sizeof(names[0]), out, len);
}

/* Runs the tool on one address of a module; its output's first two lines in first and second
 * ("" when missing). data: a data address (llvm-symbolizer only). Returns 0 or -1. */
static int ask_tool(const struct hh_plat_addr *a, uint64_t offset, int data, char *first,
                    size_t first_len, char *second, size_t second_len)
{
    char tool[600], obj[540], address[48], err[200];
    const char *argv[8];
    struct hh_plat_proc *proc;
    struct hh_plat_proc_result r;
    int addr2line, n = 0;
    const char *line, *end;
    if (!a->tool_offset || find_tool(tool, sizeof(tool)) != 0)
        return -1;
    addr2line = strstr(base_name(tool), "addr2line") != NULL;
    if (data && addr2line)
        return -1; /* addr2line knows lines, not data symbols */
    snprintf(address, sizeof(address), "%s0x%llx", data ? "DATA " : "",
             (unsigned long long)offset);
    argv[n++] = tool;
    if (addr2line) {
        argv[n++] = "-f";
        argv[n++] = "-e";
        argv[n++] = a->module;
    } else {
        snprintf(obj, sizeof(obj), "--obj=%s", a->module);
        argv[n++] = obj;
    }
    argv[n++] = address;
    argv[n] = NULL;
    if (hh_plat_proc_spawn(argv, &proc, err, sizeof(err)) != 0)
        return -1;
    memset(&r, 0, sizeof(r));
    if (hh_plat_proc_wait(proc, TOOL_TIMEOUT_MS, &r, err, sizeof(err)) != 0 || !r.exited ||
        r.code != 0 || !r.output) {
        free(r.output);
        return -1;
    }
    line = r.output;
    end = strchr(line, '\n');
    snprintf(first, first_len, "%.*s", (int)(end ? end - line : (long)strlen(line)), line);
    second[0] = '\0';
    if (end) {
        line = end + 1;
        end = strchr(line, '\n');
        snprintf(second, second_len, "%.*s", (int)(end ? end - line : (long)strlen(line)),
                 line);
    }
    free(r.output);
    return 0;
}

/* "file.c:42" from a tool's "/path/file.c:42:7" or "/path/file.c:42 (discriminator 1)";
 * "" when the tool knew no line ("??:0", "??:?"). */
static void line_text(const char *tool_line, char *out, size_t len)
{
    const char *name = base_name(tool_line);
    const char *colon = strchr(name, ':');
    size_t n;
    out[0] = '\0';
    if (!colon || name[0] == '?' || colon[1] < '1' || colon[1] > '9')
        return;
    n = (size_t)(colon - name) + 1 + strspn(colon + 1, "0123456789");
    snprintf(out, len, "%.*s", (int)n, name);
}

const char *hh_plat_code_site(const void *addr, int is_return, char *buf, size_t len)
{
    struct hh_plat_addr a;
    char function[200], where[600], line[300];
    if (hh_plat_addr_info(addr, &a) != 0)
        return NULL;
    /* A return address is just past its call: ask for the call's last byte. */
    if (ask_tool(&a, is_return && a.offset ? a.offset - 1 : a.offset, 0, function, sizeof(function), where,
                 sizeof(where)) != 0) {
        function[0] = '\0';
        where[0] = '\0';
    }
    if ((function[0] == '?' || function[0] == '\0') && a.symbol[0] && a.symbol_offset)
        snprintf(function, sizeof(function), "%s+0x%llx", a.symbol,
                 (unsigned long long)a.symbol_offset);
    else if (function[0] == '?' || function[0] == '\0')
        snprintf(function, sizeof(function), "%s", a.symbol);
    line_text(where, line, sizeof(line));
    if (function[0] && line[0])
        snprintf(buf, len, "%s at %s (%s+0x%llx)", function, line, base_name(a.module),
                 (unsigned long long)a.offset);
    else if (function[0])
        snprintf(buf, len, "%s (%s+0x%llx)", function, base_name(a.module),
                 (unsigned long long)a.offset);
    else
        snprintf(buf, len, "%s+0x%llx", base_name(a.module), (unsigned long long)a.offset);
    return buf;
}

const char *hh_plat_data_site(const void *addr, char *buf, size_t len)
{
    struct hh_plat_addr a;
    char name[200], extent[100];
    unsigned long long start = 0;
    if (hh_plat_addr_info(addr, &a) != 0)
        return NULL;
    if (a.symbol[0] && (a.sized || a.symbol_offset == 0)) {
        snprintf(name, sizeof(name), "%s", a.symbol);
        start = a.offset - a.symbol_offset;
    } else if (ask_tool(&a, a.offset, 1, name, sizeof(name), extent, sizeof(extent)) != 0 ||
               name[0] == '?' || name[0] == '\0' ||
               sscanf(extent, "%llu", &start) != 1 || start > a.offset) {
        name[0] = '\0';
    }
    if (name[0] && start == a.offset)
        snprintf(buf, len, "the global %s (%s+0x%llx)", name, base_name(a.module),
                 (unsigned long long)a.offset);
    else if (name[0])
        snprintf(buf, len, "offset %llu in the global %s (%s+0x%llx)",
                 (unsigned long long)a.offset - start, name, base_name(a.module),
                 (unsigned long long)a.offset);
    else
        snprintf(buf, len, "a global at %s+0x%llx", base_name(a.module),
                 (unsigned long long)a.offset);
    return buf;
}
