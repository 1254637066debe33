#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest against the rest of the source tree (docs/packaging.md).

    check-manifest.py SOURCE_ROOT [MANIFEST]   check; exit 1 listing every problem
    check-manifest.py --self-test SOURCE_ROOT  break copies of the tree one way at a time and
                                               make sure each is refused (and the real one is not)

What is checked, because a Flatpak cannot be built on a machine without the runtime:
  - the manifest is valid JSON (duplicate keys count as invalid);
  - its id equals the application id everywhere else: app_id in meson.build, the desktop file's
    name and Icon=, the metainfo's <id> and <launchable>, the icon file names, the GSettings
    schema id;
  - runtime and SDK are the GNOME ones, the command is hindsight;
  - the hindsight module builds with meson and every -D option it passes is declared in
    meson_options.txt;
  - every archive or file source is pinned by a sha256, every git source by a commit;
  - finish-args are the minimal set (network, IPC, Wayland with X11 fallback, DRI) and grant no
    file-system access and no direct keyring access (files go through the file-chooser portal,
    secrets through the secret portal).
Python 3 standard library only.
"""

import json
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET

import selftest
from selftest import edit

REQUIRED_FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
]
# Broader than needed: plain X11 next to fallback-x11, every device, the session's secrets
# service (libsecret uses the secret portal inside the sandbox).
REFUSED_FINISH_ARGS = [
    '--socket=x11',
    '--device=all',
    '--talk-name=org.freedesktop.secrets',
]


class Problems(list):
    def add(self, fmt, *args):
        self.append(fmt % args if args else fmt)


def no_duplicate_keys(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError('duplicate key "%s"' % key)
        seen[key] = value
    return seen


def read_text(path, problems):
    try:
        with open(path, encoding='utf-8') as f:
            return f.read()
    except OSError as e:
        problems.add('%s: cannot read: %s', path, e.strerror)
        return None


def meson_app_id(root, problems):
    text = read_text(os.path.join(root, 'meson.build'), problems)
    if text is None:
        return None
    m = re.search(r"^app_id\s*=\s*'([^']+)'", text, re.M)
    if not m:
        problems.add('meson.build: no app_id = \'…\' line')
        return None
    return m.group(1)


def meson_options(root, problems):
    text = read_text(os.path.join(root, 'meson_options.txt'), problems)
    if text is None:
        return set()
    return set(re.findall(r"^\s*option\(\s*'([^']+)'", text, re.M))


def desktop_keys(path, problems):
    text = read_text(path, problems)
    keys = {}
    if text is None:
        return keys
    group = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith('[') and line.endswith(']'):
            group = line[1:-1]
        elif group == 'Desktop Entry' and '=' in line and not line.startswith('#'):
            key, value = line.split('=', 1)
            keys[key.strip()] = value.strip()
    return keys


def check_ids(root, app_id, problems):
    data = os.path.join(root, 'data')

    build_id = meson_app_id(root, problems)
    if build_id is not None and build_id != app_id:
        problems.add('meson.build: app_id is "%s", the manifest\'s id "%s"', build_id, app_id)

    desktop = os.path.join(data, app_id + '.desktop.in')
    if not os.path.exists(desktop):
        problems.add('data/%s.desktop.in: missing (the desktop file is named by the app id)',
                     app_id)
    else:
        keys = desktop_keys(desktop, problems)
        if keys.get('Icon') != app_id:
            problems.add('%s: Icon is "%s", not the app id "%s"', desktop, keys.get('Icon'), app_id)
        if keys.get('Exec', '').split(' ')[0] != 'hindsight':
            problems.add('%s: Exec is "%s", not hindsight', desktop, keys.get('Exec'))

    metainfo = os.path.join(data, app_id + '.metainfo.xml.in')
    if not os.path.exists(metainfo):
        problems.add('data/%s.metainfo.xml.in: missing', app_id)
    else:
        try:
            component = ET.parse(metainfo).getroot()
        except ET.ParseError as e:
            problems.add('%s: not XML: %s', metainfo, e)
            component = None
        if component is not None:
            mid = component.findtext('id')
            if mid != app_id:
                problems.add('%s: <id> is "%s", not the app id "%s"', metainfo, mid, app_id)
            launchables = [l.text for l in component.findall('launchable')
                           if l.get('type') == 'desktop-id']
            if launchables != [app_id + '.desktop']:
                problems.add('%s: <launchable type="desktop-id"> is %s, not "%s.desktop"',
                             metainfo, launchables, app_id)

    for rel in ('icons/hicolor/scalable/apps/%s.svg' % app_id,
                'icons/hicolor/symbolic/apps/%s-symbolic.svg' % app_id):
        if not os.path.exists(os.path.join(data, rel)):
            problems.add('data/%s: missing (icons are named by the app id)', rel)

    schema = os.path.join(data, app_id + '.gschema.xml')
    if not os.path.exists(schema):
        problems.add('data/%s.gschema.xml: missing', app_id)
    else:
        try:
            ids = [s.get('id') for s in ET.parse(schema).getroot().findall('schema')]
        except ET.ParseError as e:
            problems.add('%s: not XML: %s', schema, e)
            ids = []
        if app_id not in ids:
            problems.add('%s: no schema with id "%s" (has %s)', schema, app_id, ids)


def check_source(where, source, problems):
    if isinstance(source, str):
        return  # a JSON file of sources; not used here, and flatpak-builder checks its own
    kind = source.get('type')
    if kind in ('archive', 'file'):
        if 'url' in source or 'mirror-urls' in source:
            sha = source.get('sha256', '')
            if not re.fullmatch(r'[0-9a-f]{64}', sha):
                problems.add('%s: %s source %s is not pinned by a sha256', where, kind,
                             source.get('url'))
        elif 'path' not in source:
            problems.add('%s: %s source has neither url nor path', where, kind)
    elif kind == 'git':
        if not re.fullmatch(r'[0-9a-f]{40}', source.get('commit', '')):
            problems.add('%s: git source %s is not pinned by a commit', where, source.get('url'))
    elif kind in ('bzr', 'svn'):
        if not source.get('revision'):
            problems.add('%s: %s source is not pinned by a revision', where, kind)


def check_module(where, module, options, manifest_dir, problems, seen_hindsight):
    if isinstance(module, str):
        path = os.path.join(manifest_dir, module)
        text = read_text(path, problems)
        if text is None:
            return
        try:
            module = json.loads(text, object_pairs_hook=no_duplicate_keys)
        except ValueError as e:
            problems.add('%s: not valid JSON: %s', path, e)
            return
    name = module.get('name', '?')
    where = '%s/%s' % (where, name)
    for i, source in enumerate(module.get('sources', [])):
        check_source('%s source %d' % (where, i + 1), source, problems)
    for sub in module.get('modules', []):
        check_module(where, sub, options, manifest_dir, problems, seen_hindsight)
    if name == 'hindsight':
        seen_hindsight.append(module)
        if module.get('buildsystem') != 'meson':
            problems.add('%s: buildsystem is "%s", not meson', where, module.get('buildsystem'))
        for opt in module.get('config-opts', []):
            m = re.match(r'-D([^=]+)=', opt)
            if m and m.group(1) not in options:
                problems.add('%s: config option "%s" is not in meson_options.txt', where, opt)


def check(root, manifest_path):
    problems = Problems()
    text = read_text(manifest_path, problems)
    if text is None:
        return problems
    try:
        manifest = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except ValueError as e:
        problems.add('%s: not valid JSON: %s', manifest_path, e)
        return problems

    app_id = manifest.get('id', manifest.get('app-id'))
    if not app_id:
        problems.add('%s: no id', manifest_path)
        return problems
    if os.path.basename(manifest_path) != app_id + '.json':
        problems.add('%s: the file is not named %s.json', manifest_path, app_id)
    check_ids(root, app_id, problems)

    if manifest.get('runtime') != 'org.gnome.Platform':
        problems.add('%s: runtime is "%s", not org.gnome.Platform', manifest_path,
                     manifest.get('runtime'))
    if manifest.get('sdk') != 'org.gnome.Sdk':
        problems.add('%s: sdk is "%s", not org.gnome.Sdk', manifest_path, manifest.get('sdk'))
    if not re.fullmatch(r'\d+', str(manifest.get('runtime-version', ''))):
        problems.add('%s: runtime-version "%s" is not a GNOME release', manifest_path,
                     manifest.get('runtime-version'))
    if manifest.get('command') != 'hindsight':
        problems.add('%s: command is "%s", not hindsight', manifest_path, manifest.get('command'))

    finish = manifest.get('finish-args', [])
    for arg in REQUIRED_FINISH_ARGS:
        if arg not in finish:
            problems.add('%s: finish-args lack %s', manifest_path, arg)
    for arg in finish:
        if arg.startswith('--filesystem'):
            problems.add('%s: finish-args grant file-system access (%s); files go through the '
                         'file-chooser portal', manifest_path, arg)
        elif arg in REFUSED_FINISH_ARGS:
            problems.add('%s: finish-args grant more than needed (%s)', manifest_path, arg)
        elif arg not in REQUIRED_FINISH_ARGS:
            problems.add('%s: finish-args: %s is not in the minimal set', manifest_path, arg)

    options = meson_options(root, problems)
    seen_hindsight = []
    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
    for module in manifest.get('modules', []):
        check_module(app_id, module, options, manifest_dir, problems, seen_hindsight)
    if len(seen_hindsight) != 1:
        problems.add('%s: %d modules named hindsight, not one', manifest_path, len(seen_hindsight))
    else:
        modules = manifest.get('modules', [])
        last = modules[-1] if modules else None
        if last is not seen_hindsight[0]:
            problems.add('%s: the hindsight module is not the last one', manifest_path)
    return problems


# --- self-test -------------------------------------------------------------------------------

TREE_FILES = ['meson.build', 'meson_options.txt']


def copy_tree(root, app_id, dest):
    for rel in TREE_FILES:
        shutil.copy(os.path.join(root, rel), os.path.join(dest, rel))
    os.makedirs(os.path.join(dest, 'data'))
    os.makedirs(os.path.join(dest, 'flatpak'))
    for rel in (app_id + '.desktop.in', app_id + '.metainfo.xml.in', app_id + '.gschema.xml'):
        shutil.copy(os.path.join(root, 'data', rel), os.path.join(dest, 'data', rel))
    shutil.copytree(os.path.join(root, 'data', 'icons'), os.path.join(dest, 'data', 'icons'))
    shutil.copy(os.path.join(root, 'flatpak', app_id + '.json'),
                os.path.join(dest, 'flatpak', app_id + '.json'))


def edit_manifest(path, change):
    with open(path, encoding='utf-8') as f:
        manifest = json.load(f)
    change(manifest)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2)


def add_module(manifest, source):
    manifest['modules'].insert(0, {'name': 'libexample', 'buildsystem': 'meson',
                                   'sources': [source]})


def self_test(root):
    real = os.path.join(root, 'flatpak')
    names = [n for n in os.listdir(real) if n.endswith('.json')]
    if len(names) != 1:
        print('self-test: expected one manifest in flatpak/, found %s' % names)
        return 1
    app_id = names[0][:-len('.json')]
    m = 'flatpak/%s.json' % app_id
    cases = [
        ('invalid JSON', lambda d: edit(os.path.join(d, m), '"modules"', '"modules",')),
        ('duplicate key', lambda d: edit(os.path.join(d, m), '"command": "hindsight"',
                                         '"command": "hindsight", "command": "hindsight"')),
        ('manifest id differs', lambda d: edit_manifest(
            os.path.join(d, m), lambda j: j.__setitem__('id', app_id + '.Other'))),
        ('meson app_id differs', lambda d: edit(os.path.join(d, 'meson.build'),
                                                "app_id = '%s'" % app_id,
                                                "app_id = '%s.Other'" % app_id)),
        ('desktop Icon differs', lambda d: edit(os.path.join(d, 'data', app_id + '.desktop.in'),
                                                'Icon=' + app_id, 'Icon=hindsight')),
        ('metainfo id differs', lambda d: edit(
            os.path.join(d, 'data', app_id + '.metainfo.xml.in'),
            '<id>%s</id>' % app_id, '<id>%s.Other</id>' % app_id)),
        ('launchable differs', lambda d: edit(
            os.path.join(d, 'data', app_id + '.metainfo.xml.in'),
            '%s.desktop</launchable>' % app_id, 'hindsight.desktop</launchable>')),
        ('symbolic icon missing', lambda d: os.remove(os.path.join(
            d, 'data', 'icons', 'hicolor', 'symbolic', 'apps', app_id + '-symbolic.svg'))),
        ('schema id differs', lambda d: edit(os.path.join(d, 'data', app_id + '.gschema.xml'),
                                             'id="%s"' % app_id, 'id="%s.Other"' % app_id)),
        ('unknown meson option', lambda d: edit_manifest(
            os.path.join(d, m), lambda j: j['modules'][-1]['config-opts'].append('-Dnosuch=true'))),
        ('archive without sha256', lambda d: edit_manifest(os.path.join(d, m), lambda j: add_module(
            j, {'type': 'archive', 'url': 'https://example.org/libexample-1.0.tar.xz'}))),
        ('archive with a short sha256', lambda d: edit_manifest(
            os.path.join(d, m), lambda j: add_module(
                j, {'type': 'archive', 'url': 'https://example.org/libexample-1.0.tar.xz',
                    'sha256': 'abc123'}))),
        ('git without commit', lambda d: edit_manifest(os.path.join(d, m), lambda j: add_module(
            j, {'type': 'git', 'url': 'https://example.org/libexample.git', 'tag': 'v1.0'}))),
        ('--filesystem=home', lambda d: edit_manifest(
            os.path.join(d, m), lambda j: j['finish-args'].append('--filesystem=home'))),
        ('--filesystem=host', lambda d: edit_manifest(
            os.path.join(d, m), lambda j: j['finish-args'].append('--filesystem=host'))),
        ('secrets service name', lambda d: edit_manifest(
            os.path.join(d, m),
            lambda j: j['finish-args'].append('--talk-name=org.freedesktop.secrets'))),
        ('no Wayland socket', lambda d: edit_manifest(
            os.path.join(d, m), lambda j: j['finish-args'].remove('--socket=wayland'))),
        ('not the GNOME runtime', lambda d: edit_manifest(
            os.path.join(d, m), lambda j: j.__setitem__('runtime', 'org.freedesktop.Platform'))),
        ('hindsight built with cmake', lambda d: edit_manifest(
            os.path.join(d, m), lambda j: j['modules'][-1].__setitem__('buildsystem', 'cmake'))),
    ]
    return selftest.run(lambda d: copy_tree(root, app_id, d),
                        lambda d: check(d, os.path.join(d, m)), cases)


def check_args(args):
    root = args[0]
    if len(args) == 2:
        manifest = args[1]
    else:
        names = [n for n in os.listdir(os.path.join(root, 'flatpak')) if n.endswith('.json')]
        if len(names) != 1:
            return ['flatpak/: expected one manifest, found %s' % names], ''
        manifest = os.path.join(root, 'flatpak', names[0])
    return check(root, manifest), '%s: consistent with the source tree' % manifest


def main(argv):
    return selftest.main(argv, __doc__, self_test, check_args)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
