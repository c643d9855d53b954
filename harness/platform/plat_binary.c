/* plat_binary.c - what kind of binary a module file is, for load errors on every OS.
 *
 * Reads the first bytes of the module and of the running executable, names each (ELF, PE or
 * Mach-O; 32 or 64 bits; the machine), and says why the module cannot be loaded here when
 * the two differ. Standard C over hh_plat_open_read and hh_plat_self_path; the loaders'
 * own words ("invalid ELF header", error 193) stay the backends' to add.
 */
#include <stdio.h>
#include <string.h>

#include "plat_internal.h"

#define HEAD 4096 /* enough for the ELF and Mach-O headers, and a PE header at most here */

struct binary {
    const char *format; /* "ELF", "PE", "Mach-O"; NULL when none of them */
    int bits;           /* 32 or 64; 0 when unknown */
    unsigned machine;
    const char *machine_name;
};

static unsigned rd16(const unsigned char *p, int big)
{
    return big ? (unsigned)(p[0] << 8 | p[1]) : (unsigned)(p[0] | p[1] << 8);
}

static unsigned long rd32(const unsigned char *p, int big)
{
    return big ? (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
                     (unsigned long)p[2] << 8 | p[3]
               : (unsigned long)p[3] << 24 | (unsigned long)p[2] << 16 |
                     (unsigned long)p[1] << 8 | p[0];
}

static const char *elf_machine(unsigned m)
{
    switch (m) {
    case 3: return "x86";
    case 8: return "MIPS";
    case 20: return "PowerPC";
    case 21: return "PowerPC64";
    case 22: return "s390";
    case 40: return "ARM";
    case 62: return "x86-64";
    case 183: return "AArch64";
    case 243: return "RISC-V";
    default: return NULL;
    }
}

static const char *pe_machine(unsigned m)
{
    switch (m) {
    case 0x014C: return "x86";
    case 0x8664: return "x86-64";
    case 0xAA64: return "ARM64";
    case 0xA641: return "ARM64EC";
    case 0x01C4: return "ARM";
    default: return NULL;
    }
}

static const char *macho_machine(unsigned long m)
{
    switch (m) {
    case 7: return "x86";
    case 0x01000007: return "x86-64";
    case 12: return "ARM";
    case 0x0100000C: return "arm64";
    default: return NULL;
    }
}

static void identify(const unsigned char *b, size_t n, struct binary *out)
{
    memset(out, 0, sizeof(*out));
    if (n >= 20 && b[0] == 0x7F && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') {
        int big = b[5] == 2;
        out->format = "ELF";
        out->bits = b[4] == 1 ? 32 : b[4] == 2 ? 64 : 0;
        out->machine = rd16(b + 18, big);
        out->machine_name = elf_machine(out->machine);
    } else if (n >= 64 && b[0] == 'M' && b[1] == 'Z') {
        unsigned long nt = rd32(b + 0x3C, 0);
        if (nt + 26 <= n && memcmp(b + nt, "PE\0\0", 4) == 0) {
            unsigned magic = rd16(b + nt + 24, 0);
            out->format = "PE";
            out->machine = rd16(b + nt + 4, 0);
            out->machine_name = pe_machine(out->machine);
            out->bits = magic == 0x20B ? 64 : magic == 0x10B ? 32 : 0;
        }
    } else if (n >= 8 && (b[0] == 0xCE || b[0] == 0xCF) && b[1] == 0xFA && b[2] == 0xED &&
               b[3] == 0xFE) {
        out->format = "Mach-O";
        out->bits = b[0] == 0xCF ? 64 : 32;
        out->machine = (unsigned)rd32(b + 4, 0);
        out->machine_name = macho_machine(out->machine);
    }
}

static int read_head(const char *path, unsigned char *buf, size_t *n)
{
    FILE *f = hh_plat_open_read(path, NULL, 0);
    if (!f)
        return -1;
    *n = fread(buf, 1, HEAD, f);
    fclose(f);
    return 0;
}

/* "a 64-bit x86-64 ELF shared object (Linux or another Unix)" and the like. */
static void describe(const struct binary *b, int library, char *out, size_t len)
{
    const char *kind = !strcmp(b->format, "PE") ? (library ? "Windows DLL" : "Windows program")
                       : !strcmp(b->format, "ELF")
                           ? (library ? "ELF shared object (Linux or another Unix)"
                                      : "ELF program (Linux or another Unix)")
                           : (library ? "Mach-O library (macOS)" : "Mach-O program (macOS)");
    char machine[32];
    if (b->machine_name)
        snprintf(machine, sizeof(machine), "%s", b->machine_name);
    else
        snprintf(machine, sizeof(machine), "machine 0x%04X", b->machine);
    if (b->bits)
        snprintf(out, len, "a %d-bit %s %s", b->bits, machine, kind);
    else
        snprintf(out, len, "a %s %s", machine, kind);
}

int hh_plat_explain_binary(const char *path, char *out, size_t len)
{
    unsigned char head[HEAD], own[HEAD];
    char self[1024], theirs[96], ours[96];
    size_t n = 0, m = 0;
    struct binary mod, me;
    if (read_head(path, head, &n) != 0)
        return 0;
    identify(head, n, &mod);
    if (hh_plat_self_path(self, sizeof(self)) != 0 || read_head(self, own, &m) != 0)
        return 0;
    identify(own, m, &me);
    if (!me.format)
        return 0;
    if (!mod.format) {
        snprintf(out, len, "it is not a shared library (neither ELF, PE nor Mach-O)");
        return 1;
    }
    if (!strcmp(mod.format, me.format) && mod.machine == me.machine && mod.bits == me.bits)
        return 0;
    describe(&mod, 1, theirs, sizeof(theirs));
    describe(&me, 0, ours, sizeof(ours));
    snprintf(out, len, "it is %s and this harness is %s: build the module for the harness's "
                       "system and architecture",
             theirs, ours);
    return 1;
}
