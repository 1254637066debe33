#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keep docs/hindsight-cli.1 in step with the commands hindsight-cli has.

    check-man.py SOURCE_ROOT [HINDSIGHT_CLI]   check; exit 1 naming what is missing or stale
    check-man.py --self-test SOURCE_ROOT       make sure a man page missing a command, one
                                               describing a command that is gone, and a command
                                               table with a new command are all refused

The commands are read from the command table of src/cli/main.c and, when the program is given,
from `hindsight-cli --help` too (so the two cannot drift either). Each must have a subsection
`.SS name` in the COMMANDS section of the man page, and every subsection there must be a
command. Every option of `hindsight-cli --help` must appear in OPTIONS. Standard library only.
"""

import os
import re
import shutil
import subprocess
import sys

import selftest
from selftest import edit


def table_commands(main_c):
    with open(main_c, encoding='utf-8') as f:
        text = f.read()
    m = re.search(r'HsCliCommand\s+commands\[\]\s*=\s*\{(.*?)\n\};', text, re.S)
    if not m:
        raise SystemExit('%s: no commands[] table' % main_c)
    return re.findall(r'\{\s*"([a-z][a-z0-9-]*)"\s*,', m.group(1))


def help_commands_and_options(cli):
    out = subprocess.run([cli, '--help'], capture_output=True, text=True, check=True,
                         env=dict(os.environ, LC_ALL='C')).stdout
    commands, options, section = [], [], None
    for line in out.splitlines():
        if line.startswith('Commands:'):
            section = 'commands'
        elif line.startswith('Options:'):
            section = 'options'
        elif section == 'commands' and line.startswith('  '):
            commands.append(line.split()[0])
        elif section == 'options' and line.startswith('  --'):
            options.append(line.split()[0])
    return commands, options


def man_sections(man_path):
    """Returns the .SS names under .SH COMMANDS and the text of .SH OPTIONS."""
    with open(man_path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    commands, options_text, section = [], [], None
    for line in lines:
        if line.startswith('.SH'):
            section = line[3:].strip().strip('"').upper()
        elif section == 'COMMANDS' and line.startswith('.SS'):
            commands.append(line[3:].strip().strip('"'))
        elif section == 'OPTIONS':
            options_text.append(line)
    return commands, '\n'.join(options_text).replace('\\-', '-')


def check(root, cli=None):
    problems = []
    man = os.path.join(root, 'docs', 'hindsight-cli.1')
    table = table_commands(os.path.join(root, 'src', 'cli', 'main.c'))
    documented, options_text = man_sections(man)
    expected = list(table)
    if cli is not None:
        from_help, options = help_commands_and_options(cli)
        if from_help != table:
            problems.append('hindsight-cli --help lists %s, the table in src/cli/main.c %s'
                            % (from_help, table))
        for opt in options:
            if opt not in options_text:
                problems.append('%s: option %s of hindsight-cli --help is not under OPTIONS'
                                % (man, opt))
    for name in expected:
        if name not in documented:
            problems.append('%s: command "%s" has no ".SS %s" under COMMANDS' % (man, name, name))
    for name in documented:
        if name not in expected:
            problems.append('%s: ".SS %s" describes no command of hindsight-cli' % (man, name))
    return problems


def self_test(root):
    man = os.path.join('docs', 'hindsight-cli.1')
    main_c = os.path.join('src', 'cli', 'main.c')

    def copy(dest):
        os.makedirs(os.path.join(dest, 'src', 'cli'))
        os.makedirs(os.path.join(dest, 'docs'))
        for rel in (man, main_c):
            shutil.copy(os.path.join(root, rel), os.path.join(dest, rel))

    # The first command's subsection: ".SS name" and its body up to the next .SS or .SH.
    first = table_commands(os.path.join(root, main_c))[0]
    with open(os.path.join(root, man), encoding='utf-8') as f:
        section = re.search(r'^\.SS "?%s"?\n(?:(?!\.S[SH]).*\n)*' % re.escape(first), f.read(),
                            re.M).group(0)

    cases = [
        ('a command missing from the man page',
         lambda d: edit(os.path.join(d, man), section, '')),
        ('a command added to the table only',
         lambda d: edit(os.path.join(d, main_c), 'commands[] = {\n',
                        'commands[] = {\n  { "frobnicate", "x", NULL },\n')),
        ('a man page section for a command that is gone',
         lambda d: edit(os.path.join(d, man), '.SH COMMANDS\n',
                        '.SH COMMANDS\n.SS frobnicate\nFrobnicates.\n')),
    ]
    return selftest.run(copy, check, cases)


def main(argv):
    return selftest.main(argv, __doc__, self_test,
                         lambda args: (check(*args),
                                       'docs/hindsight-cli.1 describes every command and option'))


if __name__ == '__main__':
    sys.exit(main(sys.argv))
