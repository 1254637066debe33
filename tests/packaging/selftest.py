# SPDX-License-Identifier: GPL-3.0-or-later
"""The --self-test runner the packaging checkers share: a checker is only trusted when it
refuses each of a list of deliberately broken copies of the tree and accepts the unchanged one.
Prints TAP; returns the exit status."""

import os
import tempfile


def edit(path, old, new):
    """Replaces the first @old in the file with @new; a self-test whose edit misses is a bug."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if old not in text:
        raise AssertionError('self-test: "%s" not in %s' % (old, path))
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text.replace(old, new, 1))


def run(copy, check, cases):
    """@copy(dest) makes a copy of the tree, @check(dest) returns its list of problems, and
    @cases is a list of (name, breakage(dest)) each of which must leave a problem."""
    failures = 0
    print('1..%d' % (len(cases) + 1))
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, 'good')
        os.makedirs(good)
        copy(good)
        problems = check(good)
        if problems:
            failures += 1
            print('not ok 1 - the unchanged copy passes: %s' % '; '.join(problems))
        else:
            print('ok 1 - the unchanged copy passes')
        for n, (name, breakage) in enumerate(cases, start=2):
            d = os.path.join(tmp, 'case%d' % n)
            os.makedirs(d)
            copy(d)
            breakage(d)
            problems = check(d)
            if problems:
                print('ok %d - refused: %s (%s)' % (n, name, problems[0].replace(d + '/', '')))
            else:
                failures += 1
                print('not ok %d - accepted a broken copy: %s' % (n, name))
    return 1 if failures else 0


def main(argv, doc, self_test, check):
    """The command line both checkers share: `--self-test SOURCE_ROOT`, or the check's own
    one or two arguments. @check(args) returns (problems, what to print when there are none)."""
    import sys
    if len(argv) == 3 and argv[1] == '--self-test':
        return self_test(argv[2])
    if len(argv) not in (2, 3):
        print(doc.strip(), file=sys.stderr)
        return 2
    problems, ok_message = check(argv[1:])
    for p in problems:
        print(p, file=sys.stderr)
    if not problems:
        print(ok_message)
    return 1 if problems else 0
