/* <hotswap/wdm_object.h> - kernel handles, object references and system threads.
 *
 * Included by <hotswap/wdm.h> (after wdm_proxy.h, which has OBJECT_ATTRIBUTES and CLIENT_ID);
 * not for direct use. A handle is a kernel handle of the run (never NULL, a multiple of 4 with
 * the kernel-handle bit set, never reused within a run). A thread object is a dispatcher
 * object: a wait on it completes once the thread ended. PsCreateSystemThread's thread runs
 * under the virtual clock one at a time with the others (docs/semantics.md, "System threads");
 * the real clock refuses it (STATUS_NOT_SUPPORTED, with a line in the run's log).
 * Handles still open, references still held and system threads still running when the
 * scenario ends are rule "handle-leak".
 */
#ifndef HOTSWAP_WDM_OBJECT_H
#define HOTSWAP_WDM_OBJECT_H

#ifndef HOTSWAP_WDM_H
#error "include <hotswap/wdm.h>, not <hotswap/wdm_object.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef STATUS_INVALID_HANDLE
#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008L)
#endif
#ifndef STATUS_OBJECT_TYPE_MISMATCH
#define STATUS_OBJECT_TYPE_MISMATCH ((NTSTATUS)0xC0000024L)
#endif

#define INVALID_KERNEL_HANDLE 0x00000093
#define REFERENCE_BY_POINTER 0x00000018

typedef ULONG ACCESS_MASK;
typedef ACCESS_MASK *PACCESS_MASK;
#define DELETE 0x00010000UL
#define SYNCHRONIZE 0x00100000UL
#define STANDARD_RIGHTS_REQUIRED 0x000F0000UL
#define STANDARD_RIGHTS_ALL 0x001F0000UL
#define GENERIC_READ 0x80000000UL
#define GENERIC_WRITE 0x40000000UL
#define GENERIC_EXECUTE 0x20000000UL
#define GENERIC_ALL 0x10000000UL
#define THREAD_TERMINATE 0x0001UL
#define THREAD_QUERY_INFORMATION 0x0040UL
#define THREAD_SET_INFORMATION 0x0020UL
#define EVENT_QUERY_STATE 0x0001UL
#define EVENT_MODIFY_STATE 0x0002UL
#define EVENT_ALL_ACCESS 0x001F0003UL

/* OBJECT_ATTRIBUTES.Attributes */
#define OBJ_INHERIT 0x00000002L
#define OBJ_PERMANENT 0x00000010L
#define OBJ_EXCLUSIVE 0x00000020L
#define OBJ_CASE_INSENSITIVE 0x00000040L
#define OBJ_OPENIF 0x00000080L
#define OBJ_OPENLINK 0x00000100L
#define OBJ_KERNEL_HANDLE 0x00000200L
#define OBJ_FORCE_ACCESS_CHECK 0x00000400L

#define InitializeObjectAttributes(p, n, a, r, s)                                             \
    do {                                                                                      \
        (p)->Length = sizeof(OBJECT_ATTRIBUTES);                                              \
        (p)->RootDirectory = (r);                                                             \
        (p)->Attributes = (a);                                                                \
        (p)->ObjectName = (n);                                                                \
        (p)->SecurityDescriptor = (s);                                                        \
        (p)->SecurityQualityOfService = NULL;                                                 \
    } while (0)

#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#define ZwCurrentProcess() NtCurrentProcess()
#define NtCurrentThread() ((HANDLE)(LONG_PTR)-2)
#define ZwCurrentThread() NtCurrentThread()

/* ---- Object types ------------------------------------------------------------------------ */
typedef struct _OBJECT_TYPE *POBJECT_TYPE;
/* The types ObReferenceObjectByHandle checks against; NULL there accepts any. */
HH_API extern POBJECT_TYPE *PsThreadType;
HH_API extern POBJECT_TYPE *ExEventObjectType;

typedef struct _OBJECT_HANDLE_INFORMATION {
    ULONG HandleAttributes;
    ACCESS_MASK GrantedAccess;
} OBJECT_HANDLE_INFORMATION, *POBJECT_HANDLE_INFORMATION;

/* ---- Handles and references ------------------------------------------------------------- */
/* PASSIVE_LEVEL. STATUS_INVALID_HANDLE for a value that is no open handle of the run (or a
 * kernel handle with AccessMode UserMode); STATUS_OBJECT_TYPE_MISMATCH when ObjectType is given
 * and the object is of another type. On success the caller holds a reference: drop it with
 * ObDereferenceObject. */
HH_API NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                          POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                          PVOID *Object,
                                          POBJECT_HANDLE_INFORMATION HandleInformation);
/* IRQL <= DISPATCH_LEVEL. Any thread object, or an object a handle of the run was opened to.
 * Dereferencing a reference never taken is a bug check (REFERENCE_BY_POINTER). */
HH_API LONG_PTR ObfReferenceObject(PVOID Object);
HH_API LONG_PTR ObfDereferenceObject(PVOID Object);
#define ObReferenceObject(Object) ObfReferenceObject(Object)
#define ObDereferenceObject(Object) ObfDereferenceObject(Object)
/* PASSIVE_LEVEL. STATUS_INVALID_HANDLE for a value never handed out; a handle closed twice is
 * a bug check (INVALID_KERNEL_HANDLE, 0x93), as for every kernel handle. */
HH_API NTSTATUS ZwClose(HANDLE Handle);

/* ---- System threads ---------------------------------------------------------------------- */
typedef VOID KSTART_ROUTINE(PVOID StartContext);
typedef KSTART_ROUTINE *PKSTART_ROUTINE;

/* PASSIVE_LEVEL. Creates a thread that runs StartRoutine(StartContext) at PASSIVE_LEVEL
 * until it returns or calls PsTerminateSystemThread; *ThreadHandle gets a handle to its thread
 * object (close it with ZwClose), ClientId its ids. ProcessHandle is ignored (the system
 * process). STATUS_INVALID_PARAMETER for a NULL ThreadHandle or StartRoutine. */
HH_API NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                                     PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine,
                                     PVOID StartContext);
/* PASSIVE_LEVEL, on a thread PsCreateSystemThread made: ends it here (its thread object is
 * signaled, mutants it owns are abandoned); does not return. Elsewhere it returns
 * STATUS_INVALID_PARAMETER. */
HH_API NTSTATUS PsTerminateSystemThread(NTSTATUS ExitStatus);

#ifdef __cplusplus
}
#endif

#endif
