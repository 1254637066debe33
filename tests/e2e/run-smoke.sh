#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a dogtail script of tests/e2e (smoke.py unless told) the way GUI-TESTING.md describes: a
# private X server (Xvfb), a private D-Bus session, the AT-SPI bus in it, then the script against
# build/src/ui/hindsight. Exits with the script's status (nonzero on any failed check), 77 (skip)
# when a tool is missing.
#
# Usage: tests/e2e/run-smoke.sh [BUILD_DIR [SCRIPT]]     (default: build smoke.py)
# Screenshots: BUILD_DIR/screenshots/e2e-*.png
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)

for tool in xvfb-run dbus-run-session import /usr/bin/python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-smoke.sh: $tool is missing (apt-get install xvfb xauth dbus at-spi2-core" \
         "python3-dogtail imagemagick)" >&2
    exit 77
  fi
done
if ! /usr/bin/python3 -c 'import dogtail' 2>/dev/null; then
  echo "run-smoke.sh: python3-dogtail is missing" >&2
  exit 77
fi
launcher=
for candidate in /usr/libexec/at-spi-bus-launcher /usr/lib/at-spi2-core/at-spi-bus-launcher; do
  [ -x "$candidate" ] && launcher=$candidate && break
done
if [ -z "$launcher" ]; then
  echo "run-smoke.sh: at-spi-bus-launcher is missing (apt-get install at-spi2-core)" >&2
  exit 77
fi
if [ ! -x "$build/src/ui/hindsight" ] || [ ! -x "$build/src/cli/hindsight-cli" ]; then
  echo "run-smoke.sh: build $build first (ninja -C $build)" >&2
  exit 1
fi

export HS_SMOKE_BUILD="$build" HS_SMOKE_SCRIPT="$here/${2:-smoke.py}" HS_SMOKE_LAUNCHER="$launcher"
exec xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- sh -c '
  gsettings set org.gnome.desktop.interface toolkit-accessibility true 2>/dev/null || true
  "$HS_SMOKE_LAUNCHER" --launch-immediately &
  launcher_pid=$!
  # The launcher registers org.a11y.Bus on the session bus; wait for it rather than guess.
  i=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
          org.freedesktop.DBus.NameHasOwner string:org.a11y.Bus 2>/dev/null \
        | grep -q "boolean true"; do
    i=$((i + 1))
    if [ "$i" -gt 100 ]; then echo "run-smoke.sh: no AT-SPI bus" >&2; exit 1; fi
    sleep 0.1
  done
  status=0
  /usr/bin/python3 "$HS_SMOKE_SCRIPT" "$HS_SMOKE_BUILD" || status=$?
  kill "$launcher_pid" 2>/dev/null || true
  exit "$status"
'
