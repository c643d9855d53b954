/* timer_worker.h - a worker paced by kernel timers: a synchronization timer ticks (the driver
 * arms it periodic), a notification timer is a watchdog the driver keeps pushing back and the
 * worker re-arms when it fires, a notification event stops it.
 *
 * Objects, in start-context order: 0 = stop (notification event), 1 = tick (synchronization
 * timer), 2 = watchdog (notification timer).
 */
#ifndef TIMER_WORKER_H
#define TIMER_WORKER_H

#define TIMER_WORKER_POOL_TAG 0x6B576D54UL /* "TmWk" in pool dumps */
#define TIMER_WORKER_DEFAULT_WATCHDOG_MS 250

typedef struct _TIMER_WORKER_CONTEXT {
    PKTIMER Tick;
    PKTIMER Watchdog;
    LONG WatchdogMs; /* the period the worker re-arms the watchdog with */
    LONG Ticks;
    LONG Expirations;
    LONG Idle;       /* wait timeouts, when the start context has one */
} TIMER_WORKER_CONTEXT, *PTIMER_WORKER_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE TimerWorkerRoutine;

#endif
