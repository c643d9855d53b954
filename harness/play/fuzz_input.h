/* fuzz_input.h - the fuzz input encodings: bytes decoded, one action at a time against the
 * machine's state, into steps played on a session (every step one a scenario could hold);
 * and a scenario encoded into bytes (seed corpora). An input's first byte names its encoding
 * and version, never reused: a corpus keeps meaning what it meant (fuzz/README.md).
 */
#ifndef HH_PLAY_FUZZ_INPUT_H
#define HH_PLAY_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "play.h"

#define HH_FUZZ_FORMAT_STATUS 0x01     /* status-sequence: a byte per status, the alphabet's */
#define HH_FUZZ_FORMAT_STATUS_ANY 0x02 /* status-sequence: any NTSTATUS, 4 bytes each (LE) */
#define HH_FUZZ_FORMAT_MODEL 0x03      /* model v1: scenario actions with their operands */
#define HH_FUZZ_FORMAT_MODEL2 0x04     /* model v2: v1, and events set together in one step */
#define HH_FUZZ_FORMAT_MODEL3 0x05     /* model v3: v2, and the scenario's "fuzz" calls */
#define HH_FUZZ_FORMAT_SCHEDULE 0x06   /* schedule v1: a byte a choice (fuzz_schedule.h) */
#define HH_FUZZ_ACCEPT(format) (1u << (format))
#define HH_FUZZ_ACCEPT_MODELS                                                                \
    (HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_MODEL) | HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_MODEL2) |           \
     HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_MODEL3))

#define HH_FUZZ_MAX_ACTIONS 512 /* actions one input may play; the rest is ignored */
#define HH_FUZZ_ALPHABET_MAX (2 * MAXIMUM_WAIT_OBJECTS + 3)
#define HH_FUZZ_QUEUE_MAX 128   /* steps one status may take to produce */

/* One decoded action: a scenario step to play, or (any-status) a status to deliver. */
struct hh_fuzz_action {
    int deliver;            /* 1: hh_session_deliver(status); 0: hh_session_step(&step) */
    NTSTATUS status;        /* status-sequence: the status this action is meant to produce */
    struct hh_sc_step step; /* its pointers lead into the members below */
    size_t objects[MAXIMUM_WAIT_OBJECTS]; /* step.nobjects of them, distinct */
    char thread[HH_SESSION_NAME_MAX];
    char note[HH_SESSION_NAME_MAX];
};

struct hh_fuzz_decoder {
    const struct hh_scenario *sc;
    const uint8_t *data;
    size_t size, pos;
    int format;
    size_t nqueue, qpos;
    const struct hh_fuzz_action *made_next; /* the queue is this one made action (below) */
    size_t actions; /* played so far */
    /* hh_fuzz_decoder_init clears what comes before it, at every input; an entry is written
     * before it is read (below nqueue), and the queue is nearly all of the size. */
    struct hh_fuzz_action queue[HH_FUZZ_QUEUE_MAX]; /* the steps of one status, in order */
    /* The scenario's alphabet, made when a decoder first meets the scenario and kept while
     * it decodes for that one (a decoder serves inputs of one scenario, which does not
     * change meanwhile), and the status of each byte value (encoding 0x01: a table, not a
     * division per status). */
    const struct hh_scenario *alphabet_of;
    NTSTATUS alphabet[HH_FUZZ_ALPHABET_MAX];
    size_t nalphabet;
    unsigned char index_of[256];
    /* The one step that produces alphabet[k] whatever the state (an event pulsed for WaitAny,
     * a timer due now, a semaphore released, an alert, an APC), made the first time it is
     * needed and played from here after (fuzz_status.c); NULL until then, and for statuses
     * whose steps depend on the state. Kept for one session (its notes are the session's). */
    const struct hh_fuzz_action *made[HH_FUZZ_ALPHABET_MAX];
    const struct hh_session *made_for;
    struct hh_fuzz_action made_store[HH_FUZZ_ALPHABET_MAX];
};

/* "status-sequence v1", "status-sequence (any NTSTATUS) v1", "model v1", "model v2",
 * "model v3"; NULL if unknown. */
const char *hh_fuzz_format_name(int format);

/* The statuses sc's objects and wait can produce, in this order: STATUS_WAIT_n for each n
 * that is an object's first place in the array (WaitAll: STATUS_WAIT_0 only), then
 * STATUS_ABANDONED_WAIT_n for each mutant (WaitAll: STATUS_ABANDONED once), STATUS_TIMEOUT
 * with a timeout, STATUS_ALERTED when alertable, STATUS_USER_APC when alertable in UserMode.
 * Returns how many (at most HH_FUZZ_ALPHABET_MAX) were written to out. */
size_t hh_fuzz_alphabet(const struct hh_scenario *sc, NTSTATUS *out);

/* A decoder on the heap (free() it): at over 100 KB, one is too big for a thread's stack. */
struct hh_fuzz_decoder *hh_fuzz_decoder_new(void);
/* Starts decoding data for sc. Returns 0, or -1 when its first byte names no encoding in
 * `accept` (a set of HH_FUZZ_ACCEPT bits): such an input is rejected, nothing is played. */
int hh_fuzz_decoder_init(struct hh_fuzz_decoder *d, const struct hh_scenario *sc,
                         const uint8_t *data, size_t size, unsigned accept);
/* The next action, decoded against the state of the session's running machine. Returns 1,
 * or 0 when the input is used up, HH_FUZZ_MAX_ACTIONS were played, or the worker no longer
 * waits (it ended or the run failed). Bytes that ask for what the state cannot do (release
 * a mutex nobody else owns, acquire what is taken) are skipped. */
int hh_fuzz_next(struct hh_fuzz_decoder *d, struct hh_session *s, struct hh_fuzz_action *out);
/* Plays a decoded action on s. Returns 0, or -1 once the run has failed. */
int hh_fuzz_act(struct hh_session *s, const struct hh_fuzz_action *a);
/* Decodes and plays up to `limit` actions (0: no limit) on s's running machine (between
 * hh_session_begin and hh_session_end). Returns how many were played. */
size_t hh_fuzz_play(struct hh_session *s, struct hh_fuzz_decoder *d, size_t limit);

/* The session's current run as actions (copies that outlive the run), *n of them. */
struct hh_fuzz_action *hh_fuzz_run_actions(const struct hh_session *s, size_t *n);
/* One run of exactly these actions on s (begin to end); returns its outcome. */
int hh_fuzz_run(struct hh_session *s, const struct hh_fuzz_action *a, size_t n);
/* Drops actions from a while a run of the rest still fails by `rule`: chunks of halving
 * size, down to single actions. Returns the new count; s keeps the account of the last run
 * of the result. */
size_t hh_fuzz_reduce(struct hh_session *s, struct hh_fuzz_action *a, size_t n,
                      enum hh_rule rule);

/* A seed for sc in `format`: status-sequence from the statuses its expect lists name,
 * model from its steps (durations and threads as close as the encoding allows). Returns 0
 * and a malloc'd *out, or -1 for an unknown format. */
int hh_fuzz_encode(const struct hh_scenario *sc, int format, uint8_t **out, size_t *len);

/* ---- Inside the decoders (fuzz_decode.c, fuzz_status.c, fuzz_model.c) ------------------ */
/* The name of the thread owning a mutex or mutant other than the worker, or NULL. */
const char *hh__fuzz_other_owner(struct hh_session *s, size_t object);
/* Whether thread `name` holds a KMUTEX among the scenario's objects (it could not exit). */
int hh__fuzz_holds_kmutex(struct hh_session *s, const char *name);
/* Fills a with a step of `action` on `object` ((size_t)-1: none) by `thread` (or NULL). */
/* After a's bytes were copied: its step's pointers lead into a again. */
void hh__fuzz_repoint(struct hh_fuzz_action *a);
void hh__fuzz_step(struct hh_fuzz_action *a, enum hh_sc_action action, size_t object,
                   const char *thread);
/* Adds object to a's step unless it is there already; returns whether it was added. */
int hh__fuzz_step_add(struct hh_fuzz_action *a, size_t object);
/* The first object of the scenario equal to object i (its place in a WaitAny). */
size_t hh__fuzz_first_place(const struct hh_scenario *sc, size_t i);
int hh__fuzz_status_next(struct hh_fuzz_decoder *d, struct hh_session *s);
/* Whether made[k] can play now (a timeout's, with its advance set to what is left of the
 * worker's wait); 0 when this state cannot produce its status (the byte is skipped). */
int hh__fuzz_made_ready(struct hh_fuzz_decoder *d, const struct hh_session *s, size_t k);
int hh__fuzz_model_next(struct hh_fuzz_decoder *d, struct hh_session *s,
                        struct hh_fuzz_action *out);
/* Append sc's seed in that format to buf[*len..cap), advancing *len. */
int hh__fuzz_encode_status(const struct hh_scenario *sc, int format, uint8_t *buf, size_t cap,
                           size_t *len);
int hh__fuzz_encode_model(const struct hh_scenario *sc, int format, uint8_t *buf, size_t cap,
                          size_t *len);

#endif
