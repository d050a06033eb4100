#!/usr/bin/env python3
"""messages-marked.py - every message for people in src/ is marked for
translation (reference §7), and every source that holds marks is in
po/POTFILES.

A message position is the format argument of a function declared with
__attribute__((format(printf, N, M))) in src/ (dc_error_set, dc_diags_add,
cli_usage_error, rcv_hint, ...; not dc_buf_printf, which builds HTML and
machine formats), the argument of dc_error_set_git and cli_fail, and in src/cli
the text of printf, fprintf, puts and fputs. A string literal there (also in a
ternary or a concatenation) must be inside _(), N_() or P_(), unless it
holds no letters ("%s\\n", ", ") or it matches a line of
tests/docs/messages-allow.txt (machine formats: JSON, CSV keys, ...).

Usage: SOURCE_ROOT=/path/to/docctl python3 tests/docs/messages-marked.py
Speaks TAP; prints the number of unmarked places and the first 20.
"""
import os
import re
import sys

root = os.environ.get('SOURCE_ROOT') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
LIT = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def strip_comments(s):
    """Comments and preprocessor lines become blanks (newlines kept)."""
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == '\\' else 1
            out.append(s[i:j + 1])
            i = j + 1
        elif s.startswith('/*', i):
            j = s.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', s[i:j]))
            i = j
        elif s.startswith('//', i):
            j = s.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def split_args(s, start):
    """The arguments of the call whose '(' is at start: [(text, offset)]."""
    depth, i, args, cur = 0, start, [], start + 1
    n = len(s)
    while i < n:
        c = s[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == '\\' else 1
            i = j + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                args.append((s[cur:i], cur))
                return args
        elif c == ',' and depth == 1:
            args.append((s[cur:i], cur))
            cur = i + 1
        i += 1
    return args


def unmarked_literals(arg):
    """String literals of an argument that are not inside _( N_( P_( ."""
    marked = []
    for m in re.finditer(r'\b(?:_|N_|P_)\(', arg):
        a = split_args(arg, m.end() - 1)
        if a:
            end = a[-1][1] + len(a[-1][0])
            marked.append((m.start(), end))
    lits = []
    for m in LIT.finditer(arg):
        if not any(a <= m.start() < b for a, b in marked):
            lits.append(m.group(0))
    return lits


def sources():
    for sub in ('src/util', 'src/lib', 'src/cli'):
        d = os.path.join(root, sub)
        for f in sorted(os.listdir(d)):
            if f.endswith('.c') or f.endswith('.h'):
                yield sub + '/' + f


def main():
    texts = {p: strip_comments(open(os.path.join(root, p), encoding='utf-8').read()) for p in sources()}
    # the functions that take a printf format, and which argument it is
    funcs = {'dc_error_set_git': 0, 'cli_fail': 0}
    decl = re.compile(r'\b(\w+)\s*\([^;{]*?\)\s*__attribute__\s*\(\(\s*format\s*\(\s*printf\s*,\s*(\d+)\s*,\s*(\d+)', re.S)
    for t in texts.values():
        for m in decl.finditer(t):
            if m.group(3) != '0' and m.group(1) not in ('dc_buf_printf',):
                funcs[m.group(1)] = int(m.group(2)) - 1
    cli_funcs = {'printf': 0, 'fprintf': 1, 'puts': 0, 'fputs': 0}
    allow = []
    allow_path = os.path.join(root, 'tests/docs/messages-allow.txt')
    for line in open(allow_path, encoding='utf-8'):
        line = line.rstrip('\n')
        if line and not line.startswith('#'):
            allow.append(re.compile(line))
    bad = []
    for p, t in texts.items():
        table = dict(funcs)
        if p.startswith('src/cli/'):
            table.update(cli_funcs)
        for m in re.finditer(r'\b(\w+)\s*\(', t):
            name = m.group(1)
            if name not in table:
                continue
            # a declaration or definition, not a call
            before = t[max(0, m.start() - 40):m.start()]
            if re.search(r'(\bint|\bvoid|\bchar|\*)\s*$', before):
                continue
            args = split_args(t, m.end() - 1)
            k = table[name]
            if k >= len(args):
                continue
            for lit in unmarked_literals(args[k][0]):
                body = lit[1:-1]
                if not re.search(r'[A-Za-z\u4e00-\u9fff]', re.sub(r'%[-+ #0-9.*]*(?:hh|h|ll|l|z|j|t|L)?[a-zA-Z]|\\x[0-9a-fA-F]{2}|\\[nrt"\\]', '', body)):
                    continue
                if any(a.search(body) for a in allow):
                    continue
                line = t.count('\n', 0, args[k][1]) + 1
                bad.append('%s:%d: %s(%s)' % (p, line, name, lit[:70]))
    n = 0
    failed = 0
    n += 1
    if bad:
        failed += 1
        print('not ok %d - every message for people is marked for translation: %d unmarked' % (n, len(bad)))
        for b in (bad if os.environ.get("ALL") else bad[:20]):
            print('# ' + b)
    else:
        print('ok %d - every message for people is marked for translation' % n)
    # every source with marks is in po/POTFILES
    listed = set()
    for line in open(os.path.join(root, 'po/POTFILES'), encoding='utf-8'):
        line = line.strip()
        if line and not line.startswith('#'):
            listed.add(line)
    missing = [p for p, t in texts.items() if re.search(r'\b(?:_|N_|P_)\("', t) and p not in listed]
    missing = [p for p in missing if not p.endswith('i18n.h')]
    gone = [p for p in listed if not os.path.exists(os.path.join(root, p))]
    n += 1
    if missing or gone:
        failed += 1
        print('not ok %d - po/POTFILES lists the sources that hold messages' % n)
        for p in missing:
            print('# not in po/POTFILES: ' + p)
        for p in gone:
            print('# in po/POTFILES but missing: ' + p)
    else:
        print('ok %d - po/POTFILES lists the sources that hold messages' % n)
    print('1..%d' % n)
    return 1 if failed else 0


sys.exit(main())
