#!/usr/bin/env bash
# Hindsight's two set-up commands (see README):
#   build-aux/dev.sh run    install what is missing, build, open the app on a demo database
#   build-aux/dev.sh test   the same set-up, then the whole suite: a -Werror build and a build
#                           with AddressSanitizer + UndefinedBehaviorSanitizer, unit, CLI and GUI
#                           tests (the GUI ones under Xvfb)
# Other commands: build, demo (make build/demo.db only), bench (meson benchmarks).
# Environment: HS_SKIP_INSTALL=1 skips the package check; HS_NO_SANITIZE=1 skips the second build.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
build=build
build_asan=build-asan

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_packages=(
  meson ninja-build pkg-config gcc libc6-dev tzdata
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsqlite3-dev
  libcurl4-openssl-dev libjson-glib-dev libsoup-3.0-dev libsecret-1-dev
  gettext desktop-file-utils appstream locales
  xvfb xauth dbus dbus-x11 at-spi2-core python3 python3-dogtail imagemagick
  gnome-keyring
)
dnf_packages=(
  meson ninja-build pkgconf-pkg-config gcc glibc-devel tzdata libasan libubsan
  glib2-devel gtk4-devel libadwaita-devel sqlite-devel
  libcurl-devel json-glib-devel libsoup3-devel libsecret-devel
  gettext desktop-file-utils appstream glibc-locale-source
  xorg-x11-server-Xvfb xorg-x11-xauth dbus-daemon dbus-x11 at-spi2-core python3 python3-dogtail
  ImageMagick
  gnome-keyring
)

install_deps() {
  [ "${HS_SKIP_INSTALL:-}" = 1 ] && return 0
  if command -v apt-get >/dev/null 2>&1; then
    local missing=()
    for p in "${apt_packages[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      say "Installing: ${missing[*]}"
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
    fi
  elif command -v dnf >/dev/null 2>&1; then
    local missing=()
    for p in "${dnf_packages[@]}"; do
      rpm -q "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      say "Installing: ${missing[*]}"
      as_root dnf install -y "${missing[@]}"
    fi
  else
    echo "No apt-get or dnf here: install the packages listed in build-aux/dev.sh by hand." >&2
  fi
}

configure() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    say "Configuring $dir"
    meson setup "$dir" -Dwerror=true "$@"
  fi
}

build_main() {
  configure "$build"
  say "Building"
  ninja -C "$build"
}

demo_db() {
  local db="$here/$build/demo.db" cli="$here/$build/src/cli/hindsight-cli"
  say "Demo database $db"
  "$cli" --db "$db" import bars data/demo/spy_daily.csv --symbol SPY --kind etf --interval 1d
  "$cli" --db "$db" import bars data/demo/qqq_daily.csv --symbol QQQ --kind etf --interval 1d
  "$cli" --db "$db" import bars data/demo/aapl_daily.csv --symbol AAPL --interval 1d
  "$cli" --db "$db" import bars data/demo/ibm_daily.csv --symbol IBM --interval 1d
  "$cli" --db "$db" import bars data/demo/spy_minute_2013-10.csv --symbol SPY --interval 1m
  "$cli" --db "$db" import bars data/demo/nvda-1999-2014.txt --symbol NVDA --interval 1d
  "$cli" --db "$db" import bars data/demo/orcl-1995-2014.txt --symbol ORCL --interval 1d
}

run_suite() {
  local dir=$1
  say "Tests in $dir"
  # GUI tests need a display and a session bus (GTK's accessibility bridge finds the AT-SPI
  # bus through it): the whole suite runs inside one Xvfb server and one D-Bus session.
  xvfb-run -a -s "-screen 0 1400x900x24" \
    dbus-run-session -- env GDK_BACKEND=x11 GSK_RENDERER=cairo \
    meson test -C "$dir" --print-errorlogs --num-processes 2
  # One plain closing line per build, counted from meson's own summary.
  local log="$dir/meson-logs/testlog.txt" ok fail
  ok=$(sed -n 's/^Ok: *//p' "$log" | tail -n 1)
  fail=$(sed -n 's/^Fail: *//p' "$log" | tail -n 1)
  echo "$dir: $((${ok:-0})) passed, $((${fail:-0})) failed"
}

cmd=${1:-}
case "$cmd" in
  run)
    install_deps
    build_main
    demo_db
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$build/src/ui/hindsight" ]; then
      say "Opening Hindsight on $build/demo.db"
      # Run from the build tree: the window's settings schema is compiled in build/data, and
      # "Load the Demo Data" finds the demo files in the source tree.
      GSETTINGS_SCHEMA_DIR="$here/$build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}" \
      HINDSIGHT_LOCALEDIR="$here/$build/po" \
      HINDSIGHT_DEMO_DIR="$here/data/demo" \
        exec "$build/src/ui/hindsight" --db "$here/$build/demo.db"
    fi
    say "No display: the demo through hindsight-cli"
    "$build/src/cli/hindsight-cli" --db "$build/demo.db" instruments
    echo
    "$build/src/cli/hindsight-cli" --db "$build/demo.db" bars SPY --interval 1d \
      --from 2013-10-01 --to 2013-10-11
    echo
    echo "Open it in the app on a desktop with: $build/src/ui/hindsight --db $build/demo.db"
    ;;
  test)
    install_deps
    build_main
    run_suite "$build"
    if [ "${HS_NO_SANITIZE:-}" != 1 ]; then
      configure "$build_asan" -Db_sanitize=address,undefined -Db_lundef=false \
        --buildtype=debug
      say "Building with AddressSanitizer + UndefinedBehaviorSanitizer"
      ninja -C "$build_asan"
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:fast_unwind_on_malloc=0 \
      LSAN_OPTIONS=suppressions="$here/build-aux/lsan.supp":print_suppressions=0 \
      UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        run_suite "$build_asan"
    fi
    say "All tests passed"
    ;;
  build)
    install_deps
    build_main
    ;;
  demo)
    build_main
    demo_db
    ;;
  bench)
    install_deps
    configure build-release --buildtype=release
    ninja -C build-release
    meson test -C build-release --benchmark --print-errorlogs -v
    ;;
  *)
    echo "usage: build-aux/dev.sh run|test|build|demo|bench" >&2
    exit 2
    ;;
esac
