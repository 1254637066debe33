#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of the window's shell through the accessibility tree.

Builds the demo database with hindsight-cli as build-aux/dev.sh does (data/demo), starts the real
hindsight binary on it, waits for the Overview to list the six instruments, then visits every
page by clicking its row in the sidebar as a person would, checks the row is then the selected
one and that the screen changed, and saves a screenshot of each page. Run it through
tests/e2e/run-smoke.sh BUILD_DIR shell.py, which sets up Xvfb, D-Bus and the AT-SPI bus.

Usage: shell.py BUILD_DIR [SCREENSHOT_DIR]     exit status 0 when every check passed
"""

import hashlib
import os
import subprocess
import sys

import smoke  # noqa: F401  (sets dogtail's configuration before dogtail is used)
from smoke import check, click_center, find_app, labels_in, wait_for
from dogtail import predicate  # noqa: E402

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# build-aux/dev.sh's demo: file, symbol, kind, interval.
DEMO = [
    ('spy_daily.csv', 'SPY', 'etf', '1d'),
    ('qqq_daily.csv', 'QQQ', 'etf', '1d'),
    ('aapl_daily.csv', 'AAPL', 'stock', '1d'),
    ('ibm_daily.csv', 'IBM', 'stock', '1d'),
    ('spy_minute_2013-10.csv', 'SPY', 'stock', '1m'),
    ('nvda-1999-2014.txt', 'NVDA', 'stock', '1d'),
    ('orcl-1995-2014.txt', 'ORCL', 'stock', '1d'),
]

# Each page, and a text only that page shows.
PAGES = [
    ('Data', lambda s: any(t.startswith('Live and historical data from market-data providers')
                           for t in s)),
    ('Backtests', lambda s: 'Instrument' in s and 'Money and Costs' in s),
    ('Trades', lambda s: any(' · mean P&L ' in t for t in s)),
    ('Export', lambda s: 'Preview' in s and 'Columns' in s),
    ('Overview', lambda s: '6 instruments' in s),
]


def make_demo(build_dir, workdir):
    cli = os.path.join(build_dir, 'src', 'cli', 'hindsight-cli')
    db = os.path.join(workdir, 'demo.db')
    for name, symbol, kind, interval in DEMO:
        subprocess.run([cli, '--db', db, 'import', 'bars',
                        os.path.join(SOURCE, 'data', 'demo', name), '--symbol', symbol,
                        '--kind', kind, '--interval', interval],
                       check=True, stdout=subprocess.DEVNULL)
    return db


def screenshot(path):
    subprocess.run(['import', '-window', 'root', path], check=False)
    try:
        with open(path, 'rb') as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def main():
    dirs = smoke.folders(sys.argv, 'hindsight-shell-')
    if dirs is None:
        print(__doc__, file=sys.stderr)
        return 2
    build_dir, shot_dir, workdir = dirs
    app_proc = None
    try:
        db = make_demo(build_dir, workdir)
        env = dict(os.environ, GSETTINGS_BACKEND='memory', GDK_BACKEND='x11',
                   GSETTINGS_SCHEMA_DIR=os.path.join(build_dir, 'data'))
        env.pop('HINDSIGHT_DB', None)
        app_proc = subprocess.Popen([os.path.join(build_dir, 'src', 'ui', 'hindsight'),
                                     '--db', db], env=env)

        app = wait_for(lambda: find_app('hindsight'), 'hindsight appears on the AT-SPI bus')
        if app is None:
            return 1
        frame = wait_for(lambda: app.findChild(predicate.GenericPredicate(roleName='frame'),
                                               retry=False, requireResult=False),
                         'the main window')
        check(frame is not None and frame.name == 'demo.db — Hindsight',
              'the window is titled after the database: %r' % (frame and frame.name))
        wait_for(lambda: '6 instruments' in labels_in(app),
                 'the Overview counts the demo\'s 6 instruments')
        for symbol in ('AAPL · 1d', 'SPY · 1m', 'NVDA · 1d'):
            check(symbol in labels_in(app), 'the Overview lists %s' % symbol)
        last = screenshot(os.path.join(shot_dir, 'e2e-shell-overview.png'))

        for name, shows in PAGES:
            row = app.findChild(predicate.GenericPredicate(name=name, roleName='list item'),
                                retry=False, requireResult=False)
            if not check(row is not None, 'the sidebar lists %s' % name):
                continue
            click_center(row)
            wait_for(lambda: row.selected, 'clicking %s selects it in the sidebar' % name)
            wait_for(lambda: shows(labels_in(app)), 'the %s page has its content' % name)
            # Wait for the new page to be on screen: the screenshot must change.
            path = os.path.join(shot_dir, 'e2e-shell-%s.png' % name.lower())
            digest = wait_for(lambda: (lambda d: d if d != last else None)(screenshot(path)),
                              'the screen shows the %s page' % name)
            last = digest or last
        check(app_proc.poll() is None, 'hindsight is still running')
    finally:
        smoke.stop(app_proc, workdir)
    return smoke.summary(shot_dir)


if __name__ == '__main__':
    sys.exit(main())
