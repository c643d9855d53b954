/* module.h - finding and loading routine modules along the module path (SPEC section 2).
 *
 * A module named with a folder or a suffix is a file, relative to the scenario's folder. A
 * bare name is looked for as libNAME.so then NAME.so (NAME.dll on Windows) in the
 * scenario's folder, each --module-path folder, then each HOTSWAP_MODULE_PATH entry. Every
 * error is one diagnostic that says what was tried and what to do; nothing is printed.
 */
#ifndef HH_PLAY_MODULE_H
#define HH_PLAY_MODULE_H

#include <stddef.h>

#include "scenario/diag.h"

#define HH_MODULE_PATH_MAX 4096

struct hh_module;

/* Every error adds one diagnostic naming `file` (the scenario, or NULL) with no line: the
 * caller may fill in the place it knows.
 *
 * Resolves `name` to a module file in out. scenario_dir is the scenario's folder (NULL or
 * "" for the current folder); extra_dirs are the --module-path folders in order. Returns 0,
 * or -1 after adding the diagnostic. */
int hh_module_find(const char *name, const char *scenario_dir, const char *const *extra_dirs,
                   size_t nextra, char *out, size_t outlen, const char *file,
                   struct hh_diags *d);
/* The library that gives modules their kernel routines (libhotswap): its name for messages
 * and one of its functions, which locates its file. */
struct hh_module_provider {
    const char *name;
    void (*anchor)(void);
};
/* Loads the module file at path. Returns 0 and *out, or -1 after adding a diagnostic. When
 * the module imports a symbol nothing defines, the diagnostic names it and says whether
 * provider (may be NULL) lacks it, or whether only an instrumented build defines it. */
int hh_module_open(const char *path, const struct hh_module_provider *provider,
                   struct hh_module **out, const char *file, struct hh_diags *d);
/* The address of the exported symbol `name`, or NULL. A function's address comes back as
 * an object pointer: copy it into a function pointer with memcpy (ISO C has no cast). */
void *hh_module_symbol(struct hh_module *m, const char *name);
/* What to do about a load the loader refused with `reason` (module_hint.c), into hint. */
void hh_module_load_hint(const char *reason, const struct hh_module_provider *provider,
                         char *hint, size_t len);
/* The exported name closest to a misspelled one (from the module file's export table) in
 * out: 1, or 0 when none is close. */
int hh_module_suggest_export(const struct hh_module *m, const char *name, char *out,
                             size_t len);
/* Saves the module's writable data (its globals and statics) as they are now: call it right
 * after hh_module_open, before any code of the module runs, so that hh_module_restore_data
 * puts the module back in its loaded state (plat.h says what is and is not restored). A
 * second call replaces the first. Returns 0, or -1 after adding a diagnostic. */
int hh_module_snapshot_data(struct hh_module *m, const char *file, struct hh_diags *d);
/* Copies the saved data back; nothing without a snapshot. Only while no code of the module
 * runs. Returns the bytes copied. */
size_t hh_module_restore_data(struct hh_module *m);
/* The file the module was loaded from. */
const char *hh_module_path(const struct hh_module *m);
/* Unloads the module: pointers into it are dangling afterwards. NULL is ignored. */
void hh_module_close(struct hh_module *m);

#endif
