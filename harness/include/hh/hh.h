/* hh.h - version and the export macro shared by the harness libraries.
 *
 * HH_API marks what libhotswap exports; everything else is hidden. The
 * compiler checks here are the only ones allowed outside harness/platform/.
 */
#ifndef HH_HH_H
#define HH_HH_H

#define HH_VERSION_MAJOR 0
#define HH_VERSION_MINOR 1
#define HH_VERSION_PATCH 0
#define HH_VERSION_STRING "0.1.0"

#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(HH_BUILDING_LIBHOTSWAP)
#define HH_API __declspec(dllexport)
#else
#define HH_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define HH_API __attribute__((visibility("default")))
#else
#define HH_API
#endif

/* HH_NORETURN_ATTR goes after a declaration, HH_DECLSPEC_NORETURN before it. */
#if defined(__MINGW32__) && !defined(__clang__)
/* MinGW builds define __USE_MINGW_ANSI_STDIO (meson.build): printf follows C99 (%zu). */
#define HH_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#define HH_NORETURN_ATTR __attribute__((noreturn))
#define HH_DECLSPEC_NORETURN
#elif defined(__GNUC__)
#define HH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define HH_NORETURN_ATTR __attribute__((noreturn))
#define HH_DECLSPEC_NORETURN
#elif defined(_MSC_VER)
#define HH_PRINTF(f, a)
#define HH_NORETURN_ATTR
#define HH_DECLSPEC_NORETURN __declspec(noreturn)
#else
#define HH_PRINTF(f, a)
#define HH_NORETURN_ATTR
#define HH_DECLSPEC_NORETURN
#endif

/* A report's path, kept out of the hot function that calls it (its buffers and saved
 * registers with it). */
#if defined(__GNUC__)
#define HH_COLD __attribute__((cold, noinline))
#elif defined(_MSC_VER)
#define HH_COLD __declspec(noinline)
#else
#define HH_COLD
#endif

/* Storage per OS thread: one engine per thread is current. */
#if defined(_MSC_VER)
#define HH_THREAD_LOCAL __declspec(thread)
#else
#define HH_THREAD_LOCAL _Thread_local
#endif

#endif
