#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# po/POTFILES is complete (build-aux/check-potfiles.py), and the check can fail: a source with
# marked strings missing from the list, a listed file that is gone, a listed file with nothing
# marked, and a marked string that only a comment mentions (which must not count). TAP output.
# Usage: test-potfiles.sh SOURCE_ROOT
set -u
root=${1:?usage: test-potfiles.sh SOURCE_ROOT}
check="python3 $root/build-aux/check-potfiles.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

ok() {   # ok CONDITION-STATUS DESCRIPTION
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

echo "1..7"

# 1. The real tree passes.
$check --root "$root" >"$tmp/out" 2>&1
ok $? "po/POTFILES lists every file with marked strings"
sed 's/^/# /' "$tmp/out"

# 2. The real list with one marked file removed fails and names the file.
grep -v '^src/ui/hs-window.c$' "$root/po/POTFILES" >"$tmp/POTFILES.short"
$check --root "$root" --potfiles "$tmp/POTFILES.short" >"$tmp/out" 2>&1
st=$?
[ $st -eq 1 ] && grep -q 'src/ui/hs-window.c has marked strings but is not listed' "$tmp/out"
ok $? "a missing src/ui/hs-window.c is reported (exit $st)"

# 3. A listed file that does not exist fails.
cp "$root/po/POTFILES" "$tmp/POTFILES.extra"
echo 'src/ui/hs-no-such-file.c' >>"$tmp/POTFILES.extra"
$check --root "$root" --potfiles "$tmp/POTFILES.extra" >"$tmp/out" 2>&1
st=$?
[ $st -eq 1 ] && grep -q 'src/ui/hs-no-such-file.c is listed but does not exist' "$tmp/out"
ok $? "a listed file that is gone is reported (exit $st)"

# A small tree of its own for the rest: one marked file of each kind.
mkdir -p "$tmp/t/src/ui" "$tmp/t/ui" "$tmp/t/data" "$tmp/t/po"
printf 'static const char *a = N_("Open");\n' >"$tmp/t/src/ui/marked.c"
printf '/* not _("this"): a comment */\nstatic const char *b = "plain";\n' >"$tmp/t/src/ui/comment.c"
printf '<interface><object class="GtkLabel"><property name="label" translatable="yes">Hi</property></object></interface>\n' >"$tmp/t/ui/page.ui"
printf '<interface><object class="GtkLabel"><property name="label">hs-id</property></object></interface>\n' >"$tmp/t/ui/plain.ui"
printf '<schemalist gettext-domain="x"><schema id="a"><key name="k" type="i"><default>1</default><summary>Width</summary></key></schema></schemalist>\n' >"$tmp/t/data/a.gschema.xml"
printf 'src/ui/marked.c\nui/page.ui\ndata/a.gschema.xml\n' >"$tmp/t/po/POTFILES"

# 4. Exactly the marked files: passes (comment.c and plain.ui are not wanted).
$check --root "$tmp/t" >"$tmp/out" 2>&1
ok $? "a list of exactly the marked files passes; a comment quoting _() does not count"

# 5. A new .ui file with translatable="yes" that nobody listed fails.
cp "$tmp/t/ui/page.ui" "$tmp/t/ui/new-page.ui"
$check --root "$tmp/t" >"$tmp/out" 2>&1
st=$?
[ $st -eq 1 ] && grep -q 'ui/new-page.ui has marked strings but is not listed' "$tmp/out"
ok $? "an unlisted .ui file with translatable strings is reported (exit $st)"
rm "$tmp/t/ui/new-page.ui"

# 6. A listed file whose strings are no longer marked fails.
printf 'src/ui/comment.c\n' >>"$tmp/t/po/POTFILES"
$check --root "$tmp/t" >"$tmp/out" 2>&1
st=$?
[ $st -eq 1 ] && grep -q 'src/ui/comment.c is listed but has no marked strings' "$tmp/out"
ok $? "a listed file without marked strings is reported (exit $st)"

# 7. A C file using ngettext / C_ / NC_ counts as marked.
printf 'src/ui/marked.c\nui/page.ui\ndata/a.gschema.xml\n' >"$tmp/t/po/POTFILES"
printf 'x = ngettext ("%%u run", "%%u runs", n);\ny = C_("ctx", "Open");\n' >"$tmp/t/src/ui/plural.c"
$check --root "$tmp/t" >"$tmp/out" 2>&1
st=$?
[ $st -eq 1 ] && grep -q 'src/ui/plural.c has marked strings but is not listed' "$tmp/out"
ok $? "ngettext and C_ count as marked strings (exit $st)"

exit $failed
