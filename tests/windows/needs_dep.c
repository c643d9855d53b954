/* needs_dep.c - a module that imports hh_test_dep_answer from hh_test_dep.dll, so that
 * test_win_plat.c can load it without that DLL, or beside one that lacks the function. */
__declspec(dllimport) int hh_test_dep_answer(void);
__declspec(dllexport) int hh_test_needs_dep(void);
int hh_test_needs_dep(void)
{
    return hh_test_dep_answer() + 1;
}
