#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The GUI runs in the user's LC_NUMERIC and LC_TIME, so no code may read numbers with the
# locale-dependent strtod()/atof()/strtof()/scanf("%f"), and no layer below the GUI may format
# dates with C's strftime() or g_date_time_format() with a locale's conversion (%x, %b, %c …;
# files and the CLI use hs_time_format_iso(); SQLite's strftime() in SQL is locale-free).
# docs/i18n.md, "Files stay C-locale". Also shown to fail on a small tree with one of each.
# TAP output. Usage: test-c-locale-io.sh SOURCE_ROOT
set -u
root=${1:?usage: test-c-locale-io.sh SOURCE_ROOT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# scan DIR: prints every offending line; exit 0 when there is none.
scan() {
  found=0
  # C sources only; comments are not code, so lines that start a comment are skipped.
  if grep -rnE --include='*.c' --include='*.h' \
       '(^|[^_a-z])(strtod|strtof|strtold|atof)[[:space:]]*\(|scanf[[:space:]]*\([^;]*%[-0-9.l]*[fgeE]' \
       "$1/src" | grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)'; then
    found=1
  fi
  if grep -rnE --include='*.c' '(^|[^_a-z])strftime[[:space:]]*\([^'"'"'[:space:]]|g_date_time_format[[:space:]]*\([^,]*,[[:space:]]*"[^"]*%[xXcbBaAprh]' \
       "$1/src/core" "$1/src/store" "$1/src/jobs" "$1/src/fetch" "$1/src/cli" 2>/dev/null \
       | grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)'; then
    found=1
  fi
  return $found
}

echo "1..2"
scan "$root" >"$tmp/out" 2>&1
if [ $? -eq 0 ]; then echo "ok 1 - no locale-dependent number parsing, no locale dates below the GUI"
else echo "not ok 1 - locale-dependent I/O found:"; sed 's/^/# /' "$tmp/out"; failed=1; fi

mkdir -p "$tmp/t/src/core" "$tmp/t/src/store" "$tmp/t/src/jobs" "$tmp/t/src/fetch" "$tmp/t/src/cli"
printf 'double v = strtod (text, NULL);\n' >"$tmp/t/src/core/a.c"
printf 'char *d = g_date_time_format (dt, "%%x");\n' >"$tmp/t/src/cli/b.c"
printf 'double w = g_ascii_strtod (text, NULL);\n/* strtod (comment) */\n' >"$tmp/t/src/core/ok.c"
scan "$tmp/t" >"$tmp/out" 2>&1
st=$?
if [ $st -ne 0 ] && grep -q 'a.c:1' "$tmp/out" && grep -q 'b.c:1' "$tmp/out" && ! grep -q 'ok.c' "$tmp/out"; then
  echo "ok 2 - the scan catches strtod() and a %x date in the CLI, and passes g_ascii_strtod()"
else
  echo "not ok 2 - the scan missed a planted strtod() or date, or flagged g_ascii_strtod()"
  sed 's/^/# /' "$tmp/out"
  failed=1
fi
exit $failed
