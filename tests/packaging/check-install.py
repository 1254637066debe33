#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Install the built tree into a temporary folder and check the desktop finds everything.

    check-install.py BUILD_DIR SOURCE_ROOT PREFIX BINDIR DATADIR MANDIR LOCALEDIR APP_ID VERSION

Runs `meson install --no-rebuild --destdir TMP` on the already-built tree (nothing is
compiled), then checks, under TMP/PREFIX, the files a desktop looks for: both programs (which
must run and print `NAME VERSION` for --version), the
desktop file (whose Exec and Icon must resolve inside the install), the AppStream metainfo
(whose launchable must be the installed desktop file), both icons, the GSettings schema, the
man pages and one .mo catalogue per language in po/LINGUAS. Output is TAP. Standard library only.
"""

import configparser
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def main(argv):
    if len(argv) != 10:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    build, source, prefix, bindir, datadir, mandir, localedir, app_id, version = argv[1:]

    def under(root, *parts):
        # Meson's directory options are relative to the prefix unless given absolute.
        path = os.path.join(prefix, *parts)
        return os.path.join(root, path.lstrip('/'))

    results = []

    def ok(cond, what):
        results.append((bool(cond), what))
        return cond

    with tempfile.TemporaryDirectory(prefix='hindsight-install-') as dest:
        meson = os.environ.get('MESON', 'meson').split()
        proc = subprocess.run(meson + ['install', '-C', build, '--no-rebuild', '--quiet',
                                       '--destdir', dest],
                              capture_output=True, text=True)
        if not ok(proc.returncode == 0, 'meson install --destdir succeeds'):
            print(proc.stdout + proc.stderr, file=sys.stderr)

        bin_hindsight = under(dest, bindir, 'hindsight')
        bin_cli = under(dest, bindir, 'hindsight-cli')
        for program in (bin_hindsight, bin_cli):
            name = os.path.basename(program)
            if ok(os.access(program, os.X_OK), '%s/%s is an executable' % (bindir, name)):
                # --version is answered before GTK opens a display or D-Bus is reached.
                out = subprocess.run([program, '--version'], capture_output=True, text=True)
                ok(out.returncode == 0 and out.stdout == '%s %s\n' % (name, version),
                   'the installed %s --version prints "%s %s" (got %r)'
                   % (name, name, version, out.stdout))

        desktop = under(dest, datadir, 'applications', app_id + '.desktop')
        if ok(os.path.isfile(desktop), 'share/applications/%s.desktop' % app_id):
            entry = configparser.ConfigParser(interpolation=None, strict=False)
            entry.optionxform = str
            entry.read(desktop, encoding='utf-8')
            exec_line = entry.get('Desktop Entry', 'Exec', fallback='')
            program = exec_line.split(' ')[0]
            ok(os.access(under(dest, bindir, program), os.X_OK),
               'the desktop file\'s Exec (%s) is installed in %s' % (program, bindir))
            icon = entry.get('Desktop Entry', 'Icon', fallback='')
            ok(icon == app_id and os.path.isfile(
                under(dest, datadir, 'icons', 'hicolor', 'scalable', 'apps', icon + '.svg')),
               'the desktop file\'s Icon (%s) is an installed hicolor icon' % icon)

        metainfo = under(dest, datadir, 'metainfo', app_id + '.metainfo.xml')
        if ok(os.path.isfile(metainfo), 'share/metainfo/%s.metainfo.xml' % app_id):
            component = ET.parse(metainfo).getroot()
            launchable = component.findtext('launchable')
            ok(launchable is not None and os.path.isfile(
                under(dest, datadir, 'applications', launchable)),
               'the metainfo\'s launchable (%s) is the installed desktop file' % launchable)

        for rel in (('icons', 'hicolor', 'scalable', 'apps', app_id + '.svg'),
                    ('icons', 'hicolor', 'symbolic', 'apps', app_id + '-symbolic.svg'),
                    ('glib-2.0', 'schemas', app_id + '.gschema.xml')):
            ok(os.path.isfile(under(dest, datadir, *rel)), 'share/' + '/'.join(rel))

        for page in ('hindsight-cli.1', 'hindsight.1'):
            ok(os.path.isfile(under(dest, mandir, 'man1', page)), 'man1/' + page)

        with open(os.path.join(source, 'po', 'LINGUAS'), encoding='utf-8') as f:
            languages = [w for line in f for w in line.split('#')[0].split()]
        for lang in languages:
            ok(os.path.isfile(under(dest, localedir, lang, 'LC_MESSAGES', 'hindsight.mo')),
               'locale/%s/LC_MESSAGES/hindsight.mo' % lang)

    print('1..%d' % len(results))
    for n, (passed, what) in enumerate(results, start=1):
        print('%s %d - %s' % ('ok' if passed else 'not ok', n, what))
    return 0 if all(p for p, _ in results) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
