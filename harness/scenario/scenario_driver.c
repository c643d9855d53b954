/* scenario_driver.c - "driver": a scenario that starts the driver instead of naming a routine.
 *
 * In driver mode the module's load routine (DriverEntry's signature) creates its DriverProxy
 * extension, registers its worker routine and starts the worker with a start context it
 * fills itself. What routine mode reads from the file (the routine, its context, the wait)
 * therefore comes from the driver's code, and those keys are refused beside "driver", each
 * with where its value comes from instead.
 */
#include "scenario_int.h"

#include <string.h>

struct routine_key {
    const char *key;
    const char *instead;
};

static const struct routine_key routine_keys[] = {
    {"module", "give it as \"driver\": { \"module\": ... }"},
    {"routine", "the driver's start context names the worker routine (a registered endpoint's "
                "wrapper)"},
    {"context", "the driver's start context holds the routine's context"},
    {"wait", "the driver's start context says how the worker waits"},
};

static void refuse_routine_keys(struct hh__sc_parser *p, const cJSON *root)
{
    size_t i;
    for (i = 0; i < sizeof(routine_keys) / sizeof(routine_keys[0]); i++) {
        const cJSON *m = hh__sc_member(root, routine_keys[i].key);
        if (m)
            hh__sc_key_error(p, m, routine_keys[i].key,
                             "\"%s\" belongs to a scenario that names a routine; with "
                             "\"driver\" the driver's load routine starts the worker: %s",
                             routine_keys[i].key, routine_keys[i].instead);
    }
}

void hh__sc_read_driver(struct hh__sc_parser *p, const cJSON *root)
{
    static const char *const keys[] = {"module", "load", "unload", NULL};
    const cJSON *d = hh__sc_member(root, "driver"), *v;
    struct hh_scenario *sc = p->sc;
    sc->driver_mode = 1;
    sc->driver.pos = hh_jsonpos_value(p->json, d);
    refuse_routine_keys(p, root);
    if (!hh__sc_is_object(p, d, "driver", "an object such as { \"module\": \"acpi_like\", "
                          "\"load\": \"AcpiLikeLoad\" }"))
        return;
    hh__sc_check_keys(p, d, "driver", keys);
    v = hh__sc_required(p, d, "driver", "module", "the driver's module: a path or a name");
    if (v)
        hh__sc_text_value(p, v, "driver.module", "the module", &sc->module);
    v = hh__sc_required(p, d, "driver", "load",
                        "the exported load routine, NTSTATUS Load(PDRIVER_OBJECT, "
                        "PUNICODE_STRING RegistryPath), as DriverEntry");
    if (v) {
        sc->driver.load_pos = hh_jsonpos_value(p->json, v);
        hh__sc_text_value(p, v, "driver.load", "the load routine's name", &sc->driver.load);
    }
    v = hh__sc_member(d, "unload");
    if (v) {
        sc->driver.unload_pos = hh_jsonpos_value(p->json, v);
        hh__sc_text_value(p, v, "driver.unload", "the unload routine's name",
                          &sc->driver.unload);
    }
}
