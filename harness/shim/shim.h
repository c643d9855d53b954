/* shim.h - what every kernel-shim file shares: finding the engine and the IRQL rules.
 *
 * A Ke* routine called with no engine current is a harness misuse, not a routine bug: it
 * prints one line and aborts. An IRQL above a routine's documented maximum is a bug check.
 */
#ifndef HH_SHIM_SHIM_H
#define HH_SHIM_SHIM_H

#include "engine/engine.h"

/* The current engine; prints "hotswap: ROUTINE called outside a harness run" and aborts when
 * there is none. */
struct hh_engine *hh_shim_engine(const char *routine);
/* Bug-checks (rule "irql") when the current thread runs above max_irql. */
void hh_shim_require_irql(struct hh_engine *e, const char *routine, KIRQL max_irql);

/* Wait = TRUE: the caller stays at DISPATCH_LEVEL until its next KeWaitXxx. */
void hh_shim_wait_next(struct hh_engine *e, BOOLEAN wait);

#endif
