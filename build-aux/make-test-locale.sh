#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Compiles the de_DE.UTF-8 locale into a folder of the build tree, so that the translation tests
# run in German on a machine that never generated that locale (no root, no locale-gen): the
# tests set LOCPATH=<build>/tests/locale. Needs localedef and the locale sources
# (/usr/share/i18n: Debian's `locales`, Fedora's `glibc-locale-source`).
# Usage: make-test-locale.sh OUTDIR STAMP
set -eu
out=$1
stamp=$2
mkdir -p "$out"
# localedef exits 1 when it only warned (the output is written); 4 and up are errors.
status=0
localedef --no-archive -i de_DE -f UTF-8 "$out/de_DE.UTF-8" 2>"$out/localedef.log" || status=$?
if [ "$status" -gt 1 ] || [ ! -f "$out/de_DE.UTF-8/LC_NUMERIC" ]; then
  echo "make-test-locale.sh: localedef failed (exit $status):" >&2
  cat "$out/localedef.log" >&2
  exit 1
fi
touch "$stamp"
