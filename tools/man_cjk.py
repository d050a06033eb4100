#!/usr/bin/env python3
"""man_cjk.py SCDOC IN.scd OUT - runs scdoc on IN.scd and writes the page to
OUT with a break point (groff's \\:) between Chinese characters, so that
groff, which breaks lines only at spaces, can fill a Chinese paragraph
without "can't break line" warnings, and no space where a Chinese sentence
is wrapped in the source. No break goes before closing
punctuation or after opening punctuation. Hyphenation is off in every page."""
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


def is_text(line):
    return line != "" and not line.startswith((".", "'"))


cjk = re.compile("[%s]" % CJK)
punct = re.compile("[\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]")  # full-width punctuation
font = re.compile(r"^(\\f[BIRP])+|(\\f[BIRP])+$")

lines = page.split("\n")
# no hyphenation: rule names and options must read as typed (an.tmac turns
# it on again at .TH unless its register HY says otherwise)
lines.insert(next(i for i, l in enumerate(lines) if l.startswith(".TH")), ".nr HY 0")
fill = True
for i, line in enumerate(lines):
    if line.startswith(".nf"):
        fill = False
    elif line.startswith(".fi"):
        fill = True
    elif fill:
        lines[i] = breakable(line)
        # a Chinese sentence wrapped in the source goes on without a space
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if is_text(line) and is_text(nxt):
            a, b = font.sub("", line), font.sub("", nxt)
            if a and b and ((cjk.match(a[-1]) and cjk.match(b[0])) or punct.match(a[-1]) or punct.match(b[0])):
                ok = a[-1] not in NO_BREAK_AFTER and b[0] not in NO_BREAK_BEFORE
                lines[i] += "\\:\\c" if ok else "\\c"
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
