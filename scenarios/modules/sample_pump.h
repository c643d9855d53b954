/* sample_pump.h - a worker that consumes samples counted by a semaphore: the producer (an ISR's
 * DPC) releases one unit per sample captured, each satisfied wait takes one; a flush event asks
 * for the partial batch to be pushed out.
 *
 * Objects, in start-context order: 0 = stop (notification event), 1 = samples (semaphore),
 * 2 = flush (synchronization event).
 */
#ifndef SAMPLE_PUMP_H
#define SAMPLE_PUMP_H

#define SAMPLE_PUMP_POOL_TAG 0x706D5053UL /* "SPmp" in pool dumps */
#define SAMPLE_PUMP_DEFAULT_BATCH 4

typedef struct _SAMPLE_PUMP_CONTEXT {
    PKSEMAPHORE Samples;
    ULONG BatchSize;
    ULONG Pending;  /* samples in the current, not yet pushed batch */
    LONG Consumed;  /* samples taken off the semaphore */
    LONG Batches;   /* batches pushed (full or flushed) */
    LONG Flushes;
} SAMPLE_PUMP_CONTEXT, *PSAMPLE_PUMP_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE SamplePumpRoutine;

#endif
