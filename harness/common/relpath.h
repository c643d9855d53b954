/* relpath.h - the relative path from one folder to a file, worked out from the text of the
 * paths alone, so that a path written into a file (a scenario's "$schema") still leads to
 * its target from wherever that file is written.
 */
#ifndef HH_COMMON_RELPATH_H
#define HH_COMMON_RELPATH_H

#include <stddef.h>

/* The last part of a path, after either separator: "a/b.json" -> "b.json". */
const char *hh_path_base(const char *path);

/* The folder part of `file` into out: "a/b.json" -> "a", "b.json" -> ".", "/b" -> "/".
 * Both separators count. Returns 0, or -1 when out is too small. */
int hh_path_folder(const char *file, char *out, size_t len);

/* The path of `to` as seen from the folder `from`, with '/' separators. `from` and `to` are
 * both relative to one same folder, or both absolute. Returns 0, or -1 when the text does
 * not tell (one absolute and one not, two drives, `from` above that folder) or out is too
 * small. */
int hh_path_relative(const char *from, const char *to, char *out, size_t len);

#endif
