"""Tests of grader/scripts/check-xrefs.py on a small made-up workbook:
each rule fires on a planted wrong reference and stays quiet on right ones."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts",
                      "check-xrefs.py")
IDS = ["01_pointers", "18_grid_stride", "38_forward", "39_sampling",
       "40_generate"]


def run_on(pages):
    """check-xrefs.py's exit code and output on a workbook of pages."""
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "exercises"))
        os.makedirs(os.path.join(root, "lectures"))
        with open(os.path.join(root, "exercises", "manifest.json"), "w") as f:
            json.dump({"exercises": [{"id": i} for i in IDS]}, f)
        for rel, text in pages.items():
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        p = subprocess.run([sys.executable, SCRIPT, root],
                           capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr


class CheckXrefs(unittest.TestCase):
    def assert_finds(self, text, what):
        rc, out = run_on({"exercises/39_sampling/README.md": text})
        self.assertEqual(rc, 1, out)
        self.assertIn(what, out)
        self.assertIn("README.md:2:", out)

    def test_right_references_pass(self):
        rc, out = run_on({
            "exercises/39_sampling/README.md":
                "# Sampling\nAs in 18, a loop; the forward pass of 38 gives "
                "logits.\nSee exercises 38-40 and `40_generate`; 64-bit "
                "sizes, in 32 bits.\n```\nin 99 (code is not prose)\n```\n",
            "lectures/05_engine.md": "Exercises 38–40 build it.\n"})
        self.assertEqual(rc, 0, out)

    def test_id_that_does_not_exist(self):
        self.assert_finds("x\nBuilt on 38_sampling.\n",
                          "38_sampling is not an exercise (38 is 38_forward)")

    def test_number_that_names_no_exercise(self):
        self.assert_finds("x\nThe engine of exercise 41 runs it.\n",
                          "'exercise 41' names no exercise")

    def test_range_past_the_last_exercise(self):
        self.assert_finds("x\nExercises 38-41 build it.\n",
                          "names no exercise")

    def test_renumbered_topic(self):
        self.assert_finds("x\nsampling from a distribution in 38 uses it\n",
                          "speaks of 'sampling' (39_sampling)")

    def test_marked_reference_is_accepted(self):
        rc, out = run_on({"exercises/39_sampling/README.md":
                          "sampling then in 38 <!-- xref-ok -->\n"})
        self.assertEqual(rc, 0, out)

    def test_solutions_private_on_a_student_page(self):
        self.assert_finds("x\nCompare with solutions-private/39_sampling.\n",
                          "solutions-private")

    def test_instructors_part_of_the_readme_is_skipped(self):
        rc, out = run_on({"README.md":
                          "<!-- instructors-only:begin -->\n"
                          "solutions-private/ holds the references\n"
                          "<!-- instructors-only:end -->\n"})
        self.assertEqual(rc, 0, out)


if __name__ == "__main__":
    unittest.main()
