/* plat_win_proc.c - threads, child processes, crashes and whole-file writes on Windows.
 *
 * Threads are _beginthreadex threads and mutexes SRW locks. A child runs in its own job
 * object (killed with everything it started on a timeout, never leaving a WER dialog), its
 * stdout and stderr are one pipe read by a thread of its own. An unhandled exception in the
 * harness is reported on stderr and ends the process with the exception code, which the
 * parent names. hh_plat_exec runs the new program in a job and exits with its status (there is
 * no exec). User APCs go through QueueUserAPC; whole-file writes end in MoveFileExW.
 * Windows only.
 */
#if defined(_WIN32)

#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plat_win_int.h"

/* ---- Threads ---------------------------------------------------------------------------- */
struct hh_plat_thread {
    HANDLE handle;
    void (*fn)(void *arg);
    void *arg;
};

struct hh_plat_mutex {
    SRWLOCK lock;
};

static unsigned __stdcall thread_main(void *arg)
{
    struct hh_plat_thread *t = arg;
    t->fn(t->arg);
    return 0;
}

int hh_plat_thread_start(struct hh_plat_thread **out, void (*fn)(void *arg), void *arg)
{
    struct hh_plat_thread *t = malloc(sizeof(*t));
    uintptr_t h;
    *out = NULL;
    if (!t)
        return -1;
    t->fn = fn;
    t->arg = arg;
    /* _beginthreadex, not CreateThread: the thread uses the C runtime. */
    h = _beginthreadex(NULL, 0, thread_main, t, 0, NULL);
    if (h == 0) {
        free(t);
        return -1;
    }
    t->handle = (HANDLE)h;
    *out = t;
    return 0;
}

void hh_plat_thread_join(struct hh_plat_thread *t)
{
    if (!t)
        return;
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
    free(t);
}

int hh_plat_mutex_new(struct hh_plat_mutex **out)
{
    struct hh_plat_mutex *m = malloc(sizeof(*m));
    *out = NULL;
    if (!m)
        return -1;
    InitializeSRWLock(&m->lock);
    *out = m;
    return 0;
}

void hh_plat_mutex_lock(struct hh_plat_mutex *m)
{
    AcquireSRWLockExclusive(&m->lock);
}

void hh_plat_mutex_unlock(struct hh_plat_mutex *m)
{
    ReleaseSRWLockExclusive(&m->lock);
}

void hh_plat_mutex_free(struct hh_plat_mutex *m)
{
    free(m); /* an SRW lock needs no teardown */
}

unsigned hh_plat_cpu_count(void)
{
    DWORD_PTR mine, system;
    unsigned n = 0;
    /* The processors this process may run on (a job or `start /affinity` may allow fewer). */
    if (GetProcessAffinityMask(GetCurrentProcess(), &mine, &system)) {
        for (; mine; mine &= mine - 1)
            n++;
    }
    if (n == 0)
        n = (unsigned)GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    return n ? n : 1u;
}

/* A user APC: fn(arg), carried through QueueUserAPC's one ULONG_PTR. */
struct apc {
    void (*fn)(void *arg);
    void *arg;
};

static void WINAPI run_apc(ULONG_PTR data)
{
    struct apc *a = (struct apc *)data;
    a->fn(a->arg);
    free(a);
}

int hh_plat_queue_apc(struct hh_plat_thread *t, void (*fn)(void *arg), void *arg)
{
    struct apc *a = malloc(sizeof(*a));
    if (!a)
        return -1;
    a->fn = fn;
    a->arg = arg;
    if (!QueueUserAPC(run_apc, t ? t->handle : GetCurrentThread(), (ULONG_PTR)a)) {
        free(a);
        return -1;
    }
    return 0;
}

/* ---- Exceptions and crashes ------------------------------------------------------------- */
const char *hh_plat_win_exception_name(DWORD code)
{
    switch (code) {
    case 0xC0000005: return "access violation";
    case 0xC0000006: return "in-page error";
    case 0xC000001D: return "illegal instruction";
    case 0xC0000025: return "non-continuable exception";
    case 0xC0000026: return "invalid disposition";
    case 0xC000008C: return "array bounds exceeded";
    case 0xC000008D: return "floating-point denormal operand";
    case 0xC000008E: return "floating-point division by zero";
    case 0xC000008F: return "floating-point inexact result";
    case 0xC0000090: return "floating-point invalid operation";
    case 0xC0000091: return "floating-point overflow";
    case 0xC0000092: return "floating-point stack check";
    case 0xC0000093: return "floating-point underflow";
    case 0xC0000094: return "integer division by zero";
    case 0xC0000095: return "integer overflow";
    case 0xC0000096: return "privileged instruction";
    case 0xC00000FD: return "stack overflow";
    case 0xC0000135: return "a DLL it needs was not found";
    case 0xC0000139: return "an entry point it needs was not found";
    case 0xC0000142: return "a DLL failed to initialize";
    case 0xC000013A: return "interrupted by Ctrl+C";
    case 0xC0000374: return "heap corruption";
    case 0xC0000409: return "stack buffer overrun or fail-fast exit";
    case 0xC0000417: return "invalid parameter to a C runtime function";
    case 0xC0000420: return "assertion failure";
    case 0x80000002: return "misaligned data access";
    case 0x80000003: return "breakpoint";
    case 0x80000004: return "single step";
    case 0xE06D7363: return "C++ exception";
    default: return (code & 0xF0000000u) == 0xC0000000u ? "exception" : NULL;
    }
}

/* A line built on the stack: the process is crashing, so neither the heap nor stdio. */
struct line {
    char text[600];
    size_t n;
};

static void put(struct line *l, const char *s)
{
    while (*s && l->n < sizeof(l->text) - 2)
        l->text[l->n++] = *s++;
}

static void put_hex(struct line *l, unsigned long long v, int digits)
{
    char buf[19];
    int i;
    buf[0] = '0';
    buf[1] = 'x';
    for (i = 0; i < digits; i++)
        buf[2 + i] = "0123456789ABCDEF"[(v >> (4 * (digits - 1 - i))) & 0xF];
    buf[2 + digits] = '\0';
    put(l, buf);
}

/* " in name.dll+0x1234" for the module holding addr. */
static void put_module(struct line *l, const void *addr)
{
    HMODULE mod;
    wchar_t wpath[MAX_PATH];
    char path[MAX_PATH * 3];
    const char *base;
    DWORD n;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)addr, &mod))
        return;
    n = GetModuleFileNameW(mod, wpath, MAX_PATH);
    if (n == 0 || n >= MAX_PATH ||
        WideCharToMultiByte(CP_UTF8, 0, wpath, -1, path, (int)sizeof(path), NULL, NULL) <= 0)
        return;
    base = strrchr(path, '\\');
    put(l, " in ");
    put(l, base ? base + 1 : path);
    put(l, "+");
    put_hex(l, (unsigned long long)((const char *)addr - (const char *)mod), 8);
}

/* The last word of a crashing process: one line on stderr, then the exception code as its
 * exit status, which hh_plat_proc_wait names. No debugger, no dialog, no WER report. */
static LONG WINAPI on_unhandled(EXCEPTION_POINTERS *ep)
{
    const EXCEPTION_RECORD *er = ep->ExceptionRecord;
    DWORD code = er->ExceptionCode, written;
    const char *name = hh_plat_win_exception_name(code);
    struct line l;
    l.n = 0;
    put(&l, "hotswap: unhandled exception: ");
    put(&l, name ? name : "exception");
    put(&l, " (");
    put_hex(&l, code, 8);
    put(&l, ") at ");
    put_hex(&l, (unsigned long long)(uintptr_t)er->ExceptionAddress, 16);
    put_module(&l, er->ExceptionAddress);
    if ((code == 0xC0000005 || code == 0xC0000006) && er->NumberParameters >= 2) {
        ULONG_PTR how = er->ExceptionInformation[0];
        put(&l, how == 0 ? ", reading " : how == 1 ? ", writing " : ", executing ");
        put_hex(&l, (unsigned long long)er->ExceptionInformation[1], 16);
    }
    l.text[l.n++] = '\n';
    WriteFile(GetStdHandle(STD_ERROR_HANDLE), l.text, (DWORD)l.n, &written, NULL);
    TerminateProcess(GetCurrentProcess(), code);
    return EXCEPTION_EXECUTE_HANDLER;
}

void hh_plat_win_contain_crashes(void)
{
    SetUnhandledExceptionFilter(on_unhandled);
}

/* ---- Child processes -------------------------------------------------------------------- */
struct hh_plat_proc {
    HANDLE process;
    HANDLE job;    /* NULL when the child could not be put in one */
    HANDLE reader; /* the thread collecting the pipe */
    HANDLE pipe;
    struct hh_plat_output out;
    DWORD read_error;
};

/* A growing UTF-16 command line. */
struct wbuf {
    wchar_t *s;
    size_t n, cap;
    int failed;
};

static void wput(struct wbuf *b, wchar_t c, size_t times)
{
    if (b->failed)
        return;
    if (b->n + times + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        wchar_t *grown;
        while (cap < b->n + times + 1)
            cap *= 2;
        grown = realloc(b->s, cap * sizeof(*grown));
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->s = grown;
        b->cap = cap;
    }
    while (times--)
        b->s[b->n++] = c;
    b->s[b->n] = L'\0';
}

/* One argument, quoted so that CommandLineToArgvW and the C runtime give it back as is:
 * backslashes double only before a quote, and a quote is escaped by one more. */
static void put_arg(struct wbuf *b, const wchar_t *arg)
{
    const wchar_t *p;
    size_t slashes = 0;
    if (b->n)
        wput(b, L' ', 1);
    if (arg[0] && !wcspbrk(arg, L" \t\n\v\"")) {
        for (p = arg; *p; p++)
            wput(b, *p, 1);
        return;
    }
    wput(b, L'"', 1);
    for (p = arg;; p++) {
        if (*p == L'\\') {
            slashes++;
            continue;
        }
        if (*p == L'\0') {
            wput(b, L'\\', slashes * 2);
            break;
        }
        wput(b, L'\\', *p == L'"' ? slashes * 2 + 1 : slashes);
        wput(b, *p, 1);
        slashes = 0;
    }
    wput(b, L'"', 1);
}

/* Handles are made inheritable only inside this lock and for one CreateProcessW, so a
 * child started by another thread at the same time never inherits this one's pipe. */
static SRWLOCK spawn_lock = SRWLOCK_INIT;

/* CreateProcessW, tried again a few times when it fails with ERROR_INTERNAL_ERROR: under load
 * Wine now and then cannot place a new process's shared user data ("failed to map the shared
 * user data: c0000018", then error 1359), and a moment later it can. GetLastError is
 * CreateProcessW's. */
static BOOL create_process(wchar_t *program, wchar_t *cmd, DWORD flags, STARTUPINFOW *si,
                           PROCESS_INFORMATION *pi)
{
    DWORD attempt;
    for (attempt = 0;; attempt++) {
        if (CreateProcessW(program, cmd, NULL, NULL, TRUE, flags, NULL, NULL, si, pi))
            return TRUE;
        if (GetLastError() != ERROR_INTERNAL_ERROR || attempt == 3)
            return FALSE;
        Sleep(10u << attempt);
    }
}

static unsigned __stdcall read_output(void *arg)
{
    struct hh_plat_proc *p = arg;
    for (;;) {
        char *room = hh_plat_output_room(&p->out, 65536);
        DWORD got = 0;
        if (!room) {
            p->read_error = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        if (!ReadFile(p->pipe, room, 65536, &got, NULL)) {
            DWORD code = GetLastError();
            if (code != ERROR_BROKEN_PIPE && code != ERROR_OPERATION_ABORTED)
                p->read_error = code;
            break;
        }
        p->out.len += got;
    }
    return 0;
}

/* A job that kills what is in it when its last handle closes, and lets an unhandled
 * exception end a process at once instead of waiting on Windows Error Reporting. */
static HANDLE new_job(void)
{
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    HANDLE job = CreateJobObjectW(NULL, NULL);
    if (!job)
        return NULL;
    memset(&limits, 0, sizeof(limits));
    limits.BasicLimitInformation.LimitFlags =
        JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits,
                                 sizeof(limits))) {
        CloseHandle(job);
        return NULL;
    }
    return job;
}

/* The command line and the program's wide path; -1 with the reason in err (and nothing to
 * free) when an argument is not UTF-8 or memory runs out. */
static int command_line(const char *const *argv, struct wbuf *cmd, wchar_t **program,
                        char *err, size_t errlen)
{
    size_t i;
    int bad;
    *program = hh_plat_win_wide(argv[0]);
    bad = !*program;
    for (i = 0; !bad && argv[i]; i++) {
        wchar_t *w = hh_plat_win_wide(argv[i]);
        bad = !w;
        if (w)
            put_arg(cmd, w);
        free(w);
    }
    if (!bad && !cmd->failed)
        return 0;
    hh_plat_set_error(err, errlen, bad ? "an argument is not valid UTF-8" : "out of memory");
    free(cmd->s);
    free(*program);
    return -1;
}

/* Starts the child suspended with the write end as stdout and stderr and NUL as stdin. */
static int create_child(wchar_t *program, wchar_t *cmd, HANDLE write_end,
                        PROCESS_INFORMATION *pi, DWORD *code)
{
    STARTUPINFOEXW si;
    HANDLE inherit[2], nul;
    SIZE_T attr_size = 0;
    LPPROC_THREAD_ATTRIBUTE_LIST attrs = NULL;
    BOOL ok;
    DWORD flags = CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT;
    nul = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                      OPEN_EXISTING, 0, NULL);
    if (nul == INVALID_HANDLE_VALUE) {
        *code = GetLastError();
        return -1;
    }
    memset(&si, 0, sizeof(si));
    si.StartupInfo.cb = sizeof(si.StartupInfo);
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdInput = nul;
    si.StartupInfo.hStdOutput = write_end;
    si.StartupInfo.hStdError = write_end;
    /* Besides the lock, name the only two handles the child may inherit, where the system
     * supports it; harmless to go without. */
    inherit[0] = nul;
    inherit[1] = write_end;
    InitializeProcThreadAttributeList(NULL, 1, 0, &attr_size);
    if (attr_size)
        attrs = malloc(attr_size);
    if (attrs && InitializeProcThreadAttributeList(attrs, 1, 0, &attr_size)) {
        if (UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit,
                                      sizeof(inherit), NULL, NULL)) {
            si.StartupInfo.cb = sizeof(si);
            si.lpAttributeList = attrs;
            flags |= EXTENDED_STARTUPINFO_PRESENT;
        } else {
            DeleteProcThreadAttributeList(attrs);
            free(attrs);
            attrs = NULL;
        }
    } else {
        free(attrs);
        attrs = NULL;
    }
    AcquireSRWLockExclusive(&spawn_lock);
    SetHandleInformation(nul, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    SetHandleInformation(write_end, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    ok = create_process(program, cmd, flags, &si.StartupInfo, pi);
    *code = GetLastError();
    CloseHandle(write_end);
    CloseHandle(nul);
    ReleaseSRWLockExclusive(&spawn_lock);
    if (attrs) {
        DeleteProcThreadAttributeList(attrs);
        free(attrs);
    }
    return ok ? 0 : -1;
}

int hh_plat_proc_spawn(const char *const *argv, struct hh_plat_proc **out, char *err,
                       size_t errlen)
{
    struct hh_plat_proc *p;
    struct wbuf cmd = {NULL, 0, 0, 0};
    wchar_t *program = NULL;
    PROCESS_INFORMATION pi;
    HANDLE read_end, write_end;
    DWORD code;
    uintptr_t reader;
    *out = NULL;
    if (command_line(argv, &cmd, &program, err, errlen) != 0)
        return -1;
    p = calloc(1, sizeof(*p));
    if (!p || !CreatePipe(&read_end, &write_end, NULL, 0)) {
        code = p ? GetLastError() : ERROR_NOT_ENOUGH_MEMORY;
        free(p);
        free(cmd.s);
        free(program);
        hh_plat_win_error(err, errlen, "cannot make a pipe: ", code);
        return -1;
    }
    if (create_child(program, cmd.s, write_end, &pi, &code) != 0) {
        char what[600];
        snprintf(what, sizeof(what), "cannot start %s: ", argv[0]);
        hh_plat_win_error(err, errlen, what, code);
        CloseHandle(read_end);
        free(p);
        free(cmd.s);
        free(program);
        return -1;
    }
    free(cmd.s);
    free(program);
    p->process = pi.hProcess;
    p->pipe = read_end;
    p->job = new_job();
    if (p->job && !AssignProcessToJobObject(p->job, pi.hProcess)) {
        CloseHandle(p->job);
        p->job = NULL; /* then a timeout kills the child alone */
    }
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    reader = _beginthreadex(NULL, 0, read_output, p, 0, NULL);
    if (reader == 0) {
        TerminateProcess(p->process, 1);
        CloseHandle(p->process);
        if (p->job)
            CloseHandle(p->job);
        CloseHandle(read_end);
        free(p);
        hh_plat_set_error(err, errlen, "cannot start a thread to read the child's output");
        return -1;
    }
    p->reader = (HANDLE)reader;
    *out = p;
    return 0;
}

static void kill_child(struct hh_plat_proc *p, UINT code)
{
    if (p->job)
        TerminateJobObject(p->job, code);
    else
        TerminateProcess(p->process, code);
}

static void describe_exit(DWORD status, struct hh_plat_proc_result *r)
{
    const char *name = hh_plat_win_exception_name(status);
    r->code = (int)status;
    if (name) {
        r->crashed = 1;
        snprintf(r->what, sizeof(r->what), "%s (0x%08lX)", name, (unsigned long)status);
    } else {
        r->exited = 1;
        snprintf(r->what, sizeof(r->what), "exited with status %lu", (unsigned long)status);
    }
}

int hh_plat_proc_wait(struct hh_plat_proc *p, unsigned long timeout_ms,
                      struct hh_plat_proc_result *r, char *err, size_t errlen)
{
    DWORD limit = timeout_ms == 0 ? INFINITE
                  : timeout_ms >= INFINITE ? INFINITE - 1 : (DWORD)timeout_ms;
    DWORD waited = WaitForSingleObject(p->process, limit), status = 0, failed = 0;
    memset(r, 0, sizeof(*r));
    if (waited == WAIT_TIMEOUT) {
        kill_child(p, 1);
        WaitForSingleObject(p->process, INFINITE);
        r->timed_out = 1;
        snprintf(r->what, sizeof(r->what), "killed after the %lu ms limit", timeout_ms);
    } else if (waited != WAIT_OBJECT_0) {
        failed = GetLastError();
        kill_child(p, 1);
        WaitForSingleObject(p->process, INFINITE);
    } else if (GetExitCodeProcess(p->process, &status)) {
        describe_exit(status, r);
    } else {
        failed = GetLastError();
    }
    /* What it started and left running still holds the pipe: it goes too. Then the reader
     * sees the pipe's end; a holder outside the job is cut off after two seconds. */
    if (p->job)
        TerminateJobObject(p->job, 1);
    if (WaitForSingleObject(p->reader, 2000) == WAIT_TIMEOUT) {
        CancelSynchronousIo(p->reader);
        WaitForSingleObject(p->reader, INFINITE);
    }
    CloseHandle(p->reader);
    CloseHandle(p->pipe);
    CloseHandle(p->process);
    if (p->job)
        CloseHandle(p->job);
    if (!failed && p->read_error)
        failed = p->read_error;
    if (failed || hh_plat_output_finish(&p->out, r) != 0) {
        free(p->out.data);
        free(p);
        if (failed)
            hh_plat_win_error(err, errlen, "cannot wait for the child: ", failed);
        else
            hh_plat_set_error(err, errlen, "out of memory");
        return -1;
    }
    free(p);
    return 0;
}

int hh_plat_can_fork(void)
{
    return 0;
}

int hh_plat_fork_run(int (*fn)(void *arg), void *arg, unsigned long timeout_ms,
                     struct hh_plat_proc_result *r, char *err, size_t errlen)
{
    (void)fn;
    (void)arg;
    (void)timeout_ms;
    memset(r, 0, sizeof(*r));
    hh_plat_set_error(err, errlen, "Windows cannot fork: run the scenario in a child process");
    return -1;
}

void hh_plat_proc_bind_to_parent(void)
{
    /* Nothing to do: the parent's job object (KILL_ON_JOB_CLOSE) ends this process with it. */
}

int hh_plat_exec(const char *const *argv, char *err, size_t errlen)
{
    struct wbuf cmd = {NULL, 0, 0, 0};
    wchar_t *program = NULL;
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    HANDLE job;
    DWORD status = 1;
    BOOL ok;
    if (command_line(argv, &cmd, &program, err, errlen) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    /* The program gets this process's console and standard handles, and goes when it goes. */
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    ok = create_process(program, cmd.s, CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT, &si, &pi);
    status = GetLastError();
    free(cmd.s);
    free(program);
    if (!ok) {
        char what[600];
        snprintf(what, sizeof(what), "cannot run %s: ", argv[0]);
        hh_plat_win_error(err, errlen, what, status);
        return -1;
    }
    job = new_job();
    if (job && !AssignProcessToJobObject(job, pi.hProcess)) {
        CloseHandle(job);
        job = NULL;
    }
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    WaitForSingleObject(pi.hProcess, INFINITE);
    if (!GetExitCodeProcess(pi.hProcess, &status))
        status = 1;
    exit((int)status); /* exit, not ExitProcess: the console is put back as it was */
}

/* The file a loaded module (NULL: the executable) was loaded from, in UTF-8. */
static int module_path(HMODULE module, char *out, size_t len)
{
    DWORD cap = MAX_PATH, n;
    wchar_t *wide = NULL;
    char *utf8;
    size_t need;
    for (;;) {
        wchar_t *grown = realloc(wide, cap * sizeof(*grown));
        if (!grown) {
            free(wide);
            return -1;
        }
        wide = grown;
        n = GetModuleFileNameW(module, wide, cap);
        if (n == 0) {
            free(wide);
            return -1;
        }
        if (n < cap)
            break;
        cap *= 2; /* cut short: a longer path (\\?\ prefixed) */
    }
    utf8 = hh_plat_win_utf8(wide);
    free(wide);
    if (!utf8)
        return -1;
    need = strlen(utf8) + 1;
    if (need > len) {
        free(utf8);
        return -1;
    }
    memcpy(out, utf8, need);
    free(utf8);
    return 0;
}

int hh_plat_self_path(char *out, size_t len)
{
    return module_path(NULL, out, len);
}

int hh_plat_library_of(void (*fn)(void), char *out, size_t len)
{
    HMODULE module = NULL;
    LPCWSTR address;
    memcpy(&address, &fn, sizeof(address)); /* an address inside the module, as the API takes */
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            address, &module))
        return -1;
    return module_path(module, out, len);
}

/* ---- Writing files whole or not at all -------------------------------------------------- */
int hh_plat_replace_file(const char *tmp, const char *dst, char *err, size_t errlen)
{
    wchar_t *wtmp = hh_plat_win_wide(tmp), *wdst = hh_plat_win_wide(dst);
    HANDLE h;
    DWORD code = 0, attrs;
    int tries;
    if (!wtmp || !wdst) {
        free(wtmp);
        free(wdst);
        return hh_plat_win_bad_path(err, errlen);
    }
    /* On disk before the rename, so that a power cut leaves the old file or the new. */
    h = CreateFileW(wtmp, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h != INVALID_HANDLE_VALUE) {
        FlushFileBuffers(h);
        CloseHandle(h);
    }
    attrs = GetFileAttributesW(wdst);
    if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY)) {
        free(wtmp);
        free(wdst);
        hh_plat_set_error(err, errlen, "cannot replace the file: %s is a folder", dst);
        return -1;
    }
    /* A virus scanner or an indexer may hold the old file for a moment: try for a second. */
    for (tries = 0; tries < 20; tries++) {
        if (MoveFileExW(wtmp, wdst, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
            code = 0;
            break;
        }
        code = GetLastError();
        if (code != ERROR_ACCESS_DENIED && code != ERROR_SHARING_VIOLATION &&
            code != ERROR_LOCK_VIOLATION)
            break;
        Sleep(50);
    }
    free(wtmp);
    free(wdst);
    if (code) {
        hh_plat_win_error(err, errlen, "cannot replace the file: ", code);
        return -1;
    }
    return 0;
}

#else
typedef int hh_plat_win_proc_unused; /* ISO C forbids an empty translation unit */
#endif
