# tap.sh - TAP test points for the shell tests. Sourced, not run.
n=0
failed=0

# point OK|FAIL NAME [DETAIL]: one test point; a failure's DETAIL follows as comments.
point() {
    n=$((n + 1))
    if [ "$1" = OK ]; then
        echo "ok $n - $2"
    else
        failed=$((failed + 1))
        echo "not ok $n - $2"
        printf '%s\n' "${3:-}" | sed 's/^/# /'
    fi
}
