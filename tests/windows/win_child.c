/* win_child.c - the child that test_win_plat.c starts through hh_plat_proc_spawn.
 *
 * One mode per run: echo its arguments, exit with a status, crash (with and without the
 * harness's crash handler), sleep, leave a grandchild running, or write a lot of output.
 * It uses only the platform contract, like the tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"

static void sleep_ms(unsigned long ms)
{
    struct hh_plat_sync *never;
    if (hh_plat_sync_new(HH_PLAT_SYNC_MANUAL_EVENT, 0, 0, &never, NULL, 0) != 0)
        exit(3);
    hh_plat_sync_wait(&never, 1, 0, (uint32_t)ms, 0);
    hh_plat_sync_free(never);
}

static void crash(void)
{
    volatile int *volatile nowhere = NULL;
    *nowhere = 1;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    int i;
    if (strcmp(mode, "crash-raw") == 0)
        crash(); /* before hh_plat_init: no crash handler of the harness's own */
    hh_plat_init();
    if (strcmp(mode, "args") == 0) {
        for (i = 2; i < argc; i++)
            printf("[%s]\n", argv[i]);
        return 0;
    }
    if (strcmp(mode, "exit") == 0 && argc > 2)
        return atoi(argv[2]);
    if (strcmp(mode, "crash") == 0)
        crash();
    if (strcmp(mode, "sleep") == 0 && argc > 2) {
        sleep_ms(strtoul(argv[2], NULL, 10));
        return 0;
    }
    if (strcmp(mode, "grandchild") == 0 && argc > 2) {
        /* Starts itself sleeping, then exits without waiting: the grandchild holds the
         * output pipe, which the parent's wait must not hang on. */
        char self[1024];
        const char *args[4];
        struct hh_plat_proc *p;
        if (hh_plat_self_path(self, sizeof(self)) != 0)
            return 3;
        args[0] = self;
        args[1] = "sleep";
        args[2] = argv[2];
        args[3] = NULL;
        if (hh_plat_proc_spawn(args, &p, NULL, 0) != 0)
            return 4;
        printf("started\n");
        return 0;
    }
    if (strcmp(mode, "out") == 0 && argc > 2) {
        unsigned long n = strtoul(argv[2], NULL, 10), k;
        for (k = 0; k < n; k++)
            putchar('a' + (int)(k % 26));
        return 0;
    }
    if (strcmp(mode, "both") == 0) {
        fputs("out 1\n", stdout);
        fflush(stdout);
        fputs("err 1\n", stderr);
        fflush(stderr);
        fputs("out 2\n", stdout);
        return 0;
    }
    fprintf(stderr, "win_child: unknown mode '%s'\n", mode);
    return 2;
}
