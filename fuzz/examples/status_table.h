/* status_table.h - a driver's worker that keeps a count per wait object it is woken by.
 *
 * Objects: 0..3 = work queues (synchronization events). The table has one slot per object.
 * Planted bug for the any-NTSTATUS mode: any STATUS_WAIT_n indexes the table unchecked, so
 * a status the kernel never returns for four objects (STATUS_WAIT_4 .. STATUS_WAIT_63)
 * writes past it. Correct for every status the kernel can produce here.
 */
#ifndef STATUS_TABLE_H
#define STATUS_TABLE_H

#define STATUS_TABLE_POOL_TAG 0x6C625453UL /* 'STbl' */
#define STATUS_TABLE_QUEUES 4

typedef struct _STATUS_TABLE_CONTEXT {
    PLONG Counts; /* STATUS_TABLE_QUEUES slots */
    LONG Other;
} STATUS_TABLE_CONTEXT, *PSTATUS_TABLE_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE StatusTableRoutine;

#endif
