/* cli.h - the subcommands and the options they share. */
#ifndef HH_CLI_CLI_H
#define HH_CLI_CLI_H

#include <stddef.h>

#define HH_CLI_MAX_DIRS 32
#define HH_CLI_MAX_FILE_BYTES (16u * 1024u * 1024u)

struct hh_cli {
    const char **paths; /* files and folders, as given */
    size_t npaths;
    const char *dirs[HH_CLI_MAX_DIRS]; /* --module-path */
    size_t ndirs;
    unsigned long livelock_limit;
    int verbose;
    int quiet;
};

int hh_cmd_run(const struct hh_cli *cli);
int hh_cmd_validate(const struct hh_cli *cli);
int hh_cmd_status(const char *arg);
int hh_cmd_rules(void);

/* Every scenario file named by the paths: files as given, folders searched recursively for
 * *.json in bytewise order. Returns 0, or 2 after printing why (a missing path, a folder with
 * no scenario). Free with hh_free_files. */
int hh_collect_files(const struct hh_cli *cli, char ***files, size_t *n);
void hh_free_files(char **files, size_t n);

#endif
