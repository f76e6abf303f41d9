#!/usr/bin/env python3
"""check-translations.py: the Simplified Chinese twins follow their English pages.

The format (grader/i18n/README.md, "Pages"): every page a student reads, X.md, may have a twin X.zh-CN.md in the same folder; a lecture
lectures/Y.md has lectures/zh-CN/Y.md. A twin starts with

    <!-- zh-CN translation of <English path> @ <12 hex of sha256(English)> -->
    [English](<relative link to the English page>) | 简体中文

and the English page starts with a link to its twin: [简体中文](<link>).

For every twin that exists (always, whether required or not) this checks:
  - the header: right source path, hash of the English file as it is now
    (else "stale: ..."), the link back; the English page links its twin;
  - fenced code blocks: same count, byte-identical contents;
  - headings: the same levels in the same order, each Chinese heading with
    an explicit anchor <a id="..."></a> equal to the English heading's
    GitHub anchor;
  - links: the same targets in the same order, a link to a page that has a
    twin going to that twin (one not translated yet may still point at the
    English page); every local link resolves, anchors included. A link to
    a twin that does not exist yet is a note while that twin is not
    required (translations land in parallel), an error once it is;
and elsewhere:
  - exercises/manifest.json: "hints_zh", where present, has as many
    non-empty strings as "hints"; every "perf" spec with a "label" or an
    "advice" has its "label_zh" / "advice_zh";
  - message catalogs (grader/i18n/*.po, exercises/*/messages.zh-CN.po):
    each entry parses and its msgstr uses the same printf conversions, in
    the same order, as its msgid; every _("...") text of grader/src has a
    translation in grader/i18n/zh-CN.po;
  - a file under lectures/zh-CN/ or named *.zh-CN.md without an English
    source is reported (the glossary is the one Chinese-only page).

REQUIRED twins: until every page is translated, the pages whose twin must
exist are listed in grader/i18n/required-translations.txt (one English path
a line). Add a page there when its translation lands, so that deleting the
twin later fails the check; --all requires every page (the final state).

    check-translations.py [--root DIR] [--all] [--quiet]
    check-translations.py [--root DIR] --stats   (words per area and language)

Exit status 0 when everything holds, 1 with one line per problem
("FILE:LINE: what", on stderr), 2 on a usage error; notes ("FILE:LINE:
note: ...") go to stdout and do not fail. Python 3 standard library only.
"""
import hashlib
import json
import os
import re
import sys
import unicodedata

ZH_SUFFIX = ".zh-CN.md"
LECTURES = "lectures"
LECTURES_ZH = "lectures/zh-CN"
GLOSSARY = "lectures/zh-CN/glossary.md"
REQUIRED_LIST = "grader/i18n/required-translations.txt"
HEADER_RE = re.compile(
    r"^<!-- zh-CN translation of (\S+) @ ([0-9a-f]{12}) -->$")
BACKLINK_RE = re.compile(r"^\[English\]\(([^)\s]+)\) \| 简体中文\s*$")
TWINLINK_RE = re.compile(r"^\[简体中文\]\(([^)\s]+)\)\s*$")
FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ANCHOR_TAG_RE = re.compile(r'<a\s+(?:id|name)="([^"]+)"\s*>\s*</a>')
ID_ATTR_RE = re.compile(r'\b(?:id|name)="([^"]+)"')
# [text](target) and ![alt](target), target without spaces; an optional
# "title" after it.
LINK_RE = re.compile(r'!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?'
                     r'(?:\s+"[^"]*")?\s*\)')
INLINE_CODE_RE = re.compile(r"(`+)(.+?)\1")
PRINTF_RE = re.compile(
    r"%(?:%|[-+ #0']*(\*|\d+)?(?:\.(\*|\d+))?"
    r"((?:hh|h|ll|l|L|q|z|j|t)?)([diouxXeEfFgGaAcsp]))")


def conversions(fmt):
    """The printf conversions of fmt, as the grader compares them: length
    and conversion, a star for each * (width and precision may differ)."""
    out = []
    for m in PRINTF_RE.finditer(fmt):
        if m.group(0) == "%%":
            continue
        stars = "*" * ((m.group(1) == "*") + (m.group(2) == "*"))
        out.append(f"%{stars}{m.group(3)}{m.group(4)}")
    return out


class Problems:
    """Collects "FILE:LINE: what" lines."""

    def __init__(self, required=()):
        self.lines = []
        self.notes = []  # links to twins still being translated
        self.required = set(required)

    def add(self, path, line, what):
        where = f"{path}:{line}" if line else path
        self.lines.append(f"{where}: {what}")

    def note(self, path, line, what):
        self.notes.append(f"{path}:{line}: note: {what}")


# ---- pages -------------------------------------------------------------


def english_pages(root):
    """Every English page a student reads (repo-relative paths)."""
    pages = []
    for name in ("README.md", "hardware/README.md", "grader/README.md"):
        if os.path.isfile(os.path.join(root, name)):
            pages.append(name)
    for folder, pattern in (("exercises", None), ("hardware/guides", ".md"),
                            (LECTURES, ".md")):
        base = os.path.join(root, folder)
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            if pattern is None:
                readme = f"{folder}/{name}/README.md"
                if os.path.isfile(os.path.join(root, readme)):
                    pages.append(readme)
            elif name.endswith(pattern) and not name.endswith(ZH_SUFFIX):
                pages.append(f"{folder}/{name}")
    return pages


def twin_of(english):
    """The path of english's Chinese twin."""
    folder, name = os.path.split(english)
    if folder == LECTURES:
        return f"{LECTURES_ZH}/{name}"
    return english[:-len(".md")] + ZH_SUFFIX


def source_of(twin):
    """The English page a Chinese page translates (inverse of twin_of)."""
    folder, name = os.path.split(twin)
    if folder == LECTURES_ZH:
        return f"{LECTURES}/{name}"
    if twin.endswith(ZH_SUFFIX):
        return twin[:-len(ZH_SUFFIX)] + ".md"
    return None


def chinese_pages(root):
    """Every Chinese page found (repo-relative), the glossary excluded."""
    found = []
    for folder, _, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        parts = rel.split(os.sep)
        if parts[0] in (".git", "build", "node_modules") or \
                "build" in parts or "node_modules" in parts:
            continue
        for name in files:
            path = os.path.normpath(os.path.join(rel, name)).replace(
                os.sep, "/")
            if path.endswith(ZH_SUFFIX) or (
                    os.path.dirname(path) == LECTURES_ZH
                    and name.endswith(".md") and path != GLOSSARY):
                found.append(path)
    return sorted(found)


def read_lines(root, path):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        return f.read().split("\n")


def short_hash(root, path):
    with open(os.path.join(root, path), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:12]


# ---- Markdown structure ------------------------------------------------


def split_fences(lines):
    """(code blocks as (start line, text), prose as [(line no, text)])."""
    blocks, prose = [], []
    fence, start, body = None, 0, []
    for no, line in enumerate(lines, 1):
        m = FENCE_RE.match(line)
        if fence is None:
            if m:
                fence, start, body = m.group(2), no, [line]
            else:
                prose.append((no, line))
            continue
        body.append(line)
        if m and m.group(2)[0] == fence[0] and \
                len(m.group(2)) >= len(fence) and not m.group(3).strip():
            blocks.append((start, "\n".join(body)))
            fence = None
    if fence is not None:
        blocks.append((start, "\n".join(body)))
    return blocks, prose


def github_slug(text):
    """GitHub's anchor for a heading's text (github-slugger's rules)."""
    text = ANCHOR_TAG_RE.sub("", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = INLINE_CODE_RE.sub(lambda m: m.group(2), text)
    text = re.sub(r"(\*\*|__|\*)", "", text)
    out = []
    for ch in text.strip().lower():
        cat = unicodedata.category(ch)
        if ch in " -" or cat[0] in "LMN" or cat == "Pc":
            out.append("-" if ch == " " else ch)
    return "".join(out)


def headings(prose):
    """[(line no, level, text)] of the ATX headings outside code."""
    found = []
    for no, line in prose:
        m = HEADING_RE.match(line)
        if m:
            found.append((no, len(m.group(1)), m.group(2)))
    return found


def slugs(heads):
    """GitHub anchors of the headings, duplicates numbered -1, -2, ..."""
    seen, out = {}, []
    for _, _, text in heads:
        base = github_slug(text)
        n = seen.get(base, 0)
        out.append(base if n == 0 else f"{base}-{n}")
        seen[base] = n + 1
    return out


def page_anchors(root, path, cache):
    """Every anchor a link may name in page path."""
    if path in cache:
        return cache[path]
    lines = read_lines(root, path)
    _, prose = split_fences(lines)
    anchors = set(slugs(headings(prose)))
    for _, line in prose:
        anchors.update(ID_ATTR_RE.findall(line))
    cache[path] = anchors
    return anchors


def links(prose):
    """[(line no, target)] of the Markdown links outside code."""
    found = []
    for no, line in prose:
        line = INLINE_CODE_RE.sub("", line)
        for m in LINK_RE.finditer(line):
            found.append((no, m.group(1)))
    return found


def is_external(target):
    return re.match(r"^[a-z][a-z0-9+.-]*:", target) is not None


def resolve(page, target):
    """(repo-relative path or None for the page itself, anchor or '')."""
    path, _, anchor = target.partition("#")
    if not path:
        return None, anchor
    joined = os.path.normpath(os.path.join(os.path.dirname(page), path))
    return joined.replace(os.sep, "/"), anchor


# ---- the checks --------------------------------------------------------


def check_header(root, twin, english, lines, problems):
    m = HEADER_RE.match(lines[0]) if lines else None
    if not m:
        problems.add(twin, 1, "line 1 must be '<!-- zh-CN translation of "
                     f"{english} @ <12 hex of sha256> -->'")
        return
    if m.group(1) != english:
        problems.add(twin, 1, f"header names {m.group(1)}, expected "
                     f"{english}")
    actual = short_hash(root, english)
    if m.group(2) != actual:
        problems.add(twin, 1, f"stale: English {english} changed since its "
                     f"translation; update {twin} and its hash (header "
                     f"says {m.group(2)}, the English file is now {actual}; "
                     f"`git log -p {english}` shows what changed)")
    back = BACKLINK_RE.match(lines[1]) if len(lines) > 1 else None
    want = os.path.relpath(english, os.path.dirname(twin))
    if not back:
        problems.add(twin, 2, f"line 2 must be '[English]({want}) | 简体中文'")
    elif resolve(twin, back.group(1))[0] != english:
        problems.add(twin, 2, f"the English link goes to {back.group(1)}, "
                     f"expected {want}")
    en_first = read_lines(root, english)[0]
    there = TWINLINK_RE.match(en_first)
    want_twin = os.path.relpath(twin, os.path.dirname(english))
    if not there or resolve(english, there.group(1))[0] != twin:
        problems.add(english, 1, f"line 1 must link the Chinese twin: "
                     f"'[简体中文]({want_twin})'")


def check_code_blocks(twin, english, en_blocks, zh_blocks, problems):
    if len(en_blocks) != len(zh_blocks):
        problems.add(twin, 0, f"{len(zh_blocks)} fenced code blocks, "
                     f"{english} has {len(en_blocks)}")
        zh_texts = iter(text for _, text in zh_blocks)
        for en_no, en_text in en_blocks:
            if en_text not in zh_texts:  # advances the iterator: in order
                problems.add(twin, 0, f"the code block of {english}:"
                             f"{en_no} is missing or changed")
                return
        return
    for (en_no, en_text), (zh_no, zh_text) in zip(en_blocks, zh_blocks):
        if en_text != zh_text:
            problems.add(twin, zh_no, f"code block differs from {english}:"
                         f"{en_no} (code is copied byte for byte)")
            return  # after one mismatch the rest would be noise


def check_headings(twin, english, en_heads, zh_heads, problems):
    en_levels = [h[1] for h in en_heads]
    zh_levels = [h[1] for h in zh_heads]
    if en_levels != zh_levels:
        for i, (en, zh) in enumerate(zip(en_heads, zh_heads)):
            if en[1] != zh[1]:
                problems.add(twin, zh[0], f"heading {i + 1} is level "
                             f"{zh[1]}, {english}:{en[0]} is level {en[1]}")
                return
        problems.add(twin, 0, f"{len(zh_heads)} headings, {english} has "
                     f"{len(en_heads)} (levels {en_levels})")
        return
    for (no, _, text), slug in zip(zh_heads, slugs(en_heads)):
        ids = ANCHOR_TAG_RE.findall(text)
        if slug not in ids:
            problems.add(twin, no, f'heading needs the anchor <a id="{slug}">'
                         f"</a> (the English heading's)")


def link_ok(root, twin, english, en_target, zh_target):
    """Whether the Chinese link goes where the English one does."""
    if is_external(en_target):
        return zh_target == en_target
    en_path, en_anchor = resolve(english, en_target)
    zh_path, zh_anchor = resolve(twin, zh_target)
    if en_anchor != zh_anchor:
        return False
    if en_path is None:
        return zh_path is None
    if en_path in set(english_pages_cached(root)):
        other = twin_of(en_path)
        if zh_path == other:
            return True
        return zh_path == en_path and not os.path.isfile(
            os.path.join(root, other))
    return zh_path == en_path


_PAGES = {}


def english_pages_cached(root):
    if root not in _PAGES:
        _PAGES[root] = english_pages(root)
    return _PAGES[root]


def check_link_targets(root, twin, english, en_links, zh_links, problems):
    """Same targets, in order, after the zh-CN mapping."""
    if len(en_links) != len(zh_links):
        problems.add(twin, 0, f"{len(zh_links)} links, {english} has "
                     f"{len(en_links)}")
    for (en_no, en_t), (zh_no, zh_t) in zip(en_links, zh_links):
        if not link_ok(root, twin, english, en_t, zh_t):
            problems.add(twin, zh_no, f"link to {zh_t}, but {english}:"
                         f"{en_no} links {en_t} (expected its Chinese twin "
                         f"where one exists)")
            return


def check_links_resolve(root, page, page_links, anchor_cache, problems):
    """Every local link of page names an existing file (and anchor)."""
    for no, target in page_links:
        if is_external(target):
            continue
        path, anchor = resolve(page, target)
        path = path or page
        full = os.path.join(root, path)
        if not os.path.exists(full):
            source = source_of(path)
            if source and os.path.isfile(os.path.join(root, source)):
                what = (f"link to {target}: {path} is not translated yet "
                        f"(link {source} until it is)")
                if source in problems.required:
                    problems.add(page, no, what)
                else:
                    problems.note(page, no, what)
            else:
                problems.add(page, no, f"link to {target}: no such file "
                             f"{path}")
            continue
        if anchor and path.endswith(".md") and \
                anchor not in page_anchors(root, path, anchor_cache):
            problems.add(page, no, f"link to {target}: {path} has no "
                         f"anchor #{anchor}")


def check_twin(root, twin, english, anchor_cache, problems):
    zh_lines = read_lines(root, twin)
    en_lines = read_lines(root, english)
    check_header(root, twin, english, zh_lines, problems)
    en_blocks, en_prose = split_fences(en_lines)
    zh_blocks, zh_prose = split_fences(zh_lines)
    check_code_blocks(twin, english, en_blocks, zh_blocks, problems)
    check_headings(twin, english, headings(en_prose), headings(zh_prose),
                   problems)
    # Line 1 (the twin link) and line 2 (the back link) are the pair's own.
    en_links = [l for l in links(en_prose) if l[0] > 1]
    zh_links = [l for l in links(zh_prose) if l[0] > 2]
    check_link_targets(root, twin, english, en_links, zh_links, problems)
    check_links_resolve(root, twin, links(zh_prose), anchor_cache, problems)


def perf_specs(ex):
    """The exercise's performance specs ("perf": one object or a list)."""
    perf = ex.get("perf") or []
    return [perf] if isinstance(perf, dict) else perf


def check_perf_texts(path, line, ex, problems):
    """A performance spec's label and advice (shown to a student when a
    correct test misses a tier) have their Chinese: label_zh, advice_zh."""
    ex_id = ex.get("id", "?")
    for spec in perf_specs(ex):
        if not isinstance(spec, dict):
            continue
        for field in ("label", "advice"):
            if field not in spec:
                continue
            zh = spec.get(f"{field}_zh")
            if not isinstance(zh, str) or not zh.strip():
                problems.add(path, line, f"{ex_id}: perf {spec.get('test')}"
                             f" has \"{field}\" but no \"{field}_zh\" (its "
                             "Chinese, a non-empty string)")


def check_hints(root, problems):
    path = "exercises/manifest.json"
    full = os.path.join(root, path)
    if not os.path.isfile(full):
        return
    with open(full, encoding="utf-8") as f:
        text = f.read()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        problems.add(path, e.lineno, f"not valid JSON: {e.msg}")
        return
    for ex in doc.get("exercises", []):
        ex_id = ex.get("id", "?")
        line = text[:text.find(f'"{ex_id}"')].count("\n") + 1
        check_perf_texts(path, line, ex, problems)
        if "hints_zh" not in ex:
            continue
        hints, zh = ex.get("hints", []), ex["hints_zh"]
        if not isinstance(zh, list) or not all(
                isinstance(h, str) and h.strip() for h in zh):
            problems.add(path, line, f"{ex_id}: hints_zh must be a list of "
                         "non-empty strings")
        elif len(zh) != len(hints):
            problems.add(path, line, f"{ex_id}: {len(zh)} hints_zh, "
                         f"{len(hints)} hints (same count, same order)")


# ---- message catalogs --------------------------------------------------


def po_unquote(s):
    out, i = [], 0
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    while i < len(s):
        c = s[i]
        octal = re.match(r"\\([0-7]{1,3})", s[i:])
        if octal:
            out.append(chr(int(octal.group(1), 8)))
            i += len(octal.group(0))
            continue
        if c == "\\" and i + 1 < len(s):
            out.append(escapes.get(s[i + 1], "\\" + s[i + 1]))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def parse_po(lines):
    """[(line no, msgid, msgstr)] of a .po file; raises ValueError."""
    entries, cur, key, start = [], {}, None, 0
    for no, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^(msgid|msgstr)\s+"(.*)"$', line)
        if m:
            if m.group(1) == "msgid":
                if cur:
                    entries.append((start, cur.get("msgid"),
                                    cur.get("msgstr")))
                cur, start = {}, no
            elif "msgid" not in cur:
                raise ValueError(f"{no}: msgstr without msgid")
            key = m.group(1)
            cur[key] = po_unquote(m.group(2))
            continue
        m = re.match(r'^"(.*)"$', line)
        if m and key:
            cur[key] += po_unquote(m.group(1))
            continue
        raise ValueError(f"{no}: cannot parse: {raw.strip()[:60]}")
    if cur:
        entries.append((start, cur.get("msgid"), cur.get("msgstr")))
    for no, msgid, msgstr in entries:
        if msgstr is None:
            raise ValueError(f"{no}: msgid without msgstr")
    return entries


def catalogs(root):
    found = []
    base = os.path.join(root, "grader/i18n")
    if os.path.isdir(base):
        found += [f"grader/i18n/{n}" for n in sorted(os.listdir(base))
                  if n.endswith(".po")]
    ex = os.path.join(root, "exercises")
    if os.path.isdir(ex):
        for name in sorted(os.listdir(ex)):
            po = f"exercises/{name}/messages.zh-CN.po"
            if os.path.isfile(os.path.join(root, po)):
                found.append(po)
    return found


def check_catalog(root, path, problems):
    try:
        entries = parse_po(read_lines(root, path))
    except ValueError as e:
        no, _, what = str(e).partition(": ")
        problems.add(path, int(no), what)
        return
    seen = {}
    for no, msgid, msgstr in entries:
        if msgid == "":
            continue  # the PO header entry
        if msgid in seen:
            problems.add(path, no, f"msgid repeats line {seen[msgid]}")
        seen[msgid] = no
        if msgstr == "":
            continue  # untranslated: English is shown
        en, zh = conversions(msgid), conversions(msgstr)
        if en != zh:
            problems.add(path, no, f"msgstr conversions {zh} differ from "
                         f"msgid's {en} (same ones, same order)")


# The student-facing strings of the grader's sources: _("..."), and the
# English argument of say(loc, "...") and usage_error(a, "...").
GRADER_TEXT_RE = re.compile(
    r'\b(?:_|N_)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)'
    r'|\b(?:say\(\s*loc|usage_error\(\s*a),\s*'
    r'((?:"(?:[^"\\]|\\.)*"\s*(?:PIN_FILE\s*)?)+)')
C_STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')


def grader_texts(root):
    """[(file, line, English text)] of the grader's translatable strings."""
    out = []
    src = os.path.join(root, "grader/src")
    if not os.path.isdir(src):
        return out
    for folder in sorted(os.listdir(src)):
        path = os.path.join(src, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            if not name.endswith(".c"):
                continue
            rel = f"grader/src/{folder}/{name}"
            with open(os.path.join(path, name), encoding="utf-8") as f:
                text = f.read()
            for m in GRADER_TEXT_RE.finditer(text):
                lits = (m.group(1) or m.group(2)).replace(
                    "PIN_FILE", '".llmlings-pin.json"')
                english = po_unquote("".join(C_STRING_RE.findall(lits)))
                out.append((rel, text[:m.start()].count("\n") + 1, english))
    return out


def check_grader_catalog(root, problems):
    """Every translatable string of the grader has a Chinese entry: new
    grader messages land in both languages."""
    path = "grader/i18n/zh-CN.po"
    if not os.path.isfile(os.path.join(root, path)):
        return
    translated = {msgid for _, msgid, msgstr in
                  parse_po(read_lines(root, path)) if msgstr}
    for rel, line, english in grader_texts(root):
        if english not in translated:
            problems.add(rel, line, f"{english[:60]!r} has no translation "
                         f"in {path}")


# ---- word counts (--stats) ---------------------------------------------

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def prose_text(root, path):
    """The prose of a Markdown page (fenced code left out)."""
    _, prose = split_fences(read_lines(root, path))
    return "\n".join(line for _, line in prose)


def count(text):
    """(English words, Chinese characters) of text."""
    return len(WORD_RE.findall(text)), len(CJK_RE.findall(text))


def stats(root):
    """[(area, English words, twins' Chinese characters, pages or entries
    translated, of how many)] over the translated areas."""
    pages = english_pages(root)
    areas = [
        ("lectures", [p for p in pages if p.startswith("lectures/")]),
        ("exercise READMEs", [p for p in pages if p.startswith("exercises/")]),
        ("README, hardware, grader pages",
         [p for p in pages if not p.startswith(("lectures/", "exercises/"))]),
    ]
    rows = []
    for name, group in areas:
        en = zh = done = 0
        for page in group:
            en += count(prose_text(root, page))[0]
            twin = twin_of(page)
            if os.path.isfile(os.path.join(root, twin)):
                zh += count(prose_text(root, twin))[1]
                done += 1
        rows.append((name, en, zh, done, len(group)))
    manifest = os.path.join(root, "exercises/manifest.json")
    if os.path.isfile(manifest):
        with open(manifest, encoding="utf-8") as f:
            exercises = json.load(f).get("exercises", [])
        en = sum(count(h)[0] for e in exercises for h in e.get("hints", []))
        zh = sum(count(h)[1] for e in exercises for h in e.get("hints_zh", []))
        done = sum(1 for e in exercises if e.get("hints_zh"))
        rows.append(("hints (exercises)", en, zh, done, len(exercises)))
        texts = [(spec.get(f), spec.get(f"{f}_zh")) for e in exercises
                 for spec in perf_specs(e) if isinstance(spec, dict)
                 for f in ("label", "advice") if spec.get(f)]
        rows.append(("perf labels and advice (texts)",
                     sum(count(t)[0] for t, _ in texts),
                     sum(count(z)[1] for _, z in texts if z),
                     sum(1 for _, z in texts if z), len(texts)))
    for label, group in (("grader messages (entries)", [
            c for c in catalogs(root) if c.startswith("grader/")]),
            ("test messages (entries)", [
                c for c in catalogs(root) if c.startswith("exercises/")])):
        en = zh = done = total = 0
        for po in group:
            for _, msgid, msgstr in parse_po(read_lines(root, po)):
                if not msgid:
                    continue
                total += 1
                en += count(msgid)[0]
                if msgstr:
                    done += 1
                    zh += count(msgstr)[1]
        rows.append((label, en, zh, done, total))
    return rows


def print_stats(root):
    print(f"{'area':34} {'English words':>13} {'中文 characters':>15}"
          f"  translated")
    for name, en, zh, done, total in stats(root):
        print(f"{name:34} {en:13d} {zh:15d}  {done}/{total}")


# ---- main --------------------------------------------------------------


def required_pages(root, everything):
    if everything:
        return english_pages(root)
    full = os.path.join(root, REQUIRED_LIST)
    if not os.path.isfile(full):
        return []
    out = []
    with open(full, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return out


def run(root, everything=False):
    """(problems, notes, number of twins checked, number of English
    pages)."""
    required = required_pages(root, everything)
    problems = Problems(required)
    pages = english_pages(root)
    for english in required:
        twin = twin_of(english)
        if not os.path.isfile(os.path.join(root, english)):
            problems.add(REQUIRED_LIST, 0, f"lists {english}, which does not "
                         "exist")
        elif not os.path.isfile(os.path.join(root, twin)):
            problems.add(twin, 0, f"missing: the Chinese twin of {english} "
                         "is required")
    anchor_cache = {}
    twins = chinese_pages(root)
    for twin in twins:
        english = source_of(twin)
        if english not in pages:
            problems.add(twin, 0, "no English source page "
                         f"({english or 'unknown'}) for this translation")
            continue
        check_twin(root, twin, english, anchor_cache, problems)
    if os.path.isfile(os.path.join(root, GLOSSARY)):
        _, prose = split_fences(read_lines(root, GLOSSARY))
        check_links_resolve(root, GLOSSARY, links(prose), anchor_cache,
                            problems)
    check_hints(root, problems)
    for po in catalogs(root):
        check_catalog(root, po, problems)
    try:
        check_grader_catalog(root, problems)
    except ValueError:
        pass  # a catalog that does not parse is reported above
    return problems.lines, problems.notes, len(twins), len(pages)


def main(argv):
    root, everything, quiet, show_stats = ".", False, False, False
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--root" and args:
            root = args.pop(0)
        elif a == "--all":
            everything = True
        elif a == "--quiet":
            quiet = True
        elif a == "--stats":
            show_stats = True
        else:
            print(__doc__.strip().split("\n\n")[-2], file=sys.stderr)
            return 2
    if show_stats:
        print_stats(root)
        return 0
    lines, notes, ntwins, npages = run(root, everything)
    if not quiet:
        for line in notes:
            print(line)
    for line in lines:
        print(line, file=sys.stderr)
    if lines:
        print(f"translations: {len(lines)} problem(s)", file=sys.stderr)
        return 1
    if not quiet:
        print(f"translations: {ntwins} of {npages} pages have a Chinese "
              "twin, all up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
