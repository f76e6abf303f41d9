#!/usr/bin/env python3
"""Tests of grader/scripts/check-translations.py on small made-up workbooks.

Each test writes a workbook with one English lecture, one exercise README
and their correct Chinese twins into a temporary folder, checks that it is
clean, then plants one mistake and checks that the script names it (file,
line, what). Run: python3 grader/tests/scripts/test_check_translations.py (make test
runs every grader/tests/scripts/test_*.py)
"""
import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "check-translations.py")
spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
ct = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ct)

LECTURE_EN = """[简体中文](zh-CN/01_mem.md)

# Chapter 1 — memory

## Pointers and addresses

A pointer holds an address. See [strides](#row-major-layout).

```c
int *p = &x; /* p points at x */
```

## Row-major layout

Row `i`, column `j` is at `i * cols + j`.

```
+---+---+
| 0 | 1 |
+---+---+
```
"""

LECTURE_ZH = """<!-- zh-CN translation of lectures/01_mem.md @ {hash} -->
[English](../01_mem.md) | 简体中文

# 第 1 章 — 内存 <a id="chapter-1--memory"></a>

## 指针与地址 <a id="pointers-and-addresses"></a>

指针保存一个地址。参见[步长](#row-major-layout)。

```c
int *p = &x; /* p points at x */
```

## 行主序布局 <a id="row-major-layout"></a>

第 `i` 行第 `j` 列位于 `i * cols + j`。

```
+---+---+
| 0 | 1 |
+---+---+
```
"""

README_EN = """[简体中文](README.zh-CN.md)

# 01_mem

Read [the lecture](../../lectures/01_mem.md#pointers-and-addresses) first.
"""

README_ZH = """<!-- zh-CN translation of exercises/01_mem/README.md @ {hash} -->
[English](README.md) | 简体中文

# 01_mem <a id="01_mem"></a>

请先阅读[讲义](../../lectures/zh-CN/01_mem.md#pointers-and-addresses)。
"""

MANIFEST = {
    "format": 1,
    "exercises": [{
        "id": "01_mem",
        "hints": ["first hint", "second hint"],
        "hints_zh": ["第一条提示", "第二条提示"],
    }],
}

CATALOG = """# grader messages
msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\n"

msgid "%s: expected %d, got %d"
msgstr "%s：期望 %d，实际为 %d"
"""


def sha12(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:12]


class Workbook(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="check-translations-")
        self.write("lectures/01_mem.md", LECTURE_EN)
        self.write("exercises/01_mem/README.md", README_EN)
        self.write("exercises/manifest.json",
                   json.dumps(MANIFEST, ensure_ascii=False, indent=1))
        self.write("grader/i18n/zh-CN.po", CATALOG)
        self.translate()

    def tearDown(self):
        shutil.rmtree(self.root)

    def path(self, rel):
        return os.path.join(self.root, rel)

    def write(self, rel, text):
        os.makedirs(os.path.dirname(self.path(rel)), exist_ok=True)
        with open(self.path(rel), "w", encoding="utf-8") as f:
            f.write(text)

    def read(self, rel):
        with open(self.path(rel), encoding="utf-8") as f:
            return f.read()

    def edit(self, rel, old, new):
        text = self.read(rel)
        self.assertIn(old, text)
        self.write(rel, text.replace(old, new, 1))

    def translate(self):
        """(Re)writes both twins with the English pages' current hashes."""
        self.write("lectures/zh-CN/01_mem.md", LECTURE_ZH.format(
            hash=sha12(self.path("lectures/01_mem.md"))))
        self.write("exercises/01_mem/README.zh-CN.md", README_ZH.format(
            hash=sha12(self.path("exercises/01_mem/README.md"))))

    def problems(self, everything=False):
        lines, _, _, _ = ct.run(self.root, everything)
        return lines

    def assertProblem(self, where, words):
        lines = self.problems()
        hits = [l for l in lines if l.startswith(where) and words in l]
        self.assertTrue(hits, f"no problem at {where} saying {words!r}; "
                        f"got {lines}")

    def test_correct_twins_pass(self):
        self.assertEqual(self.problems(), [])

    def test_planted_english_edit_is_stale(self):
        self.edit("lectures/01_mem.md", "A pointer holds an address.",
                  "A pointer holds the address of an object.")
        self.assertProblem(
            "lectures/zh-CN/01_mem.md:1",
            "stale: English lectures/01_mem.md changed since its "
            "translation; update lectures/zh-CN/01_mem.md and its hash")
        self.translate()  # the translator updates the hash: clean again
        self.assertEqual(self.problems(), [])

    def test_missing_code_block(self):
        self.edit("lectures/zh-CN/01_mem.md",
                  "```c\nint *p = &x; /* p points at x */\n```\n", "")
        self.assertProblem("lectures/zh-CN/01_mem.md",
                           "1 fenced code blocks, lectures/01_mem.md has 2")
        self.assertProblem("lectures/zh-CN/01_mem.md",
                           "code block of lectures/01_mem.md:9 is missing")

    def test_changed_code_block(self):
        self.edit("lectures/zh-CN/01_mem.md", "/* p points at x */",
                  "/* p 指向 x */")
        self.assertProblem("lectures/zh-CN/01_mem.md:10",
                           "code block differs from lectures/01_mem.md:9")

    def test_broken_anchor(self):
        self.edit("exercises/01_mem/README.zh-CN.md",
                  "#pointers-and-addresses", "#pointers")
        self.assertProblem("exercises/01_mem/README.zh-CN.md:6",
                           "has no anchor #pointers")

    def test_heading_without_anchor(self):
        self.edit("lectures/zh-CN/01_mem.md",
                  ' <a id="row-major-layout"></a>', "")
        self.assertProblem("lectures/zh-CN/01_mem.md:14",
                           '<a id="row-major-layout"></a>')

    def test_heading_levels(self):
        self.edit("lectures/zh-CN/01_mem.md", "## 行主序", "### 行主序")
        self.assertProblem("lectures/zh-CN/01_mem.md:14", "level 3")

    def test_link_must_go_to_the_twin(self):
        self.edit("exercises/01_mem/README.zh-CN.md", "lectures/zh-CN/",
                  "lectures/")
        self.assertProblem("exercises/01_mem/README.zh-CN.md:6",
                           "expected its Chinese twin")

    def test_hints_zh_count(self):
        doc = json.loads(self.read("exercises/manifest.json"))
        doc["exercises"][0]["hints_zh"].pop()
        self.write("exercises/manifest.json", json.dumps(doc, indent=1))
        self.assertProblem("exercises/manifest.json",
                           "01_mem: 1 hints_zh, 2 hints")

    def test_catalog_conversions(self):
        self.edit("grader/i18n/zh-CN.po", "实际为 %d", "实际为 %s")
        self.assertProblem("grader/i18n/zh-CN.po:5", "conversions")

    def test_header_and_twin_link(self):
        self.edit("exercises/01_mem/README.md", "[简体中文](README.zh-CN.md)",
                  "Chinese")
        self.translate()
        self.assertProblem("exercises/01_mem/README.md:1",
                           "must link the Chinese twin")

    def test_required_twin_missing(self):
        self.write(ct.REQUIRED_LIST, "# required\nlectures/01_mem.md\n")
        self.assertEqual(self.problems(), [])
        os.remove(self.path("lectures/zh-CN/01_mem.md"))
        self.assertProblem("lectures/zh-CN/01_mem.md", "missing")

    def test_pending_twin_link_is_a_note_until_required(self):
        os.remove(self.path("lectures/zh-CN/01_mem.md"))
        lines, notes, _, _ = ct.run(self.root)
        self.assertEqual(lines, [])
        self.assertTrue(any("not translated yet" in n for n in notes))
        self.assertTrue(any("not translated yet" in l
                            for l in self.problems(everything=True)))

    def test_grader_strings_need_a_translation(self):
        self.write("grader/src/cli/x.c", 'void f(void)\n{\n'
                   '    printf(_("%s: expected %d, got %d"), w, 1, 2);\n'
                   '    printf(_("a new "\n             "message\\n"));\n}\n')
        self.assertProblem("grader/src/cli/x.c:4",
                           "'a new message\\n' has no translation")
        self.assertEqual(len(self.problems()), 1)

    def test_orphan_translation(self):
        self.write("lectures/zh-CN/99_gone.md", "# 无\n")
        self.assertProblem("lectures/zh-CN/99_gone.md", "no English source")

    def test_github_slugs(self):
        self.assertEqual(ct.github_slug("Chapter 0 — warm-up"),
                         "chapter-0--warm-up")
        self.assertEqual(ct.github_slug("The heap: malloc, realloc, free"),
                         "the-heap-malloc-realloc-free")
        self.assertEqual(ct.github_slug("Tiled (flash) attention"),
                         "tiled-flash-attention")
        self.assertEqual(ct.github_slug("`grader check` and 中文"),
                         "grader-check-and-中文")


if __name__ == "__main__":
    unittest.main(verbosity=1)
