/* plat_test.h - scratch files for the platform and module tests.
 *
 * Tests build their fixtures at run time under HH_TEST_OUT (the test's build folder), with
 * standard C and hh_plat_make_dir, so no test needs an OS header.
 */
#ifndef HH_TESTS_PLAT_TEST_H
#define HH_TESTS_PLAT_TEST_H

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "platform/plat.h"

/* HH_TEST_OUT + "/" + rel into buf. */
static inline const char *test_path(char *buf, size_t len, const char *rel)
{
    snprintf(buf, len, "%s%c%s", HH_TEST_OUT, hh_plat_dir_separator(), rel);
    return buf;
}

static inline void test_mkdir(const char *rel)
{
    char path[1024], err[256];
    CHECK_EQ(hh_plat_make_dir(test_path(path, sizeof(path), rel), err, sizeof(err)), 0);
}

static inline void test_write(const char *rel, const char *data, size_t len)
{
    char path[1024];
    FILE *f = fopen(test_path(path, sizeof(path), rel), "wb");
    CHECK(f != NULL);
    CHECK_EQ(fwrite(data, 1, len, f), len);
    CHECK_EQ(fclose(f), 0);
}

#endif
