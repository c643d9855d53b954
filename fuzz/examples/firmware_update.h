/* firmware_update.h - a driver's firmware-update worker: chunks arrive, are committed,
 * verified and activated through a strict handshake; stop must end the thread at any time.
 *
 * Objects, in start-context order: 0 = chunk, 1 = commit, 2 = abort (synchronization
 * events), 3 = stop (notification event); the wait's timeout paces verification ticks.
 * Planted bug, fourteen decisions deep: once flashing has begun, stop is deferred.
 */
#ifndef FIRMWARE_UPDATE_H
#define FIRMWARE_UPDATE_H

#define FIRMWARE_UPDATE_POOL_TAG 0x70557746UL /* 'FwUp' */

typedef enum _FIRMWARE_UPDATE_STATE {
    FwIdle,
    FwReceiving1,
    FwReceiving2,
    FwReceiving3,
    FwReceived,
    FwVerifying1,
    FwVerifying2,
    FwVerified,
    FwTrailer1,
    FwTrailer2,
    FwSettled,
    FwActivating1,
    FwActivating2,
    FwFlashing
} FIRMWARE_UPDATE_STATE;

typedef struct _FIRMWARE_UPDATE_CONTEXT {
    FIRMWARE_UPDATE_STATE State;
    LONG Chunks;
    LONG Restarts;
    LONG Flashes;
} FIRMWARE_UPDATE_CONTEXT, *PFIRMWARE_UPDATE_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE FirmwareUpdateRoutine;

#endif
