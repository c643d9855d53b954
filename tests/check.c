/* check.c - the TAP runner behind check.h. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf current_test;
static int current_failed;

void hh_check_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    printf("# %s:%d: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    current_failed = 1;
    longjmp(current_test, 1);
}

static int run_one(const struct hh_test *t, size_t number)
{
    current_failed = 0;
    if (setjmp(current_test) == 0)
        t->fn();
    printf("%s %zu - %s\n", current_failed ? "not ok" : "ok", number, t->name);
    fflush(stdout);
    return current_failed;
}

int hh_test_main(int argc, char **argv, const struct hh_test *tests, size_t n)
{
    size_t i, failed = 0, ran = 0;
    if (argc > 1 && strcmp(argv[1], "--list") == 0) {
        for (i = 0; i < n; i++)
            printf("%s\n", tests[i].name);
        return 0;
    }
    printf("TAP version 13\n");
    if (argc > 1) {
        for (i = 0; i < n; i++) {
            if (strcmp(tests[i].name, argv[1]) == 0) {
                printf("1..1\n");
                return run_one(&tests[i], 1) ? 1 : 0;
            }
        }
        printf("1..0 # SKIP no test named %s\n", argv[1]);
        return 77;
    }
    printf("1..%zu\n", n);
    for (i = 0; i < n; i++) {
        failed += (size_t)run_one(&tests[i], i + 1);
        ran++;
    }
    printf("# %zu passed, %zu failed\n", ran - failed, failed);
    return failed ? 1 : 0;
}
