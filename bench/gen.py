#!/usr/bin/env python3
"""gen.py - a deterministic corpus of controlled documents for docctl's benchmarks.

Writes a complete controlled repository (reference §2-§4): docctl.yaml, the default
schema, .docctl/allowed_signers and N documents of every type, each valid and
approved (approved_by an approver of the type who is not the owner), with the
required sections in order under varied numbering styles (`## 1 目的`,
`## 一、目的`, `## （一）目的`, `## 第一章 目的`, ...), bodies of about 3 KB
mixing Chinese (bench/sentences.txt, drawn from the project's seed text on
service-management documents) and English, relative
links to other documents, `references:` to other ids and fenced code blocks.
The repository gets one commit of everything and, with --commits K, K more
commits each re-approving one document (revision bumped, `change`, new
`approved_on`), all written with `git fast-import`. With --errors E, exactly E
documents carry one known error each and DIR/.expected-findings lists them
(`path:line:col rule`, sorted like docctl's output) for the smoke test.
DIR/.bench-info (JSON) tells bench/run the "today" to use, the id with the
longest history and the approver to push as.

Same arguments and seed, same bytes and the same commit ids. Python 3 stdlib only.

  gen.py --docs N --out DIR [--commits K] [--errors E] [--seed S]
  gen.py --reapprove REPO --count K --ref REF [--base REV] [--approver P]
      K commits on top of BASE (default HEAD), each re-approving one more
      document that P may approve (fewer when there are not K such
      documents), written to REF; prints REF's new commit and the count
  gen.py --draft FILE
      turn an approved document into its next draft revision (what
      `docctl revise` does): bump the revision, status draft, no approval
"""
import argparse
import datetime
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SENTENCES = os.path.join(HERE, "sentences.txt")
AS_OF = "2026-11-27"          # the "today" of every check of the corpus
AMBIGUOUS = ["适当", "尽量", "大概", "左右", "必要时", "as appropriate", "if possible", "TBD"]

# person id: (name, roles)
PEOPLE = [
    ("li.wei", "李伟", ["author"]),
    ("zhang.min", "张敏", ["qa-manager"]),
    ("wang.fang", "王芳", ["general-manager", "policy-admin"]),
    ("chen.jing", "陈静", ["customer-service-lead", "author"]),
    ("liu.yang", "刘洋", ["document-controller"]),
    ("zhao.lei", "赵磊", ["author"]),
    ("sun.li", "孙丽", ["author"]),
    ("zhou.qiang", "周强", ["author"]),
]
OWNERS = ["li.wei", "chen.jing", "zhao.lei", "sun.li", "zhou.qiang", "liu.yang"]
PUSHER = "zhang.min"          # holds an approver role of every type but manual

# name, id prefix, digits, folder, approver roles, sections, extra policy lines, share of N
TYPES = [
    ("manual", "SM", 3, "docs/manual", ["general-manager"],
     ["目的|Purpose", "适用范围|Scope", "术语|Terms", "服务方针|Policy"],
     ["review_every: P1Y", "max_words: 20000"], 0.001),
    ("procedure", "SP", 5, "docs/procedures", ["qa-manager", "general-manager"],
     ["目的|Purpose", "适用范围|Scope", "职责|Responsibilities", "程序|流程|Procedure", "记录|Records"],
     ["review_every: P1Y", "max_words: 6000"], 0.10),
    ("work-instruction", "WI", 5, "docs/work-instructions", ["qa-manager", "customer-service-lead"],
     ["目的|Purpose", "步骤|Steps"], ["review_every: P2Y", "max_words: 3000"], 0.20),
    ("form", "FM", 5, "docs/forms", ["qa-manager", "document-controller"], [],
     ["review_every: P1Y", "max_words: 2000"], 0.10),
    ("external", "EX", 5, "docs/external", ["document-controller", "qa-manager"], [],
     ["review_every: P1Y", "body: optional"], 0.05),
    ("record", "RC", 6, "records", ["qa-manager", "customer-service-lead"], [],
     ["retention: P3Y", "max_words: 5000"], None),
]
TYPE = {t[0]: t for t in TYPES}
LOWEST = "A/0"

TOPICS = [
    ("客户投诉处理", "complaint handling"), ("客户服务", "customer service"),
    ("服务需求调查", "service requirement survey"), ("服务策划", "service planning"),
    ("服务评价与改进", "service evaluation and improvement"), ("文件控制", "document control"),
    ("记录控制", "record control"), ("服务热线", "service hotline"), ("客户回访", "customer follow-up"),
    ("上门维修", "on-site repair"), ("备件管理", "spare parts management"),
    ("服务人员培训", "service staff training"), ("内部审核", "internal audit"),
    ("管理评审", "management review"), ("纠正措施", "corrective action"),
    ("供方评价", "supplier evaluation"), ("合同评审", "contract review"),
    ("服务交付", "service delivery"), ("顾客满意度测量", "customer satisfaction measurement"),
    ("信息安全", "information security"), ("设备维护保养", "equipment maintenance"),
    ("安装调试", "installation and commissioning"), ("应急响应", "emergency response"),
    ("服务质量检查", "service quality inspection"), ("客户信息保密", "customer data protection"),
    ("售前咨询", "pre-sales consultation"), ("售后服务", "after-sales service"),
    ("服务协议管理", "service agreement management"), ("工单派发", "work order dispatch"),
    ("能力与意识", "competence and awareness"),
]
AREAS = ["", "", "", "华东区", "华南区", "华北区", "西南区", "客服中心", "技术支持部", "市场部", "质量管理部"]
RECORD_KINDS = [("客户投诉登记表", "complaint record", "TS"), ("满意度调查表", "satisfaction survey", "SS"),
                ("服务需求调查报告", "service requirement survey", "RS"), ("上门服务单", "on-site service sheet", "OS"),
                ("培训签到表", "training attendance", "TR"), ("内审检查表", "internal audit checklist", "IA")]
EXTERNALS = [("质量管理体系 要求", "quality management systems requirements", "国家市场监督管理总局、国家标准化管理委员会"),
             ("信息技术 服务管理", "IT service management", "国家市场监督管理总局、国家标准化管理委员会"),
             ("顾客满意 组织投诉处理指南", "guidelines for complaints handling", "国家市场监督管理总局"),
             ("商品售后服务评价体系", "after-sales service evaluation", "国家标准化管理委员会"),
             ("客户合同 服务水平协议", "customer service level agreement", "客户")]
CHANGES = ["增加记录保存期限表", "修改投诉分级标准和响应时限", "补充电子签名批准方式", "调整职责分工",
           "更新表单编号", "增加服务热线接听要求", "删除重复的条款", "明确回访的时限和方式",
           "统一术语和定义", "增加信息安全要求", "修改备件申领流程", "补充培训考核要求",
           "增加客户信息保密条款", "调整评审周期", "修订引用文件清单", "简化审批步骤"]
ENGLISH = [
    "Every controlled document carries its number, revision and approval in the front-matter.",
    "The owner drafts the revision and an approver of the type reviews it before release.",
    "Only the approved revision on the protected branch is valid at the point of use.",
    "Customer complaints are acknowledged within 24 hours and closed within 10 working days.",
    "Service engineers record each visit on the on-site service sheet.",
    "Records are kept for the retention period and disposed of only after it has passed.",
    "The document controller keeps the master list of controlled documents current.",
    "Printed copies are uncontrolled unless stamped by the document controller.",
    "Obsolete documents are withdrawn from every point of use and marked as obsolete.",
    "The quality manager reviews the service objectives every quarter.",
    "Training needs are identified from audit findings and customer feedback.",
    "Suppliers of spare parts are evaluated once a year against delivery and quality.",
    "A change to this procedure is requested with the document change request form.",
    "The hotline operator logs the call, the customer and the promised response time.",
    "Corrective actions name an owner, a due date and the evidence of effectiveness.",
    "Customer data is stored in the service system and never sent by personal email.",
    "Each work order has a single responsible engineer at any time.",
    "The survey covers response time, competence, courtesy and overall satisfaction.",
    "Results below the target trigger a corrective action within five working days.",
    "Management review takes the satisfaction results and complaint trends as inputs.",
    "The engineer confirms the repair with the customer before closing the work order.",
    "Escalation goes to the customer service lead when the response time is exceeded.",
    "Field names follow the schema so that every tool reads them the same way.",
    "Links in a document point only at documents that exist in the repository.",
]
CODE_BLOCKS = [
    ("sh", ["# 批准并签名 / approve and sign", "docctl approve {id} --sign", "git push origin main"]),
    ("sh", ["# 列出到期评审的文件", "docctl review-due --as-of 2026-12-01", "# [not a link](missing.md)"]),
    ("yaml", ["# front-matter example", "id: {id}", "status: approved", "references: [SP-99999]"]),
    ("text", ["## 这不是标题 (not a heading)", "工单号  客户  响应时间", "WO-001  某物业  45 min"]),
    ("json", ['{{"id": "{id}", "revision": "A/0", "status": "draft"}}']),
]
EXTRA_HEADINGS = ["补充说明 Notes", "相关文件 Related documents", "附录 Appendix"]
CN = "零一二三四五六七八九十"


def cn_num(n):
    if n <= 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


STYLES = {
    "arabic": lambda i: f"{i} ",
    "arabic-dot": lambda i: f"{i}. ",
    "chinese": lambda i: f"{cn_num(i)}、",
    "paren-full": lambda i: f"（{cn_num(i)}）",
    "paren-half": lambda i: f"({i}) ",
    "chapter": lambda i: f"第{cn_num(i)}章 ",
    "article": lambda i: f"第{cn_num(i)}条 ",
    "none": lambda i: "",
}
STYLE_NAMES = sorted(STYLES)


def load_sentences(path=SENTENCES):
    """The Chinese sentences of the bodies (bench/sentences.txt, one a line)."""
    with open(path, encoding="utf-8") as f:
        out = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    for s in out:
        if re.search(r"[\[\]<>#*_`|~!\\]", s) or any(t.lower() in s.lower() for t in AMBIGUOUS):
            sys.exit(f"gen.py: {path}: a sentence with Markdown syntax or an ambiguous term: {s}")
    return out


# ---------------------------------------------------------------- revisions

def letter_next(s):
    n = 0
    for ch in s:
        n = n * 26 + (ord(ch) - 64)
    n += 1
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def bump(rev, letter=False):
    rev = str(rev)
    m = re.fullmatch(r"([A-Z]+)/([0-9]+)", rev)
    if m:
        return f"{letter_next(m.group(1))}/0" if letter else f"{m.group(1)}/{int(m.group(2)) + 1}"
    if re.fullmatch(r"[0-9]+", rev):
        return str(int(rev) + 1)
    if re.fullmatch(r"[A-Z]+", rev):
        return letter_next(rev)
    raise ValueError(f"cannot bump revision {rev!r}")


def day(base, n):
    return (datetime.date.fromisoformat(base) + datetime.timedelta(days=n)).isoformat()


# ---------------------------------------------------------------- the corpus

class Doc:
    __slots__ = ("id", "type", "path", "title", "title_en", "owner", "approver", "approved_on",
                 "effective", "revision", "change", "refs", "classification", "style", "seed",
                 "extra", "drop", "error", "reviewed", "topic", "links", "nrev")


def policy_text(people_roles):
    lines = [
        "# docctl.yaml - generated by bench/gen.py: the policy of a benchmark corpus.",
        "docctl: 1",
        "roots: [docs, records]",
        'protected: [refs/heads/main, "refs/heads/release/*"]',
        "revision_scheme: letter-number",
        "schema: schema/document.schema.yaml",
        "signers: .docctl/allowed_signers",
        "approval:",
        "  identity: [signature, pusher]",
        "  pusher_env: [GL_USER, GITEA_PUSHER_NAME, GL_USERNAME, REMOTE_USER]",
        "people:",
    ]
    for pid, name, roles in people_roles:
        lines.append(f"  {pid}: {{name: {name}, email: {pid}@example.com, roles: [{', '.join(roles)}]}}")
    lines += [
        "policy_approvers: [policy-admin]",
        "language:",
        "  ambiguous: [" + ", ".join(f'"{t}"' for t in AMBIGUOUS) + "]",
        "types:",
    ]
    for name, prefix, digits, folder, approvers, sections, extra, _ in TYPES:
        lines.append(f"  {name}:")
        lines.append(f'    id: "{prefix}-[0-9]{{{digits}}}"')
        lines.append(f"    approvers: [{', '.join(approvers)}]")
        if sections:
            lines.append("    sections: [" + ", ".join(f'"{s}"' for s in sections) + "]")
        lines += ["    " + e for e in extra]
        lines.append(f"    folder: {folder}")
    return "\n".join(lines) + "\n"


def signers_text():
    import base64
    import hashlib
    out = ["# allowed_signers - generated by bench/gen.py (placeholder keys, nobody holds them)"]
    for pid, _, roles in PEOPLE:
        if pid in OWNERS and roles == ["author"]:
            continue
        blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + hashlib.sha256(pid.encode()).digest()
        out.append(f'{pid}@example.com namespaces="git" ssh-ed25519 {base64.b64encode(blob).decode()} {pid}')
    return "\n".join(out) + "\n"


def approvers_of(tname):
    roles = TYPE[tname][4]
    return [pid for pid, _, r in PEOPLE if any(x in roles for x in r)]


def type_counts(n):
    counts = {}
    rest = n
    for t in TYPES:
        if t[7] is None:
            continue
        c = int(n * t[7])
        if t[0] == "manual":
            c = min(999, max(c, 1 if n >= 6 else 0))
        elif n >= 6:
            c = max(c, 1)
        c = min(c, rest)
        counts[t[0]] = c
        rest -= c
    counts["record"] = rest
    return counts


def slug(en):
    return re.sub(r"[^a-z0-9]+", "-", en.lower()).strip("-")


def make_docs(n, rng):
    docs = []
    counts = type_counts(n)
    for t in TYPES:
        tname, prefix, digits, folder = t[0], t[1], t[2], t[3]
        for k in range(1, counts[tname] + 1):
            d = Doc()
            d.type = tname
            d.id = f"{prefix}-{k:0{digits}d}"
            d.seed = rng.getrandbits(64)
            d.owner = rng.choice(OWNERS)
            cands = [p for p in approvers_of(tname) if p != d.owner]
            d.approver = rng.choice(cands)
            d.approved_on = day("2025-12-01", rng.randrange(0, 212))       # up to 2026-06-30
            d.effective = day(d.approved_on, rng.choice([0, 0, 0, 7, 14]))
            d.classification = rng.choice(["internal"] * 6 + ["public", "confidential"])
            d.style = rng.choice(STYLE_NAMES)
            d.extra = None
            d.drop = None
            d.error = None
            d.refs = []
            d.links = []
            d.nrev = 0
            d.reviewed = None
            topic = TOPICS[rng.randrange(len(TOPICS))]
            d.topic = topic
            area = rng.choice(AREAS)
            if tname == "record":
                kind = RECORD_KINDS[rng.randrange(len(RECORD_KINDS))]
                year = d.approved_on[:4]
                d.title = f"{kind[0]} {kind[2]}-{year}-{k:05d}"
                d.title_en = f"{kind[1]} {kind[2]}-{year}-{k:05d}"
                d.path = f"{folder}/{year}/{d.id}-{slug(kind[2] + ' ' + kind[1])}-{k}.md"
                if rng.random() < 0.2:
                    d.extra = ("retention", rng.choice(["P3Y", "P5Y", "P18M"]))
            elif tname == "external":
                ext = EXTERNALS[rng.randrange(len(EXTERNALS))]
                d.title = f"{ext[0]}（第{k}号）"
                d.title_en = f"{ext[1]} {k}"
                d.extra = ("source", ext[2], str(2010 + rng.randrange(16)))
                d.path = f"{folder}/{d.id}-{slug(ext[1])}.md"
            else:
                suffix = {"manual": ("服务手册", "service manual"), "procedure": ("程序", "procedure"),
                          "work-instruction": ("作业指导书", "work instruction"), "form": ("登记表", "register")}[tname]
                d.title = f"{area}{topic[0]}{suffix[0]}"
                d.title_en = f"{topic[1]} {suffix[1]}"
                d.path = f"{folder}/{d.id}-{slug(topic[1])}.md"
            if rng.random() < 0.3 and tname != "record":
                d.revision = rng.choice(["A/1", "A/2", "B/0", "B/1", "C/0"])
                d.change = rng.choice(CHANGES)
            else:
                d.revision = LOWEST
                d.change = None
            if tname != "record" and rng.random() < 0.1:
                rv = [p for p in approvers_of(tname) if p != d.owner]
                d.reviewed = (rng.choice(rv), day(d.approved_on, 30 + rng.randrange(60)))
            docs.append(d)
    # references and link targets: other documents, chosen per document
    nonrec = [d for d in docs if d.type != "record"]
    forms = [d for d in docs if d.type in ("form", "procedure")] or nonrec
    for d in docs:
        r = random.Random(d.seed)
        pool = forms if d.type == "record" else nonrec
        if pool:
            want = r.randrange(0, 5) if d.type != "record" else r.randrange(1, 3)
            seen = set()
            for _ in range(want):
                o = pool[r.randrange(len(pool))]
                if o is not d and o.id not in seen:
                    seen.add(o.id)
                    d.refs.append(o.id)
            d.links = [pool[r.randrange(len(pool))] for _ in range(r.randrange(1, 5))]
            d.links = [o for o in d.links if o is not d]
    return docs


def fm_lines(d):
    """The front-matter lines (without the --- lines) and the line of each key."""
    out = [f"id: {d.id}", f"title: {d.title}", f"type: {d.type}", f"revision: {d.revision}",
           "status: " + ("aproved" if d.error == "schema.enum" else "approved"), f"owner: {d.owner}"]
    if d.change:
        out.append(f"change: {d.change}")
    if d.refs:
        out.append("references: [" + ", ".join(d.refs) + "]")
    out.append(f"classification: {d.classification}")
    out += [f"approved_by: {d.approver}", f"approved_on: {d.approved_on}", f"effective: {d.effective}"]
    if d.reviewed:
        out += [f"reviewed_by: {d.reviewed[0]}", f"reviewed_on: {d.reviewed[1]}"]
    if d.extra and d.extra[0] == "source":
        out += [f"source: {d.extra[1]}", f'source_version: "{d.extra[2]}"']
    elif d.extra and d.extra[0] == "retention":
        out.append(f"retention: {d.extra[1]}")
    return out


def relpath(frm, to):
    return os.path.relpath(to, os.path.dirname(frm) or ".")


class Body:
    def __init__(self):
        self.lines = []
        self.h2 = []          # body line index of every level-2 heading
        self.marks = {}       # name -> (body line index, column)

    def para(self, lines):
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.lines += lines
        self.lines.append("")

    def heading(self, level, text):
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        if level == 2:
            self.h2.append(len(self.lines))
        self.lines.append("#" * level + " " + text)
        self.lines.append("")


def sentences(r, pool, n, english=0.2):
    out = []
    for _ in range(n):
        if r.random() < english or not pool:
            out.append(ENGLISH[r.randrange(len(ENGLISH))])
        else:
            out.append(pool[r.randrange(len(pool))])
    return out


def paragraph(r, pool, n):
    ss = sentences(r, pool, n)
    lines, cur = [], ""
    for s in ss:
        cur = (cur + (" " if cur and s[0].isascii() else "") + s) if cur else s
        if len(cur) > 60:
            lines.append(cur)
            cur = ""
    if cur:
        lines.append(cur)
    return lines


def link_line(d, o, r):
    dest = relpath(d.path, o.path)
    k = r.randrange(10)
    if k == 0:
        dest = "/" + o.path
    elif k == 1:
        dest += "#" + ("purpose" if o.type != "record" else "top")
    if r.random() < 0.5:
        return f"具体要求见[{o.title}]({dest})（{o.id}）。"
    return f"See [{o.title_en}]({dest}) for the details."


def section_label(pattern, r):
    alts = pattern.split("|")
    zh = [a for a in alts if not a.isascii()]
    en = [a for a in alts if a.isascii()]
    z = r.choice(zh) if zh else en[0]
    e = en[0] if en else z
    return r.choice([z, z, f"{z} {e}", e])


def render_body(d, pool, target):
    r = random.Random(d.seed ^ 0x5eed)
    b = Body()
    if d.type == "external" and r.random() < 0.25:
        return b
    b.heading(1, f"{d.title} {d.title_en[0].upper()}{d.title_en[1:]}")
    b.para(paragraph(r, pool, 2))
    if d.error == "link.broken":
        line = "另见[已撤销的草稿](missing-" + d.id.lower() + ".md)。"
        b.para([line])
        b.marks["link.broken"] = (len(b.lines) - 2, line.index("(") + 2)
    links = list(d.links)
    sections = TYPE[d.type][5]
    if d.type == "record":
        names = ["受理", "处理", "结果与关闭"]
    elif d.type == "form":
        names = ["填写说明", "表格"]
    elif d.type == "external":
        names = []
    else:
        names = list(sections)
    num = STYLES[d.style]
    code_at = r.randrange(max(1, len(names)))
    idx = 0
    for k, name in enumerate(names):
        if d.drop == k:
            continue
        if sections and k > 0 and r.random() < 0.15:
            idx += 1
            b.heading(2, num(idx) + EXTRA_HEADINGS[r.randrange(len(EXTRA_HEADINGS))])
            b.para(paragraph(r, pool, 2))
        idx += 1
        label = section_label(name, r) if sections else name
        b.heading(2, num(idx) + label)
        b.para(paragraph(r, pool, 2))  # every section says something (section.empty)
        size = target * (1 + k) // max(1, len(names))
        while sum(len(x.encode()) + 1 for x in b.lines) < size:
            c = r.randrange(8)
            if c < 4:
                b.para(paragraph(r, pool, r.randrange(2, 5)))
            elif c == 4 and links:
                b.para([link_line(d, links.pop(), r)])
            elif c == 5:
                b.para([f"{j}. " + s for j, s in enumerate(sentences(r, pool, 3), 1)])
            elif c == 6:
                b.para(["- " + s for s in sentences(r, pool, 3, 0.3)])
            else:
                b.para(["| 项目 Item | 内容 Content |", "|---|---|"] +
                       [f"| {s[:12]} | {t[:24]} |" for s, t in zip(sentences(r, pool, 3, 0), sentences(r, pool, 3))])
            if k == code_at and r.random() < 0.5:
                lang, code = CODE_BLOCKS[r.randrange(len(CODE_BLOCKS))]
                b.para(["```" + lang] + [x.format(id=d.id) for x in code] + ["```"])
                code_at = -1
    while links:
        b.para([link_line(d, links.pop(), r)])
    b.heading(2, "修订说明 Change notes")
    if d.change:
        b.para([f"本版（{d.revision}）更改：{d.change}。"])
    else:
        b.para([f"本版（{d.revision}）为首次发布。"])
    if b.lines and b.lines[-1] == "":
        b.lines.pop()
    return b


def render(d, pool):
    fm = fm_lines(d)
    target = 2000 + (d.seed % 1800)
    b = render_body(d, pool, target)
    text = "---\n" + "\n".join(fm) + "\n---\n" + ("\n".join(b.lines) + "\n" if b.lines else "")
    return text.encode("utf-8"), fm, b


ERROR_KINDS = ["schema.enum", "link.broken", "section.missing", "ref.unresolved",
               "approval.unauthorized", "person.unknown", "date.order"]


def inject_errors(docs, e, rng):
    """Marks e documents with one error each; returns them."""
    chosen = []
    taken = set()
    order = list(range(len(docs)))
    rng.shuffle(order)
    for i in range(e):
        kind = ERROR_KINDS[i % len(ERROR_KINDS)]
        for j in order:
            d = docs[j]
            if j in taken:
                continue
            if kind == "section.missing" and len(TYPE[d.type][5]) < 2:
                continue
            if kind == "link.broken" and d.type == "external":
                continue
            if kind == "approval.unauthorized" and d.owner == "zhao.lei":
                continue
            taken.add(j)
            d.error = kind
            if kind == "section.missing":
                d.drop = random.Random(d.seed).randrange(len(TYPE[d.type][5]) - 1)
            chosen.append(d)
            break
        else:
            sys.exit(f"gen.py: no document can take a {kind} error")
    return chosen


def apply_fm_error(d):
    if d.error == "ref.unresolved":
        d.refs = d.refs + [f"{d.id[:3]}{'9' * (len(d.id) - 3)}"]
    elif d.error == "approval.unauthorized":
        d.approver = "zhao.lei"
    elif d.error == "person.unknown":
        d.owner = "nobody.here"
    elif d.error == "date.order":
        d.effective = day(d.approved_on, -1)


def expected_finding(d, fm, b):
    """(path, line, col, rule) of a document's injected error."""
    def fm_line(prefix):
        for i, x in enumerate(fm):
            if x.startswith(prefix):
                return i + 2, x
        raise KeyError(prefix)
    body0 = len(fm) + 3          # the line number of the first body line
    if d.error == "schema.enum":
        ln, _ = fm_line("status: ")
        return (d.path, ln, 9, "schema.enum")
    if d.error == "ref.unresolved":
        ln, x = fm_line("references: ")
        return (d.path, ln, x.rindex(" ") + 2 if ", " in x else len("references: [") + 1, "ref.unresolved")
    if d.error == "approval.unauthorized":
        return (d.path, fm_line("approved_by: ")[0], 14, "approval.unauthorized")
    if d.error == "person.unknown":
        return (d.path, fm_line("owner: ")[0], 8, "person.unknown")
    if d.error == "date.order":
        return (d.path, fm_line("effective: ")[0], 12, "date.order")
    if d.error == "link.broken":
        ln, col = b.marks["link.broken"]
        return (d.path, body0 + ln, col, "link.broken")
    if d.error == "section.missing":
        # docctl reports it at the first level-2 heading after the previous
        # required section (its text, after "## ")
        prev = d.drop - 1
        found = -1
        secs = TYPE[d.type][5]
        for h, li in enumerate(b.h2):
            text = b.lines[li][3:]
            if prev >= 0 and re.search(secs[prev], text, re.I):
                found = h
        li = b.h2[found + 1]
        return (d.path, body0 + li, 4, "section.missing")
    raise ValueError(d.error)


# ---------------------------------------------------------------- git

class FastImport:
    def __init__(self, repo):
        self.p = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet", "--date-format=raw"],
                                  stdin=subprocess.PIPE)
        self.w = self.p.stdin

    def data(self, payload):
        self.w.write(b"data %d\n" % len(payload))
        self.w.write(payload)
        self.w.write(b"\n")

    def commit(self, ref, who, when, message, files, parent=None, mark=None):
        self.w.write(f"commit {ref}\n".encode())
        if mark:
            self.w.write(f"mark :{mark}\n".encode())
        self.w.write(f"author {who} {when} +0800\ncommitter {who} {when} +0800\n".encode())
        self.data(message.encode())
        if parent:
            self.w.write(f"from {parent}\n".encode())
        for path, payload in files:
            self.w.write(f"M 100644 inline {path}\n".encode())
            self.data(payload)
        self.w.write(b"\n")

    def close(self):
        self.w.close()
        if self.p.wait() != 0:
            sys.exit("gen.py: git fast-import failed")


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def person_sig(pid):
    name = {p: n for p, n, _ in PEOPLE}.get(pid, pid)
    return f"{name} <{pid}@example.com>"


def epoch(date, minute=0):
    d = datetime.datetime.fromisoformat(date + "T09:00:00+08:00")
    return int(d.timestamp()) + 60 * minute


def git(repo, *args, capture=False):
    r = subprocess.run(["git", "-C", repo, *args], check=True, capture_output=capture)
    return r.stdout.decode().strip() if capture else None


def reapprove_doc(d, i, k, rng, as_of_span=("2026-07-01", 142)):
    d.nrev += 1
    d.revision = bump(d.revision, letter=rng.random() < 0.15)
    d.change = f"{rng.choice(CHANGES)}（第{d.nrev}次修订）"
    d.approver = rng.choice([p for p in approvers_of(d.type) if p != d.owner])
    d.approved_on = day(as_of_span[0], i * as_of_span[1] // max(1, k))
    d.effective = d.approved_on
    d.reviewed = None


def generate(args):
    out = os.path.abspath(args.out)
    if os.path.exists(out) and os.listdir(out):
        sys.exit(f"gen.py: {out} exists and is not empty")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(args.seed)
    pool = load_sentences()
    docs = make_docs(args.docs, rng)
    errs = inject_errors(docs, args.errors, random.Random(args.seed + 1)) if args.errors else []
    for d in errs:
        apply_fm_error(d)
    git(out, "init", "-q", "-b", "main")
    git(out, "config", "core.hooksPath", "/dev/null")
    fi = FastImport(out)
    static = [
        ("docctl.yaml", policy_text(PEOPLE).encode()),
        (".docctl/allowed_signers", signers_text().encode()),
        ("schema/document.schema.yaml", read_bytes(os.path.join(ROOT, "schema/document.schema.yaml"))),
        ("README.md", f"# Benchmark corpus\n\nGenerated by bench/gen.py: {args.docs} documents, seed {args.seed}.\n".encode()),
    ]
    files = list(static)
    expected = []
    dirs = set()
    for d in docs:
        payload, fm, b = render(d, pool)
        files.append((d.path, payload))
        if d.error:
            expected.append(expected_finding(d, fm, b))
    for path, payload in files:
        full = os.path.join(out, path)
        dn = os.path.dirname(full)
        if dn not in dirs:
            os.makedirs(dn, exist_ok=True)
            dirs.add(dn)
        with open(full, "wb") as f:
            f.write(payload)
    fi.commit("refs/heads/main", person_sig("wang.fang"), epoch("2026-06-30", 540),
              f"Import {args.docs} controlled documents\n", files, mark=1)
    del files
    # the history: K re-approvals; every 10th one is of the same procedure
    hrng = random.Random(args.seed + 2)
    elig = [d for d in docs if d.type not in ("record",) and not d.error]
    hist = next((d for d in elig if d.type == "procedure"), elig[0] if elig else None)
    for i in range(args.commits):
        d = hist if i % 10 == 0 else elig[hrng.randrange(len(elig))]
        reapprove_doc(d, i, args.commits, hrng)
        payload, _, _ = render(d, pool)
        with open(os.path.join(out, d.path), "wb") as f:
            f.write(payload)
        fi.commit("refs/heads/main", person_sig(d.owner), epoch(d.approved_on, i % 480),
                  f"Approve {d.id} revision {d.revision}\n\n{d.change}\n", [(d.path, payload)],
                  parent=None)
    fi.close()
    git(out, "read-tree", "main")
    subprocess.run(["git", "-C", out, "update-index", "-q", "--refresh"], check=False)
    with open(os.path.join(out, ".git/info/exclude"), "a") as f:
        f.write(".expected-findings\n.bench-info\n")
    expected.sort(key=lambda e: (e[0].encode(), e[1], e[2]))
    with open(os.path.join(out, ".expected-findings"), "w") as f:
        for p, ln, col, rule in expected:
            f.write(f"{p}:{ln}:{col} {rule}\n")
    info = {"docs": args.docs, "commits": args.commits, "errors": args.errors, "seed": args.seed,
            "as_of": AS_OF, "history_id": hist.id if hist else None,
            "history_revisions": (hist.nrev + 1) if hist else 0, "pusher": PUSHER,
            "types": type_counts(args.docs)}
    with open(os.path.join(out, ".bench-info"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


# ---------------------------------------------------------------- edits of existing documents

FM_RE = re.compile(rb"\A---\r?\n(.*?\n)(?:---|\.\.\.)[ \t]*\r?\n", re.S)


def fm_get(fm, key):
    m = re.search(rb"^" + key.encode() + rb":[ \t]*(.*?)[ \t]*$", fm, re.M)
    return m.group(1).decode() if m else None


def fm_set(fm, key, value, after=None):
    line = f"{key}: {value}".encode()
    pat = re.compile(rb"^" + key.encode() + rb":.*$", re.M)
    if pat.search(fm):
        return pat.sub(lambda _: line, fm, count=1)
    if after:
        m = re.search(rb"^" + after.encode() + rb":.*$", fm, re.M)
        if m:
            return fm[:m.end()] + b"\n" + line + fm[m.end():]
    return fm + line + b"\n"


def fm_del(fm, key):
    return re.sub(rb"^" + key.encode() + rb":.*\n", b"", fm, flags=re.M)


def edit(text, fn):
    m = FM_RE.match(text)
    if not m:
        raise ValueError("no front-matter")
    fm = fn(m.group(1))
    return text[:m.start(1)] + fm + text[m.end(1):]


def reapprove_text(text, approver, date, change):
    state = {}

    def fn(fm):
        rev = fm_get(fm, "revision")
        new = bump(rev)
        state["rev"] = new
        fm = fm_set(fm, "revision", new)
        fm = fm_set(fm, "change", change, after="revision")
        fm = fm_set(fm, "status", "approved")
        fm = fm_set(fm, "approved_by", approver)
        fm = fm_set(fm, "approved_on", date)
        fm = fm_set(fm, "effective", date)
        for k in ("reviewed_by", "reviewed_on"):
            fm = fm_del(fm, k)
        return fm
    out = edit(text, fn)
    out = out.rstrip(b"\n") + f"\n\n本次修订（{state['rev']}）：{change}。\n".encode()
    return out, state["rev"]


def reapprove(args):
    repo = args.reapprove
    base = git(repo, "rev-parse", "--verify", args.base + "^{commit}", capture=True)
    people = {p: n for p, n, _ in PEOPLE}
    approvable = {t[0] for t in TYPES if args.approver in approvers_of(t[0]) and t[0] != "record"}
    folders = {TYPE[t][3] + "/": t for t in approvable}
    names = git(repo, "ls-tree", "-r", "--name-only", base, "--", "docs", capture=True).split("\n")
    names = sorted(p for p in names if p.endswith(".md") and any(p.startswith(f) for f in folders))
    rng = random.Random(args.seed + 3)
    rng.shuffle(names)
    cat = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    fi = FastImport(repo)
    parent, n = base, 0
    for path in names:
        if n == args.count:
            break
        cat.stdin.write(f"{base}:{path}\n".encode())
        cat.stdin.flush()
        hdr = cat.stdout.readline().split()
        size = int(hdr[2])
        text = cat.stdout.read(size)
        cat.stdout.read(1)
        m = FM_RE.match(text)
        if not m:
            continue
        owner = fm_get(m.group(1), "owner")
        if fm_get(m.group(1), "status") != "approved" or owner == args.approver or owner not in people:
            continue
        change = f"{rng.choice(CHANGES)}（基准测试 {n + 1}）"
        new, rev = reapprove_text(text, args.approver, AS_OF, change)
        ident = fm_get(m.group(1), "id")
        fi.commit(args.ref, person_sig(owner), epoch(AS_OF, n % 600),
                  f"Approve {ident} revision {rev}\n", [(path, new)], parent=parent, mark=n + 1)
        parent = f":{n + 1}"
        n += 1
    cat.stdin.close()
    cat.wait()
    fi.close()
    if n == 0:
        sys.exit(f"gen.py: no document can be re-approved by {args.approver}")
    print(git(repo, "rev-parse", args.ref, capture=True), n)



# ---------------------------------------------------------------- signatures (issue 11)

JUNK_SIG = ("-----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgAAAA\n"
            " -----END SSH SIGNATURE-----")


GIT_DIRS = {}


def write_commit(repo, tree, parent, who, when, message, sign=None):
    """Writes a commit object (loose) and returns its id; `sign`: a function
    from the payload to an armoured SSH signature, or a string to use."""
    if repo not in GIT_DIRS:
        GIT_DIRS[repo] = git(repo, "rev-parse", "--absolute-git-dir", capture=True)
    gitdir = GIT_DIRS[repo]
    head = f"tree {tree}\nparent {parent}\nauthor {who} {when} +0800\ncommitter {who} {when} +0800\n"
    tail = f"\n{message}"
    sig = sign(head + tail) if callable(sign) else sign
    body = head + ("gpgsig " + sig.rstrip("\n").replace("\n", "\n ") + "\n" if sig else "") + tail
    data = body.encode()
    raw = b"commit %d\0" % len(data) + data
    oid = hashlib.sha1(raw).hexdigest()
    d = os.path.join(gitdir, "objects", oid[:2])
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, oid[2:])
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as f:
            f.write(zlib.compress(raw))
        os.replace(path + ".tmp", path)
    return oid


def ssh_signer(key):
    def sign(payload):
        r = subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", "git", "-f", key], input=payload.encode(),
                           capture_output=True, check=True)
        return r.stdout.decode()
    return sign


def trees_of(repo, base, ref):
    out = git(repo, "log", "--reverse", "--format=%T", f"{base}..{ref}", capture=True)
    return out.split("\n") if out else []


def signers_commit(args):
    """A commit on --base whose signers file lists --approver's real key
    (--key, its public half next to it): the policy in force of the
    signed-approvals benchmark."""
    repo = args.signers_commit
    base = git(repo, "rev-parse", "--verify", args.base + "^{commit}", capture=True)
    pub = read_bytes(args.key + ".pub").decode().strip()
    text = signers_text().rstrip("\n").split("\n")
    text = [l for l in text if not l.startswith(f"{args.approver}@")]
    text.append(f'{args.approver}@example.com namespaces="git" {pub}')
    fi = FastImport(repo)
    fi.commit(args.ref, person_sig("wang.fang"), epoch(AS_OF), "Policy: the approver's real key\n",
              [(".docctl/allowed_signers", ("\n".join(text) + "\n").encode())], parent=base)
    fi.close()
    print(git(repo, "rev-parse", args.ref, capture=True))


def signed_approvals(args):
    """One commit by an author revises --count documents (drafts), then
    one commit per document approves it, signed with --key by --approver."""
    repo = args.signed_approvals
    base = git(repo, "rev-parse", "--verify", args.base + "^{commit}", capture=True)
    people = {p: n for p, n, _ in PEOPLE}
    author = next(o for o in OWNERS if o != args.approver and "author" in dict((p, r) for p, _, r in PEOPLE)[o])
    approvable = {t[0] for t in TYPES if args.approver in approvers_of(t[0]) and t[0] != "record"}
    folders = {TYPE[t][3] + "/": t for t in approvable}
    names = git(repo, "ls-tree", "-r", "--name-only", base, "--", "docs", capture=True).split("\n")
    names = sorted(p for p in names if p.endswith(".md") and any(p.startswith(f) for f in folders))
    rng = random.Random(args.seed + 5)
    rng.shuffle(names)
    cat = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    drafts, approved = [], []
    for path in names:
        if len(drafts) == args.count:
            break
        cat.stdin.write(f"{base}:{path}\n".encode())
        cat.stdin.flush()
        size = int(cat.stdout.readline().split()[2])
        text = cat.stdout.read(size)
        cat.stdout.read(1)
        m = FM_RE.match(text)
        if not m or fm_get(m.group(1), "status") != "approved":
            continue
        if fm_get(m.group(1), "owner") not in people or fm_get(m.group(1), "owner") == args.approver:
            continue
        change = f"{rng.choice(CHANGES)}（签名基准 {len(drafts) + 1}）"
        new, _ = reapprove_text(text, args.approver, AS_OF, change)
        approved.append((path, new, fm_get(m.group(1), "id")))

        def to_draft(fm):
            fm = fm_set(fm, "status", "draft")
            for k in ("approved_by", "approved_on", "effective"):
                fm = fm_del(fm, k)
            return fm
        drafts.append((path, edit(new, to_draft)))
    cat.stdin.close()
    cat.wait()
    if not drafts:
        sys.exit(f"gen.py: no document can be approved by {args.approver}")
    tmp = args.ref + "-unsigned"
    fi = FastImport(repo)
    fi.commit(tmp, person_sig(author), epoch(AS_OF), f"Revise {len(drafts)} documents\n", drafts, parent=base, mark=1)
    for n, (path, new, ident) in enumerate(approved):
        fi.commit(tmp, person_sig(args.approver), epoch(AS_OF, 1 + n % 600), f"Approve {ident}\n", [(path, new)],
                  parent=f":{n + 1}", mark=n + 2)
    fi.close()
    trees = trees_of(repo, base, tmp)
    git(repo, "update-ref", "-d", tmp)
    sign = ssh_signer(args.key)
    parent = write_commit(repo, trees[0], base, person_sig(author), epoch(AS_OF), f"Revise {len(drafts)} documents\n")
    for n, ((_, _, ident), tree) in enumerate(zip(approved, trees[1:])):
        parent = write_commit(repo, tree, parent, person_sig(args.approver), epoch(AS_OF, 1 + n % 600),
                              f"Approve {ident}\n", sign=sign)
    git(repo, "update-ref", args.ref, parent)
    print(parent, len(approved))


def junk_signed(args):
    """--count commits on --base that change a file outside the roots, each
    with a signature header that is no signature: they vouch for nothing."""
    repo = args.junk_signed
    base = git(repo, "rev-parse", "--verify", args.base + "^{commit}", capture=True)
    tmp = args.ref + "-trees"
    fi = FastImport(repo)
    fi.commit(tmp, person_sig(OWNERS[0]), epoch(AS_OF), "a\n", [("notes/junk.txt", b"first\n")], parent=base, mark=1)
    fi.commit(tmp, person_sig(OWNERS[0]), epoch(AS_OF), "b\n", [("notes/junk.txt", b"second\n")], parent=":1")
    fi.close()
    trees = trees_of(repo, base, tmp)
    git(repo, "update-ref", "-d", tmp)
    parent = base
    for n in range(args.count):
        parent = write_commit(repo, trees[n % 2], parent, person_sig(OWNERS[n % len(OWNERS)]), epoch(AS_OF, n % 600),
                              f"Note {n + 1}\n", sign=JUNK_SIG)
    git(repo, "update-ref", args.ref, parent)
    print(parent, args.count)

def draft(args):
    with open(args.draft, "rb") as f:
        text = f.read()

    def fn(fm):
        fm = fm_set(fm, "revision", bump(fm_get(fm, "revision")))
        fm = fm_set(fm, "change", "修改服务响应时限（基准测试）", after="revision")
        fm = fm_set(fm, "status", "draft")
        for k in ("approved_by", "approved_on", "effective", "reviewed_by", "reviewed_on"):
            fm = fm_del(fm, k)
        return fm
    text = edit(text, fn).rstrip(b"\n") + "\n\n服务热线响应时限由 30 秒改为 20 秒。\n".encode()
    tmp = args.draft + ".tmp"
    with open(tmp, "wb") as f:
        f.write(text)
    os.replace(tmp, args.draft)


def main():
    ap = argparse.ArgumentParser(description="deterministic corpus generator for docctl benchmarks")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--out")
    ap.add_argument("--commits", type=int, default=0)
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reapprove", metavar="REPO")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--ref")
    ap.add_argument("--base", default="HEAD")
    ap.add_argument("--approver", default=PUSHER)
    ap.add_argument("--draft", metavar="FILE")
    ap.add_argument("--signers-commit", metavar="REPO")
    ap.add_argument("--signed-approvals", metavar="REPO")
    ap.add_argument("--junk-signed", metavar="REPO")
    ap.add_argument("--key", metavar="PRIVATE-KEY")
    args = ap.parse_args()
    if args.reapprove:
        if not args.ref:
            ap.error("--reapprove needs --ref")
        return reapprove(args)
    if args.draft:
        return draft(args)
    for mode, fn in (("signers_commit", signers_commit), ("signed_approvals", signed_approvals),
                     ("junk_signed", junk_signed)):
        if getattr(args, mode):
            if not args.ref or (mode != "junk_signed" and not args.key):
                ap.error(f"--{mode.replace('_', '-')} needs --ref" + ("" if mode == "junk_signed" else " and --key"))
            return fn(args)
    if not args.out:
        ap.error("--out is required")
    if args.errors > args.docs:
        ap.error("--errors cannot exceed --docs")
    generate(args)


if __name__ == "__main__":
    main()
