#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of the Export page through the accessibility tree, as a person uses it.

Builds the demo database as build-aux/dev.sh does (data/demo), starts the real hindsight binary
on it, then: opens the Export page from the sidebar, chooses the Candles dataset and the first
instrument, JSON lines, presses Export…, types a file name into the file chooser and saves, waits
for the toast that offers Open Folder, and compares the file byte for byte with
`hindsight-cli export candles` of the same instrument. Screenshots e2e-export-*.png. Run it
through tests/e2e/run-smoke.sh BUILD_DIR export_flow.py, which sets up Xvfb, D-Bus and the AT-SPI
bus.

Usage: export_flow.py BUILD_DIR [SCREENSHOT_DIR]     exit status 0 when every check passed
"""

import os
import subprocess
import sys
import time

import smoke  # noqa: F401  (sets dogtail's configuration before dogtail is used)
from shell import make_demo, screenshot
from smoke import check, click_center, find_app, labels_in, wait_for
from dogtail import predicate, rawinput  # noqa: E402


def find(node, name, role):
    return node.findChild(predicate.GenericPredicate(name=name, roleName=role),
                          retry=False, requireResult=False)


def visible(node, name, role, accept=lambda n: True):
    """The first node named @name with @role that is visible and @accept allows. (GTK 4.8 reports
    no "showing" state, and a page the stack does not show still has its widgets visible.)"""
    return next((n for n in node.findChildren(predicate.GenericPredicate(name=name,
                                                                         roleName=role))
                 if n.visible and accept(n)), None)


def choose(app, combo_name, item_text, steps):
    """Opens the drop-down named @combo_name and picks its item @item_text, @steps below the
    chosen one, with the keyboard (GTK 4.8 reports a popover's positions relative to the
    popover, so a click would miss)."""
    combo = wait_for(lambda: visible(app, combo_name, 'combo box'),
                     'a drop-down named %s' % combo_name)
    if combo is None:
        return False
    click_center(combo)
    time.sleep(1)          # the popover opens
    for _ in range(steps):
        rawinput.pressKey('Down')
    rawinput.pressKey('Return')
    return wait_for(lambda: item_text in labels_in(combo),
                    '%s shows %s' % (combo_name, item_text)) is not None


def is_inside(node, ancestor):
    while node is not None:
        if node == ancestor:
            return True
        node = node.parent
    return False


def main():
    dirs = smoke.folders(sys.argv, 'hindsight-export-')
    if dirs is None:
        print(__doc__, file=sys.stderr)
        return 2
    build_dir, shot_dir, workdir = dirs
    app_proc = None
    try:
        db = make_demo(build_dir, workdir)
        env = dict(os.environ, GSETTINGS_BACKEND='memory', GDK_BACKEND='x11',
                   GSETTINGS_SCHEMA_DIR=os.path.join(build_dir, 'data'), HOME=workdir)
        env.pop('HINDSIGHT_DB', None)
        app_proc = subprocess.Popen([os.path.join(build_dir, 'src', 'ui', 'hindsight'),
                                     '--db', db], env=env)
        app = wait_for(lambda: find_app('hindsight'), 'hindsight appears on the AT-SPI bus')
        if app is None:
            return 1
        wait_for(lambda: '6 instruments' in labels_in(app), 'the demo database is open')

        row = find(app, 'Export', 'list item')
        if not check(row is not None, 'the sidebar lists Export'):
            return smoke.summary(shot_dir)
        click_center(row)
        wait_for(lambda: 'Preview' in labels_in(app) and 'Columns' in labels_in(app),
                 'the Export page shows its preview and columns')
        screenshot(os.path.join(shot_dir, 'e2e-export-1-page.png'))

        # Candles: open the Dataset drop-down and click its item.
        if not choose(app, 'Dataset', 'Candles', 3) or not choose(app, 'Format', 'JSON lines', 1):
            return smoke.summary(shot_dir)
        # The Backtests page has an Instrument drop-down too; this one lists bars.
        instrument = wait_for(lambda: visible(app, 'Instrument', 'combo box',
                                              lambda n: any(' bars' in t for t in labels_in(n))),
                              'an Instrument drop-down listing the stored candles')
        if instrument is None:
            return smoke.summary(shot_dir)
        chosen = next((t for t in labels_in(instrument) if ' bars' in t), None)
        if chosen is None:
            return smoke.summary(shot_dir)
        symbol, interval = chosen.split(' · ')[0], chosen.split(' · ')[1]
        print('       %r' % chosen, flush=True)
        wait_for(lambda: any(t.endswith(' rows to export') for t in labels_in(app)),
                 'the bar says how many rows the export writes')
        screenshot(os.path.join(shot_dir, 'e2e-export-2-candles.png'))

        # Export…: the file chooser, a name typed as a path, Export.
        export = wait_for(lambda: next((b for b in app.findChildren(
            predicate.GenericPredicate(roleName='push button'))
            if b.name in ('_Export… Export…', 'Export…') and b.visible), None),
            'an Export… button')
        if export is None:
            return smoke.summary(shot_dir)
        click_center(export)
        target = os.path.join(workdir, 'picked.jsonl')
        chooser = wait_for(lambda: next((w for w in app.children if w.name == 'Export'), None),
                           'the file chooser opens, titled Export')
        if chooser is None:
            return smoke.summary(shot_dir)
        time.sleep(1)
        # The name field (which GTK 4.8's chooser does not expose by name) has the focus, with
        # the suggested DATASET.FORMAT in it: a whole path typed there saves there.
        rawinput.keyCombo('<Control>a')
        rawinput.typeText(target)
        time.sleep(0.3)
        screenshot(os.path.join(shot_dir, 'e2e-export-3-chooser.png'))
        rawinput.pressKey('Return')     # the chooser's default button, Export
        toast = wait_for(lambda: next((t for t in labels_in(app) if t.startswith('Exported ')),
                                      None), 'a toast says the export is done', timeout=60)
        check(toast is not None and toast.endswith(' to picked.jsonl'),
              'it names the file: %r' % toast)
        check(any('Folder' in (b.name or '') for b in app.findChildren(
            predicate.GenericPredicate(roleName='push button')) if b.visible),
            'the toast offers Open Folder')
        screenshot(os.path.join(shot_dir, 'e2e-export-4-done.png'))

        # The same file as the command line's.
        cli_out = os.path.join(workdir, 'cli.jsonl')
        subprocess.run([os.path.join(build_dir, 'src', 'cli', 'hindsight-cli'), '--db', db,
                        'export', 'candles', '--symbol', symbol, '--interval', interval,
                        '--format', 'jsonl', '--out', cli_out], check=True,
                       stdout=subprocess.DEVNULL)
        with open(cli_out, 'rb') as f:
            want = f.read()
        got = b''
        if check(os.path.exists(target), 'the file is where it was asked for'):
            with open(target, 'rb') as f:
                got = f.read()
        check(got == want and len(want) > 0,
              'it is byte for byte the CLI\'s export (%d and %d bytes)' % (len(got), len(want)))
        check(not any(n.startswith('.picked') for n in os.listdir(workdir)),
              'no temporary file is left beside it')
        check(app_proc.poll() is None, 'hindsight is still running')
    finally:
        smoke.stop(app_proc, workdir)
    return smoke.summary(shot_dir)


if __name__ == '__main__':
    sys.exit(main())
