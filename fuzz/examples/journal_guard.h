/* journal_guard.h - a guard over a buffer shared with a client: it takes the client's lock
 * (0, a mutant) and a request (1, a synchronization event) together (WaitAll); when the client
 * died holding the lock (STATUS_ABANDONED) it keeps a repair journal until housekeeping (the
 * timeout; three idle ticks end the thread). Planted bug: a second abandonment before then
 * leaks the first journal; only the model gets there (the client must die twice).
 */
#ifndef JOURNAL_GUARD_H
#define JOURNAL_GUARD_H

#define JOURNAL_GUARD_POOL_TAG 0x6E72754AUL /* 'Jurn' */
#define JOURNAL_GUARD_IDLE_TICKS 3

typedef struct _JOURNAL_GUARD_CONTEXT {
    PKMUTANT Lock;
    PVOID Journal; /* pending repair journal, freed by housekeeping */
    LONG Uses;
    LONG Repairs;
    LONG Idle;
} JOURNAL_GUARD_CONTEXT, *PJOURNAL_GUARD_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE JournalGuardRoutine;

#endif
