#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks that po/POTFILES names exactly the files with strings marked for translation:
#   C sources (.c, .h)       a literal in _(), N_(), C_(), NC_(), ngettext(), g_dngettext(), ...
#   GtkBuilder files (.ui)   translatable="yes"
#   GSettings schemas        <summary> or <description> under a gettext-domain
#   desktop / metainfo .in   always (their names and descriptions are translated by merge_file)
# A file with marked strings that POTFILES lacks is an error (its strings would silently stay
# English); so is a POTFILES line naming a file that is gone or has nothing marked.
#
# Usage: check-potfiles.py [--root DIR] [--potfiles FILE]   (exit 0 ok, 1 mismatch, 2 usage)
# The lists of folders scanned are SCAN_DIRS below; see docs/i18n.md.

import argparse
import os
import re
import sys

SCAN_DIRS = ['src', 'ui', 'data']
SKIP_DIRS = {'demo', 'screenshots'}

C_MARK = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|ngettext|dngettext|g_dngettext|'
                    r'g_dgettext|g_dpgettext2|pgettext|gettext)\s*\(\s*(?:"|[A-Za-z_]+\s*,\s*")')
UI_MARK = re.compile(r'translatable\s*=\s*"(?:yes|true)"')
SCHEMA_MARK = re.compile(r'gettext-domain\s*=.*?<(?:summary|description)\b', re.S)


# A marked literal continued by a format macro ("%" G_GINT64_FORMAT " s"): xgettext extracts only
# the pieces, so the message the program looks up is never in the catalogue.
MACRO_IN_MARK = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|ngettext)\s*\(\s*'
                           r'(?:"(?:[^"\\\n]|\\.)*"\s*,?\s*)+(G_G[A-Z0-9]*_FORMAT)')


def macro_formats(path):
    """(line, macro) of each marked string that a format macro breaks."""
    with open(path, encoding='utf-8', errors='replace') as f:
        text = strip_c_comments(f.read())
    return [(text.count('\n', 0, m.start()) + 1, m.group(1)) for m in MACRO_IN_MARK.finditer(text)]


def strip_c_comments(text):
    # Comments may quote marked strings ("use _(\"…\")"): they do not make a file translatable.
    # Newlines are kept so that line numbers stay right.
    return re.sub(r'/\*.*?\*/|//[^\n]*', lambda m: ' ' + '\n' * m.group().count('\n'), text,
                  flags=re.S)


def has_marked_strings(path):
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
    except OSError:
        return False
    if name.endswith(('.c', '.h')):
        return C_MARK.search(strip_c_comments(text)) is not None
    if name.endswith('.ui'):
        return UI_MARK.search(text) is not None
    if name.endswith('.gschema.xml'):
        return SCHEMA_MARK.search(text) is not None
    if name.endswith(('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in', '.desktop.in.in',
                      '.metainfo.xml.in.in')):
        return True
    return False


def marked_files(root):
    found = set()
    for top in SCAN_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for name in filenames:
                path = os.path.join(dirpath, name)
                if has_marked_strings(path):
                    found.add(os.path.relpath(path, root).replace(os.sep, '/'))
    return found


def read_potfiles(path):
    listed = []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append((number, line))
    return listed


def main():
    parser = argparse.ArgumentParser(description='Check po/POTFILES against the sources.')
    parser.add_argument('--root', default=os.path.join(os.path.dirname(__file__), '..'))
    parser.add_argument('--potfiles', default=None)
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    potfiles = args.potfiles or os.path.join(root, 'po', 'POTFILES')

    try:
        listed = read_potfiles(potfiles)
    except OSError as e:
        print(f'{potfiles}: {e.strerror}', file=sys.stderr)
        return 2

    problems = []
    seen = {}
    for number, name in listed:
        if name in seen:
            problems.append(f'{potfiles}:{number}: {name} is listed twice (first on line {seen[name]})')
            continue
        seen[name] = number
        full = os.path.join(root, name)
        if not os.path.isfile(full):
            problems.append(f'{potfiles}:{number}: {name} is listed but does not exist')
        elif not has_marked_strings(full):
            problems.append(f'{potfiles}:{number}: {name} is listed but has no marked strings')
    for name in sorted(marked_files(root) - set(seen)):
        problems.append(f'{potfiles}: {name} has marked strings but is not listed')
    for name in sorted(seen):
        if name.endswith(('.c', '.h')) and os.path.isfile(os.path.join(root, name)):
            for line, macro in macro_formats(os.path.join(root, name)):
                problems.append(f'{name}:{line}: a marked string is continued by {macro}, which '
                                'xgettext cannot read: use %lld with a (long long) cast')

    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f'{len(problems)} problem(s); fix po/POTFILES (see docs/i18n.md)', file=sys.stderr)
        return 1
    print(f'{potfiles}: all {len(seen)} files with marked strings are listed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
