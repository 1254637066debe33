#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of Preferences, About and Restore from Backup through the accessibility tree.

Starts the real hindsight binary on the demo database (built as shell.py does), opens the
primary menu and clicks Preferences, finds the Daily backups switch and the Backups to keep
spin button by their accessible names, switches backups off and on again, visits the Provider
Tokens page (a Tradier row saying whether a token is stored), closes it, opens About Hindsight
from the menu and checks its version label, then opens Restore from Backup… (the daily backup
the app took on start-up is listed). Screenshots: e2e-prefs-*.png. Run it through
tests/e2e/run-smoke.sh BUILD_DIR prefs.py.

Usage: prefs.py BUILD_DIR [SCREENSHOT_DIR]     exit status 0 when every check passed
"""

import os
import subprocess
import sys

import smoke  # noqa: F401  (sets dogtail's configuration before dogtail is used)
from smoke import check, click_center, find_app, labels_in, wait_for
from shell import make_demo, screenshot
from dogtail import rawinput  # noqa: E402


def find(node, name, role):
    # A switch or spin button of a row is named by its own label and by the row's title.
    return node.findChild(lambda n: n.roleName == role and n.name is not None
                          and (n.name == name or n.name.startswith(name + ' ')),
                          retry=False, requireResult=False)


def press(node):
    # Menu items sit in a popover whose positions GTK 4.8 reports relative to the popover: use
    # the accessible action where there is one, else a click at the node's centre.
    for action in ('click', 'activate', 'press', 'toggle'):
        try:
            node.doActionNamed(action)
            return
        except Exception:  # noqa: BLE001 (dogtail raises plain exceptions for unknown actions)
            continue
    click_center(node)


def open_menu_item(app, label):
    button = find(app, 'Main menu', 'toggle button') or find(app, 'Main menu', 'push button')
    if not check(button is not None, 'the primary menu button is there'):
        return False
    click_center(button)
    item = wait_for(lambda: find(app, label.replace('_', ''), 'menu item')
                    or find(app, label.replace('_', ''), 'push button'),
                    'the primary menu has %s' % label)
    if item is None:
        return False
    press(item)
    return True


def main():
    dirs = smoke.folders(sys.argv, 'hindsight-prefs-')
    if dirs is None:
        print(__doc__, file=sys.stderr)
        return 2
    build_dir, shot_dir, workdir = dirs
    app_proc = None
    try:
        db = make_demo(build_dir, workdir)
        env = dict(os.environ, GSETTINGS_BACKEND='memory', GDK_BACKEND='x11',
                   GSETTINGS_SCHEMA_DIR=os.path.join(build_dir, 'data'),
                   XDG_DATA_HOME=os.path.join(workdir, 'data'))
        env.pop('HINDSIGHT_DB', None)
        app_proc = subprocess.Popen([os.path.join(build_dir, 'src', 'ui', 'hindsight'),
                                     '--db', db], env=env)
        app = wait_for(lambda: find_app('hindsight'), 'hindsight appears on the AT-SPI bus')
        if app is None:
            return 1
        wait_for(lambda: '6 instruments' in labels_in(app), 'the demo database is loaded')

        if open_menu_item(app, 'Preferences'):
            prefs = wait_for(lambda: find(app, 'Preferences', 'frame')
                             or find(app, 'Preferences', 'dialog'), 'the Preferences window')
            if prefs is not None:
                switch = wait_for(lambda: find(prefs, 'Daily backups', 'check box')
                                  or find(prefs, 'Daily backups', 'toggle button'),
                                  'the Daily backups switch')
                keep = find(prefs, 'Backups to keep', 'spin button')
                check(keep is not None and keep.value == 7,
                      'Backups to keep shows 7: %r' % (keep and keep.value))
                if switch is not None:
                    check(switch.checked, 'daily backups are on by default')
                    press(switch)
                    wait_for(lambda: not switch.checked, 'clicking switches backups off')
                    wait_for(lambda: not keep.sensitive, 'Backups to keep follows the switch')
                    screenshot(os.path.join(shot_dir, 'e2e-prefs-general.png'))
                    press(switch)
                    wait_for(lambda: switch.checked, 'clicking again switches them on')
                tokens = find(prefs, 'Provider Tokens', 'page tab')
                if check(tokens is not None, 'the Provider Tokens page button'):
                    press(tokens)
                    wait_for(lambda: any(t in labels_in(prefs)
                                         for t in ('Stored', 'Not stored', 'Keyring unavailable')),
                             'the Tradier row says whether a token is stored')
                    screenshot(os.path.join(shot_dir, 'e2e-prefs-tokens.png'))
                rawinput.pressKey('Escape')
                wait_for(lambda: find(app, 'Preferences', 'frame') is None,
                         'Escape closes Preferences')

        if open_menu_item(app, 'About Hindsight'):
            version = subprocess.run([os.path.join(build_dir, 'src', 'ui', 'hindsight'),
                                      '--version'], env=env, capture_output=True, text=True,
                                     check=False).stdout.split()[-1]
            wait_for(lambda: version in labels_in(app),
                     'the About window shows the version %s' % version)
            screenshot(os.path.join(shot_dir, 'e2e-prefs-about.png'))
            rawinput.pressKey('Escape')

        if open_menu_item(app, 'Restore from Backup…'):
            wait_for(lambda: 'Restore from Backup' in labels_in(app),
                     'the list of backups opens')
            screenshot(os.path.join(shot_dir, 'e2e-prefs-restore.png'))
            cancel = find(app, 'Cancel', 'push button')
            if cancel is not None:
                press(cancel)
        check(app_proc.poll() is None, 'hindsight is still running')
    finally:
        smoke.stop(app_proc, workdir)
    return smoke.summary(shot_dir)


if __name__ == '__main__':
    sys.exit(main())
