/* dbgfmt.c - the kernel's printf language (dbgfmt.h): flags, width, precision, the LLP64
 * sizes and the kernel's string conversions, written out without the host's printf. */
#include "dbgfmt.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hotswap/wdm.h>

/* How wide an argument is, as the kernel's CRT reads the size prefix. */
enum size {
    SIZE_DEFAULT, /* int; a narrow character or string */
    SIZE_CHAR,    /* hh */
    SIZE_SHORT,   /* h: short; a narrow character or string */
    SIZE_LONG,    /* l: 32 bits (LLP64); a wide character or string */
    SIZE_WIDE,    /* w: a wide character or string */
    SIZE_64,      /* ll, I64, j, L */
    SIZE_32,      /* I32 */
    SIZE_POINTER  /* I, z, t */
};

struct spec {
    int left, plus, space, alt, zero;
    int width;
    int precision; /* -1: none */
    enum size size;
    char conversion;
    const char *start; /* the conversion as written, from '%' */
    size_t length;
};

void hh_dbgfmt_init(struct hh_dbgfmt *f)
{
    /* small[] is not cleared: it is written before it is read, and it is most of the size */
    f->text = NULL;
    f->len = f->cap = 0;
    f->failed = 0;
    memset(f->unicode, 0, sizeof(f->unicode));
}

void hh_dbgfmt_free(struct hh_dbgfmt *f)
{
    if (f->text != f->small)
        free(f->text);
    hh_dbgfmt_init(f);
}

static int reserve(struct hh_dbgfmt *f, size_t n)
{
    size_t cap;
    char *grown;
    if (f->failed)
        return -1;
    if (f->len + n + 1 <= f->cap)
        return 0;
    if (!f->text && n + 1 <= sizeof(f->small)) {
        f->text = f->small;
        f->cap = sizeof(f->small);
        return 0;
    }
    cap = f->cap ? f->cap : sizeof(f->small);
    while (cap < f->len + n + 1)
        cap *= 2;
    grown = realloc(f->text == f->small ? NULL : f->text, cap);
    if (!grown) {
        f->failed = 1;
        return -1;
    }
    if (f->text == f->small)
        memcpy(grown, f->small, f->len + 1);
    f->text = grown;
    f->cap = cap;
    return 0;
}

void hh_dbgfmt_append(struct hh_dbgfmt *f, const char *s, size_t n)
{
    if (reserve(f, n) != 0)
        return;
    memcpy(f->text + f->len, s, n);
    f->len += n;
    f->text[f->len] = '\0';
}

static void repeat(struct hh_dbgfmt *f, char c, size_t n)
{
    if (reserve(f, n) != 0)
        return;
    memset(f->text + f->len, c, n);
    f->len += n;
    f->text[f->len] = '\0';
}

static size_t room_left(const struct spec *sp, size_t used)
{
    return sp->width > 0 && (size_t)sp->width > used ? (size_t)sp->width - used : 0;
}

/* prefix, zeros, body; padded to the width with spaces (left, or right with '-'), or with
 * zeros after the prefix when zero_pad. */
static void put_padded(struct hh_dbgfmt *f, const struct spec *sp, const char *prefix,
                       size_t zeros, int zero_pad, const char *body, size_t n)
{
    size_t pad = room_left(sp, strlen(prefix) + zeros + n);
    if (zero_pad && !sp->left) {
        zeros += pad;
        pad = 0;
    }
    if (!sp->left)
        repeat(f, ' ', pad);
    hh_dbgfmt_append(f, prefix, strlen(prefix));
    repeat(f, '0', zeros);
    hh_dbgfmt_append(f, body, n);
    if (sp->left)
        repeat(f, ' ', pad);
}

/* ---- Numbers ----------------------------------------------------------------------------
 * Sign or 0x prefix, then zeros to the precision (or to the width with the 0 flag), digits. */
static void put_number(struct hh_dbgfmt *f, const struct spec *sp, uint64_t magnitude,
                       int negative)
{
    char digits[24], prefix[3] = "";
    const char *set = sp->conversion == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned base = sp->conversion == 'o' ? 8 : (sp->conversion == 'x' || sp->conversion == 'X')
                                                    ? 16
                                                    : 10;
    size_t n = 0, zeros = 0;
    uint64_t v = magnitude;
    while (v) {
        digits[sizeof(digits) - 1 - n++] = set[v % base];
        v /= base;
    }
    if (n == 0 && sp->precision != 0)
        digits[sizeof(digits) - 1 - n++] = '0';
    if (sp->conversion == 'd' || sp->conversion == 'i') {
        if (negative)
            strcpy(prefix, "-");
        else if (sp->plus)
            strcpy(prefix, "+");
        else if (sp->space)
            strcpy(prefix, " ");
    } else if (sp->alt && base == 16 && magnitude) {
        strcpy(prefix, sp->conversion == 'X' ? "0X" : "0x");
    } else if (sp->alt && base == 8 && (n == 0 || digits[sizeof(digits) - n] != '0')) {
        zeros = 1;
    }
    if (sp->precision >= 0 && (size_t)sp->precision > n)
        zeros = (size_t)sp->precision - n;
    put_padded(f, sp, prefix, zeros, sp->zero && sp->precision < 0,
               digits + sizeof(digits) - n, n);
}

static int64_t signed_arg(const struct spec *sp, va_list *ap)
{
    switch (sp->size) {
    case SIZE_CHAR: return (signed char)va_arg(*ap, int);
    case SIZE_SHORT: return (short)va_arg(*ap, int);
    case SIZE_64: return va_arg(*ap, int64_t);
    case SIZE_POINTER: return (int64_t)va_arg(*ap, intptr_t);
    default: return va_arg(*ap, int32_t);
    }
}

static uint64_t unsigned_arg(const struct spec *sp, va_list *ap)
{
    switch (sp->size) {
    case SIZE_CHAR: return (unsigned char)va_arg(*ap, unsigned);
    case SIZE_SHORT: return (unsigned short)va_arg(*ap, unsigned);
    case SIZE_64: return va_arg(*ap, uint64_t);
    case SIZE_POINTER: return (uint64_t)va_arg(*ap, uintptr_t);
    default: return va_arg(*ap, uint32_t);
    }
}

/* Every hex digit of the pointer, uppercase, padded to the width with spaces. */
static void put_pointer(struct hh_dbgfmt *f, const struct spec *sp, const void *p)
{
    struct spec hex = *sp;
    hex.conversion = 'X';
    hex.precision = (int)(2 * sizeof(void *));
    hex.alt = hex.zero = 0;
    put_number(f, &hex, (uint64_t)(uintptr_t)p, 0);
}

/* The host's digits of |v| for one conversion, from a literal format: "%#.*e" and the like. */
static int host_float(char *buf, size_t len, char conversion, int alt, int precision, double v)
{
    switch (conversion) {
    case 'e': return alt ? snprintf(buf, len, "%#.*e", precision, v)
                         : snprintf(buf, len, "%.*e", precision, v);
    case 'E': return alt ? snprintf(buf, len, "%#.*E", precision, v)
                         : snprintf(buf, len, "%.*E", precision, v);
    case 'f': return alt ? snprintf(buf, len, "%#.*f", precision, v)
                         : snprintf(buf, len, "%.*f", precision, v);
    case 'F': return alt ? snprintf(buf, len, "%#.*F", precision, v)
                         : snprintf(buf, len, "%.*F", precision, v);
    case 'g': return alt ? snprintf(buf, len, "%#.*g", precision, v)
                         : snprintf(buf, len, "%.*g", precision, v);
    case 'G': return alt ? snprintf(buf, len, "%#.*G", precision, v)
                         : snprintf(buf, len, "%.*G", precision, v);
    case 'A': return alt ? snprintf(buf, len, "%#.*A", precision, v)
                         : snprintf(buf, len, "%.*A", precision, v);
    default: return alt ? snprintf(buf, len, "%#.*a", precision, v)
                        : snprintf(buf, len, "%.*a", precision, v);
    }
}

/* A floating-point conversion: the host gives the digits, the sign and padding are ours. */
static void put_float(struct hh_dbgfmt *f, const struct spec *sp, va_list *ap)
{
    char small[64], *text = small;
    const char *sign = "";
    double v = sp->size == SIZE_64 ? (double)va_arg(*ap, long double) : va_arg(*ap, double);
    int len, finite = isfinite(v);
    if (signbit(v)) {
        sign = "-";
        v = -v;
    } else if (sp->plus || sp->space) {
        sign = sp->plus ? "+" : " ";
    }
    len = host_float(small, sizeof(small), sp->conversion, sp->alt, sp->precision, v);
    if (len >= (int)sizeof(small) && (text = malloc((size_t)len + 1)) != NULL)
        host_float(text, (size_t)len + 1, sp->conversion, sp->alt, sp->precision, v);
    if (len > 0 && text)
        put_padded(f, sp, sign, 0, sp->zero && finite, text, (size_t)len);
    if (text != small)
        free(text);
}

/* ---- Characters and strings -------------------------------------------------------------
 * Narrow text is copied; wide text is narrowed one WCHAR at a time. Precision limits the
 * characters taken, the width pads on the left (or right with '-'), with zeros under the 0
 * flag as the kernel's CRT does. */
static void put_text(struct hh_dbgfmt *f, const struct spec *sp, const char *narrow,
                     const WCHAR *wide, size_t count)
{
    size_t pad, i;
    if (sp->precision >= 0 && (size_t)sp->precision < count)
        count = (size_t)sp->precision;
    pad = room_left(sp, count);
    if (!sp->left)
        repeat(f, sp->zero ? '0' : ' ', pad);
    if (narrow) {
        hh_dbgfmt_append(f, narrow, count);
    } else if (reserve(f, count) == 0) {
        for (i = 0; i < count; i++)
            f->text[f->len++] = wide[i] < 0x80 ? (char)wide[i] : '?';
        f->text[f->len] = '\0';
    }
    if (sp->left)
        repeat(f, ' ', pad);
}

static size_t wide_length(const WCHAR *s, int precision)
{
    size_t n = 0;
    while ((precision < 0 || n < (size_t)precision) && s[n])
        n++;
    return n;
}

static size_t narrow_length(const char *s, int precision)
{
    size_t n = 0;
    while ((precision < 0 || n < (size_t)precision) && s[n])
        n++;
    return n;
}

static void note_unicode(struct hh_dbgfmt *f, const struct spec *sp)
{
    size_t n = sp->length < sizeof(f->unicode) - 1 ? sp->length : sizeof(f->unicode) - 1;
    if (f->unicode[0])
        return;
    memcpy(f->unicode, sp->start, n);
    f->unicode[n] = '\0';
}

static void put_string(struct hh_dbgfmt *f, const struct spec *sp, int wide, va_list *ap)
{
    static const char null_text[] = "(null)";
    const void *s = va_arg(*ap, const void *);
    if (wide)
        note_unicode(f, sp);
    if (!s)
        put_text(f, sp, null_text, NULL, sizeof(null_text) - 1);
    else if (wide)
        put_text(f, sp, NULL, s, wide_length(s, sp->precision));
    else
        put_text(f, sp, s, NULL, narrow_length(s, sp->precision));
}

/* %Z and %wZ: a counted string, Length bytes of it; "(null)" for a NULL string or buffer. */
static void put_counted(struct hh_dbgfmt *f, const struct spec *sp, int wide, va_list *ap)
{
    static const char null_text[] = "(null)";
    if (wide) {
        PCUNICODE_STRING u = va_arg(*ap, PCUNICODE_STRING);
        note_unicode(f, sp);
        if (!u || !u->Buffer)
            put_text(f, sp, null_text, NULL, sizeof(null_text) - 1);
        else
            put_text(f, sp, NULL, u->Buffer, u->Length / sizeof(WCHAR));
    } else {
        PCANSI_STRING a = va_arg(*ap, PCANSI_STRING);
        if (!a || !a->Buffer)
            put_text(f, sp, null_text, NULL, sizeof(null_text) - 1);
        else
            put_text(f, sp, a->Buffer, NULL, a->Length);
    }
}

static void put_char(struct hh_dbgfmt *f, const struct spec *sp, int wide, va_list *ap)
{
    int c = va_arg(*ap, int);
    if (wide) {
        WCHAR w = (WCHAR)c;
        note_unicode(f, sp);
        put_text(f, sp, NULL, &w, 1);
    } else {
        char n = (char)c;
        put_text(f, sp, &n, NULL, 1);
    }
}

/* ---- The format ------------------------------------------------------------------------ */
static int number_at(const char **p)
{
    int n = 0;
    while (**p >= '0' && **p <= '9') {
        if (n < 100000)
            n = n * 10 + (**p - '0');
        (*p)++;
    }
    return n;
}

/* Reads flags, width, precision and size after '%'; returns the conversion character's
 * position. */
static const char *parse(const char *p, struct spec *sp, va_list *ap)
{
    for (;; p++) {
        if (*p == '-')
            sp->left = 1;
        else if (*p == '+')
            sp->plus = 1;
        else if (*p == ' ')
            sp->space = 1;
        else if (*p == '#')
            sp->alt = 1;
        else if (*p == '0')
            sp->zero = 1;
        else
            break;
    }
    if (*p == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = 1;
            sp->width = sp->width == INT_MIN ? 0 : -sp->width;
        }
        p++;
    } else {
        sp->width = number_at(&p);
    }
    sp->precision = -1;
    if (*p == '.') {
        p++;
        if (*p == '*') {
            sp->precision = va_arg(*ap, int);
            if (sp->precision < 0)
                sp->precision = -1;
            p++;
        } else {
            sp->precision = number_at(&p);
        }
    }
    if (p[0] == 'h' && p[1] == 'h') {
        sp->size = SIZE_CHAR;
        p += 2;
    } else if (p[0] == 'l' && p[1] == 'l') {
        sp->size = SIZE_64;
        p += 2;
    } else if (p[0] == 'I' && p[1] == '6' && p[2] == '4') {
        sp->size = SIZE_64;
        p += 3;
    } else if (p[0] == 'I' && p[1] == '3' && p[2] == '2') {
        sp->size = SIZE_32;
        p += 3;
    } else if (*p == 'h' || *p == 'l' || *p == 'w' || *p == 'L' || *p == 'j' || *p == 'I' ||
               *p == 'z' || *p == 't') {
        sp->size = *p == 'h'   ? SIZE_SHORT
                   : *p == 'l' ? SIZE_LONG
                   : *p == 'w' ? SIZE_WIDE
                   : (*p == 'L' || *p == 'j') ? SIZE_64
                                              : SIZE_POINTER;
        p++;
    }
    return p;
}

static int is_wide(const struct spec *sp, int upper_case)
{
    if (sp->size == SIZE_LONG || sp->size == SIZE_WIDE)
        return 1;
    if (sp->size == SIZE_SHORT)
        return 0;
    return upper_case;
}

static void convert(struct hh_dbgfmt *f, struct spec *sp, va_list *ap)
{
    switch (sp->conversion) {
    case 'd':
    case 'i': {
        int64_t v = signed_arg(sp, ap);
        put_number(f, sp, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0);
        break;
    }
    case 'u':
    case 'o':
    case 'x':
    case 'X': put_number(f, sp, unsigned_arg(sp, ap), 0); break;
    case 'p': put_pointer(f, sp, va_arg(*ap, void *)); break;
    case 'c':
    case 'C': put_char(f, sp, is_wide(sp, sp->conversion == 'C'), ap); break;
    case 's':
    case 'S': put_string(f, sp, is_wide(sp, sp->conversion == 'S'), ap); break;
    case 'Z': put_counted(f, sp, sp->size == SIZE_LONG || sp->size == SIZE_WIDE, ap); break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 'a':
    case 'A': put_float(f, sp, ap); break;
    default: hh_dbgfmt_append(f, sp->start, sp->length); break;
    }
}

void hh_dbgfmt_format(struct hh_dbgfmt *f, const char *format, va_list ap)
{
    const char *p = format;
    va_list args;
    va_copy(args, ap);
    while (*p) {
        const char *pct = strchr(p, '%');
        struct spec sp;
        if (!pct) {
            hh_dbgfmt_append(f, p, strlen(p));
            break;
        }
        hh_dbgfmt_append(f, p, (size_t)(pct - p));
        if (pct[1] == '%') {
            hh_dbgfmt_append(f, "%", 1);
            p = pct + 2;
            continue;
        }
        memset(&sp, 0, sizeof(sp));
        sp.start = pct;
        p = parse(pct + 1, &sp, &args);
        if (!*p) { /* the format ends inside a conversion: written as it is */
            hh_dbgfmt_append(f, pct, strlen(pct));
            break;
        }
        sp.conversion = *p++;
        sp.length = (size_t)(p - pct);
        convert(f, &sp, &args);
    }
    va_end(args);
    if (!f->text && !f->failed)
        hh_dbgfmt_append(f, "", 0);
}
