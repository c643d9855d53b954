/* textput.c - bounded text building without printf (textput.h). */
#include "textput.h"

size_t hh_text_put(char *buf, size_t len, size_t at, const char *s)
{
    if (len == 0)
        return 0;
    if (at >= len)
        at = len - 1;
    while (*s && at + 1 < len)
        buf[at++] = *s++;
    buf[at] = '\0';
    return at;
}

size_t hh_text_put_hex8(char *buf, size_t len, size_t at, unsigned long v)
{
    static const char digits[] = "0123456789ABCDEF";
    char hex[9];
    int i;
    for (i = 7; i >= 0; i--) {
        hex[i] = digits[v & 0xF];
        v >>= 4;
    }
    hex[8] = '\0';
    return hh_text_put(buf, len, at, hex);
}

size_t hh_text_put_ulong(char *buf, size_t len, size_t at, unsigned long v)
{
    char dec[24];
    size_t i = sizeof(dec) - 1;
    dec[i] = '\0';
    do {
        dec[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return hh_text_put(buf, len, at, dec + i);
}

int hh_text_same(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}
