#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of a backtest through the accessibility tree, as a person does it.

Builds the demo database as build-aux/dev.sh does (data/demo), starts the real hindsight binary
on it, then: opens the Backtests page from the sidebar (the setup), picks sma_cross in the
Strategy drop-down (its parameter form shows fast and slow), presses Run, waits for the toast and
opens the result (the statistics of sma_cross on the demo's first instrument), and opens the
MFE/MAE scatter. A screenshot of each step: e2e-backtest-1-setup.png … e2e-backtest-4-scatter.png.
Run it through tests/e2e/run-smoke.sh BUILD_DIR backtest_flow.py, which sets up Xvfb, D-Bus and
the AT-SPI bus.

Usage: backtest_flow.py BUILD_DIR [SCREENSHOT_DIR]     exit status 0 when every check passed
"""

import os
import subprocess
import sys
import time

import smoke  # noqa: F401  (sets dogtail's configuration before dogtail is used)
from shell import make_demo, screenshot
from smoke import check, click_center, find_app, labels_in, wait_for
from dogtail import predicate  # noqa: E402


def find(node, name, role):
    return node.findChild(predicate.GenericPredicate(name=name, roleName=role),
                          retry=False, requireResult=False)


def find_button(node, label):
    """The push button showing @label. GTK 4.8 names a button with a mnemonic label "_Run Run"
    (the label's text with its underline, then the text), one without it "Run"."""
    names = ('_%s %s' % (label, label), label)
    for name in names:
        button = find(node, name, 'push button')
        if button is not None:
            return button
    return None


def is_on(node):
    states = {str(s) for s in node.getState().getStates()}
    return any('PRESSED' in s or 'CHECKED' in s or 'SELECTED' in s for s in states)


def press(node):
    """Activates a widget through its accessible action when it has one (it need not be on
    screen), else clicks its centre."""
    for action in ('click', 'activate', 'press'):
        try:
            if action in node.actions:
                node.doActionNamed(action)
                return
        except Exception:       # a node without the Action interface
            break
    click_center(node)


def main():
    dirs = smoke.folders(sys.argv, 'hindsight-backtest-')
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
        wait_for(lambda: '6 instruments' in labels_in(app), 'the demo database is open')

        # 1. The setup: the Backtests page from the sidebar.
        row = find(app, 'Backtests', 'list item')
        if not check(row is not None, 'the sidebar lists Backtests'):
            return smoke.summary(shot_dir)
        click_center(row)
        wait_for(lambda: row.selected, 'clicking Backtests selects it')
        wait_for(lambda: 'Instrument' in labels_in(app) and 'Money and Costs' in labels_in(app),
                 'the Backtests page shows the setup form')
        status = wait_for(lambda: next((t for t in labels_in(app) if t.startswith('Ready: ')),
                                       None),
                          'the setup has read the instruments and can run')
        check(status is not None and ' on AAPL 1d, ' in status,
              'the first stored instrument and its daily bars are chosen: %r' % status)
        screenshot(os.path.join(shot_dir, 'e2e-backtest-1-setup.png'))

        # 2. Pick sma_cross: open the Strategy drop-down and click its item.
        strategy = find(app, 'Strategy', 'combo box')
        if check(strategy is not None, 'a drop-down named Strategy'):
            click_center(strategy)
            item = wait_for(lambda: next((n for n in app.findChildren(
                predicate.GenericPredicate(name='sma_cross')) if n.roleName != 'combo box'),
                None), 'the drop-down lists sma_cross')
            if item is not None:
                click_center(item)
        fast = wait_for(lambda: find(app, 'fast', 'spin button'),
                        'the parameter form has a spin button named fast')
        slow = find(app, 'slow', 'spin button')
        check(slow is not None, 'and one named slow')
        if fast is not None:
            check(fast.value == 10, 'fast shows the spec\'s default 10: %r' % fast.value)
        check(any(t.startswith('Ready: sma_cross on AAPL 1d') for t in labels_in(app)),
              'the setup is ready to run sma_cross')
        screenshot(os.path.join(shot_dir, 'e2e-backtest-2-strategy.png'))

        # 3. Run, wait for the toast, open the result.
        run = find_button(app, 'Run')
        if not check(run is not None, 'a Run button'):
            return smoke.summary(shot_dir)
        check(run.sensitive, 'Run can be pressed (states %s)' % run.getState().getStates())
        started = time.monotonic()
        click_center(run)
        toast = wait_for(lambda: next((t for t in labels_in(app)
                                       if t.startswith('Backtest finished: net profit ')), None),
                         'a toast says the backtest finished', timeout=120)
        print('       %r after %.1f s' % (toast, time.monotonic() - started), flush=True)
        opened = find(app, '_Open Open', 'push button')   # the toast's (mnemonic) button
        if check(opened is not None, 'the toast offers Open'):
            click_center(opened)
        wait_for(lambda: 'sma_cross on AAPL 1d' in labels_in(app),
                 'the result view shows sma_cross on AAPL 1d')
        shown = labels_in(app)
        for heading in ('Core', 'Risk', 'Trading', 'Advanced'):
            check(heading in shown, 'the statistics have a %s category' % heading)
        check('Sharpe ratio' in shown and 'Max drawdown' in shown,
              'the result shows the Sharpe ratio and the maximum drawdown')
        time.sleep(0.5)          # the charts' first frame
        screenshot(os.path.join(shot_dir, 'e2e-backtest-3-result.png'))

        # 4. Open the scatter.
        # GTK 4.8 reports a toggle button as a push button that is "pressed" when on.
        tab = find(app, 'MFE/MAE', 'toggle button') or find(app, 'MFE/MAE', 'push button')
        if check(tab is not None, 'a chart tab named MFE/MAE'):
            press(tab)
            if not wait_for(lambda: is_on(tab), 'the MFE/MAE tab is on', timeout=5):
                click_center(tab)      # no accessible action: click it, it is on screen
                wait_for(lambda: is_on(tab), 'a click turns the MFE/MAE tab on')
        chart = wait_for(lambda: find(app, 'MFE/MAE scatter of the trades', None)
                         or next(iter(app.findChildren(predicate.GenericPredicate(
                             name='MFE/MAE scatter of the trades'))), None),
                         'the scatter chart is in the window')
        if chart is not None:
            try:
                chart.grabFocus()   # the page scrolls the focused chart into view
            except Exception:
                pass
            check('scatter' in (chart.description or '').lower() or chart.description != '',
                  'the chart describes itself: %r' % chart.description)
        time.sleep(0.5)
        screenshot(os.path.join(shot_dir, 'e2e-backtest-4-scatter.png'))
        check(app_proc.poll() is None, 'hindsight is still running')
    finally:
        smoke.stop(app_proc, workdir)
    return smoke.summary(shot_dir)


if __name__ == '__main__':
    sys.exit(main())
