#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The translations' one maintenance step (docs/i18n.md):
#   build-aux/update-po.sh          check po/POTFILES, regenerate po/hindsight.pot from the files
#                                   it lists, merge every language in po/LINGUAS into it
#                                   (msgmerge), then print what each language still lacks
#   build-aux/update-po.sh --check  change nothing: extract and merge into a temporary folder and
#                                   fail (exit 1) unless every language in po/LINGUAS translates
#                                   every current message (0 untranslated, 0 fuzzy; msgfmt --check)
# The xgettext options are meson's 'glib' preset (po/meson.build), so this and
# `ninja -C build hindsight-pot` extract the same messages.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

mode=update
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  -h|--help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

for tool in xgettext msgmerge msgfmt python3; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is missing (package gettext)" >&2; exit 2; }
done

python3 build-aux/check-potfiles.py >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

extract() {
  # $1: the .pot to write. Files in POTFILES order; comments and blank lines skipped.
  grep -v '^[[:space:]]*\(#\|$\)' po/POTFILES > "$tmp/files"
  xgettext --package-name=hindsight --msgid-bugs-address='https://github.com/hindsight/hindsight/issues' \
    --from-code=UTF-8 --add-comments --sort-by-file \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
    --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
    --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
    --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
    --files-from="$tmp/files" --directory=. --output="$1"
}

languages() {
  grep -v '^[[:space:]]*\(#\|$\)' po/LINGUAS | tr -s ' \t' '\n' | grep -v '^$' || true
}

status=0
if [ "$mode" = update ]; then
  extract po/hindsight.pot
  echo "po/hindsight.pot: $(grep -c '^msgid ' po/hindsight.pot) messages (the first is the header)"
  for lang in $(languages); do
    msgmerge --quiet --update --backup=none --previous "po/$lang.po" po/hindsight.pot
    printf 'po/%s.po: ' "$lang"
    msgfmt --check --statistics --output-file=/dev/null "po/$lang.po"
  done
  echo "Translate what is untranslated or fuzzy (search for 'msgstr \"\"' and '#, fuzzy'), then run $0 --check."
  exit 0
fi

extract "$tmp/hindsight.pot"
for lang in $(languages); do
  msgmerge --quiet --previous --output-file="$tmp/$lang.po" "po/$lang.po" "$tmp/hindsight.pot"
  if ! stats=$(LC_ALL=C msgfmt --check --statistics --output-file=/dev/null "$tmp/$lang.po" 2>&1); then
    echo "po/$lang.po: msgfmt --check failed:" >&2
    echo "$stats" >&2
    status=1
    continue
  fi
  echo "po/$lang.po: $stats"
  if printf '%s' "$stats" | grep -q 'untranslated\|fuzzy'; then
    echo "po/$lang.po lacks these messages (run $0, then translate them):" >&2
    msgattrib --untranslated "$tmp/$lang.po" | grep '^msgid ' | sed 1d >&2 || true
    msgattrib --only-fuzzy "$tmp/$lang.po" | grep '^msgid ' | sed 1d | sed 's/^/fuzzy: /' >&2 || true
    status=1
  fi
done
exit $status
