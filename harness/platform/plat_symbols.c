/* plat_symbols.c - the names a module file exports, read from the file on every OS.
 *
 * For messages only: a did-you-mean when a routine is not exported, and what libhotswap
 * provides when a module imports a kernel routine it lacks. An ELF file's .dynsym gives its
 * defined global and weak functions and objects; a PE file's export table its exported
 * names. Standard C over hh_plat_read_file, every offset bounds-checked: the file may be
 * anything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"

#define MAX_FILE ((size_t)512 << 20)

struct image {
    const unsigned char *b;
    size_t size;
    int big;  /* ELF: big-endian */
    int wide; /* ELF: 64-bit */
};

static int fits(const struct image *im, uint64_t off, uint64_t n)
{
    return off <= im->size && n <= im->size - off;
}

static uint64_t rd(const struct image *im, uint64_t off, unsigned n)
{
    uint64_t v = 0;
    unsigned i;
    for (i = 0; i < n; i++) {
        unsigned byte = im->b[off + (im->big ? i : n - 1 - i)];
        v = v << 8 | byte;
    }
    return v;
}

/* A NUL-terminated name at off, or NULL when it runs off the file or is empty. */
static const char *name_at(const struct image *im, uint64_t off)
{
    uint64_t end;
    if (off >= im->size)
        return NULL;
    for (end = off; end < im->size && end - off < 4096; end++) {
        if (im->b[end] == 0)
            return end > off ? (const char *)im->b + off : NULL;
    }
    return NULL;
}

/* ---- ELF ------------------------------------------------------------------------------- */
#define SHT_DYNSYM 11
#define STB_GLOBAL 1
#define STB_WEAK 2
#define STT_OBJECT 1
#define STT_FUNC 2

static int elf_exports(struct image *im, struct hh_plat_names *out)
{
    uint64_t shoff, shentsize, shnum, i;
    im->wide = im->b[4] == 2;
    im->big = im->b[5] == 2;
    if (!fits(im, 0, im->wide ? 64 : 52))
        return -1;
    shoff = rd(im, im->wide ? 0x28 : 0x20, im->wide ? 8 : 4);
    shentsize = rd(im, im->wide ? 0x3A : 0x2E, 2);
    shnum = rd(im, im->wide ? 0x3C : 0x30, 2);
    if (shentsize < (im->wide ? 64u : 40u) || !fits(im, shoff, shentsize * shnum))
        return -1;
    for (i = 0; i < shnum; i++) {
        uint64_t sh = shoff + i * shentsize, off, size, link, entsize, strtab, j;
        unsigned w = im->wide ? 8 : 4;
        if (rd(im, sh + 4, 4) != SHT_DYNSYM)
            continue;
        off = rd(im, sh + (im->wide ? 0x18 : 0x10), w);
        size = rd(im, sh + (im->wide ? 0x20 : 0x14), w);
        link = rd(im, sh + (im->wide ? 0x28 : 0x18), 4);
        entsize = im->wide ? 24 : 16;
        if (link >= shnum || !fits(im, off, size))
            return -1;
        strtab = rd(im, shoff + link * shentsize + (im->wide ? 0x18 : 0x10), w);
        for (j = 0; j + entsize <= size; j += entsize) {
            uint64_t sym = off + j;
            unsigned info = im->b[sym + (im->wide ? 4 : 12)];
            unsigned shndx = (unsigned)rd(im, sym + (im->wide ? 6 : 14), 2);
            unsigned bind = info >> 4, type = info & 0xF;
            const char *name;
            if (shndx == 0 || (bind != STB_GLOBAL && bind != STB_WEAK) ||
                (type != STT_FUNC && type != STT_OBJECT))
                continue;
            name = name_at(im, strtab + rd(im, sym, 4));
            if (name && hh_plat_names_add(out, name) != 0)
                return -1;
        }
        return 0;
    }
    return 0; /* no dynamic symbols: nothing exported */
}

/* ---- PE -------------------------------------------------------------------------------- */
/* The file offset of an RVA, or 0 when no section holds it. */
static uint64_t pe_offset(const struct image *im, uint64_t sections, unsigned nsections,
                          uint64_t rva)
{
    unsigned i;
    for (i = 0; i < nsections; i++) {
        uint64_t sh = sections + (uint64_t)i * 40, va, vsize, raw, rawsize;
        if (!fits(im, sh, 40))
            return 0;
        vsize = rd(im, sh + 8, 4);
        va = rd(im, sh + 12, 4);
        rawsize = rd(im, sh + 16, 4);
        raw = rd(im, sh + 20, 4);
        if (rva >= va && rva - va < (vsize > rawsize ? vsize : rawsize) && rva - va < rawsize)
            return raw + (rva - va);
    }
    return 0;
}

static int pe_exports(struct image *im, struct hh_plat_names *out)
{
    uint64_t nt = rd(im, 0x3C, 4), opt, sections, dirs, exp, names, count, i;
    unsigned nsections, optsize;
    if (!fits(im, nt, 24) || memcmp(im->b + nt, "PE\0\0", 4) != 0)
        return -1;
    nsections = (unsigned)rd(im, nt + 6, 2);
    optsize = (unsigned)rd(im, nt + 20, 2);
    opt = nt + 24;
    sections = opt + optsize;
    if (!fits(im, opt, optsize) || optsize < 2)
        return -1;
    dirs = opt + (rd(im, opt, 2) == 0x20B ? 108 : 92); /* NumberOfRvaAndSizes */
    if (dirs + 12 > opt + optsize || rd(im, dirs, 4) < 1 || rd(im, dirs + 4, 4) == 0)
        return 0; /* no export directory */
    exp = pe_offset(im, sections, nsections, rd(im, dirs + 4, 4));
    if (!exp || !fits(im, exp, 40))
        return -1;
    count = rd(im, exp + 24, 4);
    names = pe_offset(im, sections, nsections, rd(im, exp + 32, 4));
    if (count && (!names || !fits(im, names, count * 4)))
        return -1;
    for (i = 0; i < count; i++) {
        uint64_t at = pe_offset(im, sections, nsections, rd(im, names + i * 4, 4));
        const char *name = at ? name_at(im, at) : NULL;
        if (name && hh_plat_names_add(out, name) != 0)
            return -1;
    }
    return 0;
}

int hh_plat_module_exports(const char *path, char ***names, size_t *n, char *err,
                           size_t errlen)
{
    struct hh_plat_names list = {NULL, 0, 0};
    struct image im;
    char *data = NULL;
    size_t len = 0;
    int rc = -1;
    *names = NULL;
    *n = 0;
    if (err && errlen)
        err[0] = '\0';
    if (hh_plat_read_file(path, MAX_FILE, &data, &len, err, errlen) != 0)
        return -1;
    memset(&im, 0, sizeof(im));
    im.b = (const unsigned char *)data;
    im.size = len;
    if (len >= 52 && memcmp(data, "\177ELF", 4) == 0)
        rc = elf_exports(&im, &list);
    else if (len >= 64 && data[0] == 'M' && data[1] == 'Z')
        rc = pe_exports(&im, &list);
    else
        hh_plat_set_error(err, errlen, "%s is neither an ELF nor a PE file", path);
    free(data);
    if (rc != 0) {
        if (err && errlen && !err[0])
            hh_plat_set_error(err, errlen, "%s: its symbol tables cannot be read", path);
        hh_plat_free_list(list.v, list.n);
        return -1;
    }
    hh_plat_names_sort(&list);
    *names = list.v;
    *n = list.n;
    return 0;
}
