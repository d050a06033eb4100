#!/usr/bin/env python3
"""man_cjk.py SCDOC IN.scd OUT - runs scdoc on IN.scd and writes the page to
OUT with a break point (groff's \\:) between Chinese characters, so that
groff, which breaks lines only at spaces, can fill a Chinese paragraph
without "can't break line" warnings. No break goes before closing
punctuation or after opening punctuation. English pages pass unchanged."""
import re
import subprocess
import sys

scdoc, src, out = sys.argv[1:4]
with open(src, "rb") as f:
    run = subprocess.run([scdoc], stdin=f, stdout=subprocess.PIPE)
if run.returncode != 0:
    sys.exit("man_cjk.py: scdoc failed on %s" % src)
page = run.stdout.decode("utf-8")

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
NO_BREAK_BEFORE = "，。、；：？！）》」』】〉”’"
NO_BREAK_AFTER = "（《「『【〈“‘"
pair = re.compile("([%s])(?=[%s])" % (CJK, CJK))


def breakable(line):
    if line.startswith((".", "'")) and not line.startswith((".B ", ".I ")):
        return line

    def mark(m):
        nxt = line[m.end()] if m.end() < len(line) else ""
        if m.group(1) in NO_BREAK_AFTER or nxt in NO_BREAK_BEFORE:
            return m.group(1)
        return m.group(1) + "\\:"
    return pair.sub(mark, line)


lines = page.split("\n")
fill = True
for i, line in enumerate(lines):
    if line.startswith(".nf"):
        fill = False
    elif line.startswith(".fi"):
        fill = True
    elif fill:
        lines[i] = breakable(line)
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
