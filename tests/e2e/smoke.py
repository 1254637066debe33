#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end smoke test of the hindsight GUI through the accessibility tree.

Builds a small database with hindsight-cli, starts the real hindsight binary on it, finds the
coverage table by its accessible role and name, checks the instruments and dates it lists,
filters it through the search button and entry as a person would, and saves a screenshot of
the screen. Needs an X display, a session bus and the AT-SPI bus: run it through
tests/e2e/run-smoke.sh, which sets them up. Uses Debian's /usr/bin/python3 with python3-dogtail.

Usage: smoke.py BUILD_DIR [SCREENSHOT_DIR]     exit status 0 when every check passed
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from dogtail.config import config

# GTK 4 talks to the AT-SPI bus whatever the toolkit-accessibility key says; dogtail's own check
# reads that key through GSettings, which run-smoke.sh may run with the memory backend.
config.checkForA11y = False
config.logDebugToFile = False
config.logDebugToStdOut = False
config.searchShowingOnly = False      # GTK 4.8 reports no widget as "showing"

from dogtail import predicate, rawinput, tree  # noqa: E402  (after the config above)

TIMEOUT = 30.0

BARS = {
    # symbol: (exchange, kind, interval, rows as (timestamp, o, h, l, c, v))
    'AAPL': ('NASDAQ', 'stock', '1d', [
        ('2024-01-02', 185.6, 188.4, 183.9, 185.6, 82488700),
        ('2024-01-03', 184.2, 185.9, 183.4, 184.3, 58414500),
        ('2024-01-04', 182.2, 183.1, 180.9, 181.9, 71983600),
        ('2024-01-05', 181.9, 182.8, 180.2, 181.2, 62303300),
    ]),
    'SPY': ('ARCA', 'etf', '1d', [
        ('2024-01-02', 472.2, 473.7, 470.5, 472.7, 123623700),
        ('2024-01-03', 470.4, 471.2, 468.2, 468.8, 103585900),
    ]),
    'BTC-USD': ('COINBASE', 'crypto', '1m', [
        ('2024-03-01T14:30:00Z', 61000, 61050, 60990, 61020, 12.5),
        ('2024-03-01T14:31:00Z', 61020, 61080, 61000, 61070, 9.25),
        ('2024-03-01T14:32:00Z', 61070, 61100, 61040, 61045, 7.0),
    ]),
}

# What the table must show for those rows (as hs_coverage_format_time writes the dates).
EXPECTED_LABELS = ['AAPL', 'SPY', 'BTC-USD', 'NASDAQ', 'ETF', '2024-01-02', '2024-01-05',
                   '2024-03-01 14:30', '2024-03-01 14:32', '1d', '1m']

failures = []


def check(ok, what):
    print(('ok     ' if ok else 'FAILED ') + what, flush=True)
    if not ok:
        failures.append(what)
    return ok


def wait_for(condition, what, timeout=TIMEOUT):
    """Polls condition() until it returns something true; the GUI answers asynchronously."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except Exception:          # a node can vanish while we walk the tree
            value = None
        if value:
            check(True, what)
            return value
        if time.monotonic() > deadline:
            check(False, what + ' (timed out)')
            return None
        time.sleep(0.2)


def make_database(build_dir, workdir):
    cli = os.path.join(build_dir, 'src', 'cli', 'hindsight-cli')
    db = os.path.join(workdir, 'smoke.db')
    for symbol, (exchange, kind, interval, rows) in BARS.items():
        path = os.path.join(workdir, symbol + '.csv')
        with open(path, 'w') as f:
            f.write('timestamp,open,high,low,close,volume\n')
            for row in rows:
                f.write(','.join(str(x) for x in row) + '\n')
        subprocess.run([cli, '--db', db, 'import', 'bars', path, '--symbol', symbol,
                        '--exchange', exchange, '--kind', kind, '--interval', interval],
                       check=True, stdout=subprocess.DEVNULL)
    return db


def find_app(name):
    return next((a for a in tree.root.applications() if a.name == name), None)


def click_center(node):
    # GTK 4.8 reports positions relative to the window ("Screen coordinates not supported");
    # under Xvfb without a window manager the window sits at 0,0, so they are screen positions.
    x, y = node.position
    w, h = node.size
    rawinput.click(x + w // 2, y + h // 2)


def labels_in(node):
    return {n.name for n in node.findChildren(predicate.GenericPredicate(roleName='label'))}


def folders(argv, prefix):
    """BUILD_DIR [SCREENSHOT_DIR] from argv, and a new temporary folder; None without them."""
    if len(argv) < 2:
        return None
    build_dir = os.path.abspath(argv[1])
    shot_dir = os.path.abspath(argv[2] if len(argv) > 2
                               else os.path.join(build_dir, 'screenshots'))
    os.makedirs(shot_dir, exist_ok=True)
    return build_dir, shot_dir, tempfile.mkdtemp(prefix=prefix)


def stop(app_proc, workdir):
    """Ends the app if it still runs and removes the temporary folder."""
    if app_proc is not None and app_proc.poll() is None:
        app_proc.send_signal(signal.SIGTERM)
        try:
            app_proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app_proc.kill()
    shutil.rmtree(workdir, ignore_errors=True)


def summary(shot_dir):
    """The exit status: 1 when a check failed."""
    if failures:
        print('%d check(s) failed' % len(failures), flush=True)
        return 1
    print('all checks passed; screenshots in ' + shot_dir, flush=True)
    return 0


def main():
    dirs = folders(sys.argv, 'hindsight-smoke-')
    if dirs is None:
        print(__doc__, file=sys.stderr)
        return 2
    build_dir, shot_dir, workdir = dirs
    app_proc = None
    try:
        db = make_database(build_dir, workdir)
        env = dict(os.environ, GSETTINGS_BACKEND='memory', GDK_BACKEND='x11',
                   HINDSIGHT_DB=os.path.join(workdir, 'not-this-one.db'))
        # --db wins over $HINDSIGHT_DB.
        app_proc = subprocess.Popen([os.path.join(build_dir, 'src', 'ui', 'hindsight'),
                                     '--db', db], env=env)

        app = wait_for(lambda: find_app('hindsight'), 'hindsight appears on the AT-SPI bus')
        if app is None:
            return 1
        frame = wait_for(lambda: app.findChild(predicate.GenericPredicate(roleName='frame'),
                                               retry=False, requireResult=False),
                         'the main window')
        check(frame is not None and frame.name == 'smoke.db — Hindsight',
              'the window is titled after the database: %r' % (frame and frame.name))

        table = wait_for(lambda: app.findChild(
            predicate.GenericPredicate(name='Market data coverage', roleName='tree table'),
            retry=False, requireResult=False), 'the coverage table, by role and name')
        if table is None:
            return 1
        shown = wait_for(lambda: (lambda s: s if 'AAPL' in s else None)(labels_in(table)),
                         'the table lists AAPL once the database is read')
        for text in EXPECTED_LABELS:
            check(shown is not None and text in shown, 'the table shows %r' % text)
        check('3 instruments · 3 series · 9 rows' in labels_in(app),
              'the summary counts 3 instruments, 3 series and 9 rows')

        subprocess.run(['import', '-window', 'root',
                        os.path.join(shot_dir, 'e2e-coverage.png')], check=False)

        # Filter as a person does: go to the Data page, click Search, click into the entry,
        # type, watch the table.
        data = app.findChild(predicate.GenericPredicate(name='Data', roleName='list item'),
                             retry=False, requireResult=False)
        if check(data is not None, 'the sidebar lists the Data page'):
            click_center(data)
            wait_for(lambda: data.selected, 'the Data page is selected in the sidebar')
        search = wait_for(lambda: app.findChild(
            predicate.GenericPredicate(name='Search', roleName='toggle button'),
            retry=False, requireResult=False) or app.findChild(
            predicate.GenericPredicate(name='Search', roleName='push button'),
            retry=False, requireResult=False), 'a button named Search')
        if search is not None:
            click_center(search)
            entry = wait_for(lambda: app.findChild(
                predicate.GenericPredicate(name='Filter instruments', roleName='entry'),
                retry=False, requireResult=False), 'the filter entry')
            if entry is not None:
                wait_for(lambda: entry.size[0] > 0, 'the search bar reveals its entry')
                click_center(entry)
                wait_for(lambda: entry.focused, 'the filter entry has the keyboard focus')
                rawinput.typeText('spy')
                remaining = wait_for(
                    lambda: (lambda s: s if 'AAPL' not in s and 'SPY' in s else None)(
                        labels_in(table)),
                    'typing "spy" leaves only SPY in the table')
                check(remaining is not None and 'BTC-USD' not in remaining,
                      'the filter hides BTC-USD')
                subprocess.run(['import', '-window', 'root',
                                os.path.join(shot_dir, 'e2e-filtered.png')], check=False)
        check(app_proc.poll() is None, 'hindsight is still running')
    finally:
        stop(app_proc, workdir)
    return summary(shot_dir)


if __name__ == '__main__':
    sys.exit(main())
