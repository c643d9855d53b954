/* prng.h - the explorer's own random numbers (xoshiro256**, seeded by splitmix64): the
 * same seed gives the same schedules on every platform and C library. */
#ifndef HH_EXPLORE_PRNG_H
#define HH_EXPLORE_PRNG_H

#include <stdint.h>

struct hh_ex_prng {
    uint64_t s[4];
};

static inline uint64_t hh_ex_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void hh_ex_prng_seed(struct hh_ex_prng *r, uint64_t seed)
{
    int i;
    for (i = 0; i < 4; i++)
        r->s[i] = hh_ex_splitmix64(&seed);
}

static inline uint64_t hh_ex_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t hh_ex_prng_next(struct hh_ex_prng *r)
{
    uint64_t *s = r->s, result = hh_ex_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = hh_ex_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n), n > 0 (the bias of a 64-bit modulo is negligible here). */
static inline uint64_t hh_ex_prng_below(struct hh_ex_prng *r, uint64_t n)
{
    return hh_ex_prng_next(r) % n;
}

#endif
