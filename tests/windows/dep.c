/* dep.c - hh_test_dep.dll, the DLL needs_dep.dll imports (test_win_plat.c's load errors).
 * Built twice: here with hh_test_dep_answer, and in old/ without it. */
#if defined(HH_TEST_DEP_NEW)
__declspec(dllexport) int hh_test_dep_answer(void);
int hh_test_dep_answer(void)
{
    return 42;
}
#else
__declspec(dllexport) int hh_test_dep_other(void);
int hh_test_dep_other(void)
{
    return 7;
}
#endif
