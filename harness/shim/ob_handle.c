/* ob_handle.c - ObReferenceObjectByHandle, ObfReferenceObject, ObfDereferenceObject, ZwClose
 * and the object types a driver checks a handle against, on the engine's handle table
 * (engine/handle.c).
 *
 * The object manager knows thread objects and objects a handle of the run was opened to; a
 * KEVENT in the driver's own memory has no object header, so referencing one is a bug check.
 */
#include "shim.h"

#include <stdio.h>

struct _OBJECT_TYPE {
    const char *name;
};

static struct _OBJECT_TYPE thread_type = {"Thread"};
static struct _OBJECT_TYPE event_type = {"Event"};
static POBJECT_TYPE thread_type_pointer = &thread_type;
static POBJECT_TYPE event_type_pointer = &event_type;
POBJECT_TYPE *PsThreadType = &thread_type_pointer;
POBJECT_TYPE *ExEventObjectType = &event_type_pointer;

/* The object type of a dispatcher object, or NULL for a kind without an exported type. */
static POBJECT_TYPE type_of(PVOID object)
{
    switch (((const DISPATCHER_HEADER *)object)->HhKind) {
    case HH_OBJECT_THREAD:
        return &thread_type;
    case HH_OBJECT_NOTIFICATION_EVENT:
    case HH_OBJECT_SYNCHRONIZATION_EVENT:
        return &event_type;
    default:
        return NULL;
    }
}

NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                   POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                   PVOID *Object, POBJECT_HANDLE_INFORMATION HandleInformation)
{
    static const char routine[] = "ObReferenceObjectByHandle";
    struct hh_engine *e = hh_shim_enter(routine);
    const void *caller = HH_RETURN_ADDRESS();
    PVOID object;
    hh_shim_require_irql(e, routine, PASSIVE_LEVEL);
    if (!Object)
        hh_engine_abort(e, HH_RULE_BUGCHECK,
                        "%s with a NULL Object: the kernel writes the object's address there",
                        routine);
    *Object = NULL;
    /* NtCurrentThread() stands for the calling thread; a kernel handle is not one to a
     * UserMode caller. */
    if (Handle == NtCurrentThread())
        object = e->current;
    else
        object = AccessMode == KernelMode ? hh_handle_object(e, Handle) : NULL;
    if (!object) {
        hh_shim_leave(e);
        return STATUS_INVALID_HANDLE;
    }
    if (ObjectType && ObjectType != type_of(object)) {
        hh_shim_leave(e);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    hh_object_reference(e, object, caller);
    *Object = object;
    if (HandleInformation) {
        HandleInformation->HandleAttributes = OBJ_KERNEL_HANDLE;
        HandleInformation->GrantedAccess = DesiredAccess;
    }
    hh_shim_leave(e);
    return STATUS_SUCCESS;
}

/* The object ObfReferenceObject or ObfDereferenceObject was given must be the object
 * manager's. */
static void require_object(struct hh_engine *e, const char *routine, PVOID object)
{
    char where[400];
    if (object && hh_object_known(e, object))
        return;
    if (!object)
        snprintf(where, sizeof(where), "NULL");
    else if (!hh_engine_describe_place(e, object, where, sizeof(where)))
        snprintf(where, sizeof(where), "an object of the routine's own");
    hh_engine_abort(e, HH_RULE_BUGCHECK,
                    "%s(%s): not an object of the object manager (a thread, or an object a "
                    "handle was opened to); a KEVENT or other object in the driver's own memory "
                    "has no object header, and the kernel corrupts the memory before it",
                    routine, where);
}

/* ObfReferenceObject and ObfDereferenceObject: `change` takes or gives back the reference. */
static LONG_PTR change_reference(const char *routine, PVOID object, const void *caller,
                                 long (*change)(struct hh_engine *, PVOID, const void *))
{
    struct hh_engine *e = hh_shim_enter(routine);
    LONG_PTR n;
    hh_shim_require_irql(e, routine, DISPATCH_LEVEL);
    require_object(e, routine, object);
    n = change(e, object, caller);
    hh_shim_leave(e);
    return n;
}

LONG_PTR ObfReferenceObject(PVOID Object)
{
    return change_reference("ObfReferenceObject", Object, HH_RETURN_ADDRESS(),
                            hh_object_reference);
}

LONG_PTR ObfDereferenceObject(PVOID Object)
{
    return change_reference("ObfDereferenceObject", Object, HH_RETURN_ADDRESS(),
                            hh_object_dereference);
}

NTSTATUS ZwClose(HANDLE Handle)
{
    struct hh_engine *e = hh_shim_enter("ZwClose");
    NTSTATUS status;
    hh_shim_require_irql(e, "ZwClose", PASSIVE_LEVEL);
    status = hh_handle_close(e, Handle, HH_RETURN_ADDRESS());
    hh_shim_leave(e);
    return status;
}
