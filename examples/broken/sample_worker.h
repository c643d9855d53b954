/* sample_worker.h - a sampling driver: a periodic timer DPC reads the device into a pool
 * buffer and queues it under a global spin lock; the hot-swappable worker hands the samples
 * on and frees them. Each scenario names a mistake in its context ("mistake"). */
#ifndef SAMPLE_WORKER_H
#define SAMPLE_WORKER_H

#define SAMPLE_POOL_TAG 0x6C706D53UL /* 'Smpl' */
#define SAMPLE_RING_SIZE 16
#define SAMPLE_PERIOD_MS 10

typedef enum _SAMPLE_MISTAKE {
    SampleNoMistake,
    SampleKeepsSamples,        /* the worker never frees what it takes off the queue */
    SampleReturnsHoldingLock   /* an empty reading returns early, the queue's lock held */
} SAMPLE_MISTAKE;

typedef struct _SAMPLE {
    ULONG Sequence;
    ULONG Value;
} SAMPLE, *PSAMPLE;

typedef struct _SAMPLE_WORKER_CONTEXT {
    SAMPLE_MISTAKE Mistake;
    PKEVENT SampleReady; /* set by the DPC for every sample queued */
    LONG Consumed;
    ULONG Total;
} SAMPLE_WORKER_CONTEXT, *PSAMPLE_WORKER_CONTEXT;

/* The queue between the DPC and the worker, as the driver keeps it: globals. */
extern KSPIN_LOCK SampleQueueLock;

VOID SampleDeviceStart(_In_ PSAMPLE_WORKER_CONTEXT Context);
VOID SampleDeviceStop(VOID);

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE SampleWorkerRoutine;

#endif
