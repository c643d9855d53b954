/* data_probe_module.c - a module with state of every kind, for the data snapshot tests.
 *
 * A counter and a buffer in .bss and a table in .data. Its writable segment starts with the
 * relro range (.dynamic, .got), read-only once the loader is done with it: a restore that
 * wrote there would fault.
 */
#include <string.h>

PROBE_EXPORT int probe_data_mutate(void);
PROBE_EXPORT int probe_data_state(int *counter, int *table_sum, int *buffer_sum);

static int counter;
static int table[4] = {1, 2, 3, 4};
static unsigned char buffer[4096];

/* Each call changes all three and returns how many calls the module has seen. */
int probe_data_mutate(void)
{
    size_t i;
    counter++;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        table[i] += 10;
    memset(buffer, 'x', sizeof(buffer));
    return counter;
}

/* What the module holds now: its counter, the sum of its table and of its buffer's bytes.
 * Returns the counter again. */
int probe_data_state(int *count, int *table_sum, int *buffer_sum)
{
    size_t i;
    *count = counter;
    *table_sum = 0;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        *table_sum += table[i];
    *buffer_sum = 0;
    for (i = 0; i < sizeof(buffer); i++)
        *buffer_sum += buffer[i];
    return counter;
}
