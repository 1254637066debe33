#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every language in po/LINGUAS is complete: `msgfmt --check --statistics` reports no untranslated
# and no fuzzy message, both for po/LL.po as committed and after merging it with messages
# extracted from the sources now (build-aux/update-po.sh --check), so a new string nobody
# translated fails here. The counting is shown to fail on a copy with one message blanked and
# one marked fuzzy. TAP output. Usage: test-po.sh SOURCE_ROOT
set -u
root=${1:?usage: test-po.sh SOURCE_ROOT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

ok() {
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

# complete FILE: msgfmt --check passes and its statistics name neither untranslated nor fuzzy.
complete() {
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$1" 2>&1) || { echo "# $stats"; return 1; }
  echo "# $1: $stats"
  case "$stats" in *untranslated*|*fuzzy*) return 1 ;; esac
  return 0
}

langs=$(grep -v '^[[:space:]]*\(#\|$\)' "$root/po/LINGUAS")
count=0
for lang in $langs; do count=$((count + 1)); done
echo "1..$((count * 2 + 3))"

[ "$count" -ge 1 ]
ok $? "po/LINGUAS names at least one language ($langs)"

for lang in $langs; do
  complete "$root/po/$lang.po"
  ok $? "po/$lang.po: 0 untranslated, 0 fuzzy (msgfmt --check --statistics)"
  grep -q '^"Plural-Forms: nplurals=[0-9]*; plural=' "$root/po/$lang.po"
  ok $? "po/$lang.po has a Plural-Forms header"
done

# The check fails on an incomplete copy: the first translated msgstr blanked ...
first=$(echo $langs | cut -d' ' -f1)
awk 'done != 1 && /^msgstr "./ && NR > 20 { print "msgstr \"\""; done = 1; next } { print }' \
  "$root/po/$first.po" >"$tmp/blank.po"
! complete "$tmp/blank.po" >/dev/null && LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/blank.po" 2>&1 | grep -q '1 untranslated'
ok $? "a copy with one message untranslated fails the check"

# ... and, separately, one message marked fuzzy.
awk 'done != 1 && /^msgid "./ && NR > 20 { print "#, fuzzy"; done = 1 } { print }' \
  "$root/po/$first.po" >"$tmp/fuzzy.po"
! complete "$tmp/fuzzy.po" >/dev/null && LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/fuzzy.po" 2>&1 | grep -q '1 fuzzy'
ok $? "a copy with one fuzzy message fails the check"

exit $failed
