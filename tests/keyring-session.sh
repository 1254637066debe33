#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a test program ($1 …) inside a private Secret Service: gnome-keyring-daemon started on
# the session bus this script runs under (meson runs it with dbus-run-session), its keyrings in
# a fresh temporary home unlocked with a throw-away password, so that the test reaches the real
# libsecret → D-Bus → keyring path without touching the user's keyrings or needing a prompt.
set -eu

home=$(mktemp -d "${TMPDIR:-/tmp}/hs-keyring-XXXXXX")
# The daemon leaves with the private bus (dbus-run-session); it is stopped here first when it
# told its pid (never `kill 0`: that would be this whole process group).
trap 'if [ -n "${GNOME_KEYRING_PID:-}" ]; then kill "$GNOME_KEYRING_PID" 2>/dev/null || true; fi
      rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
       XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# A non-empty password: an empty one makes the daemon ask a prompter to confirm it. The daemon
# is not under test: it runs without the test environment's malloc checks and fatal warnings.
eval "$(printf 'hindsight-test-keyring' \
        | env -u MALLOC_CHECK_ -u MALLOC_PERTURB_ -u G_DEBUG -u ASAN_OPTIONS -u LSAN_OPTIONS \
              gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# The daemon claims the Secret Service name a moment after it forks: a call before that would
# have D-Bus start another daemon, one without the unlocked keyring. Wait for the name.
i=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
      | grep -q "boolean true"; do
  i=$((i + 1))
  if [ "$i" -gt 200 ]; then
    echo "keyring-session.sh: gnome-keyring-daemon did not claim org.freedesktop.secrets" >&2
    exit 1
  fi
  sleep 0.05
done
"$@"
