/* probe_check.h - the probes' tally: a result that holds counts in Checks, the first that does
 * not leaves its line in FailedLine (0: all held). */
#ifndef PROBE_CHECK_H
#define PROBE_CHECK_H

#define PROBE_CHECK(Context, Condition)                                                      \
    do {                                                                                     \
        if (Condition) {                                                                     \
            (Context)->Checks++;                                                             \
        } else if ((Context)->FailedLine == 0) {                                             \
            (Context)->FailedLine = __LINE__;                                                \
        }                                                                                    \
    } while (0)

#endif
