"""Tests of grader/scripts/ramp.py: the hint ladder's minimum is enforced."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts",
                      "ramp.py")


def run_on(exercises):
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "exercises"))
        with open(os.path.join(root, "exercises", "manifest.json"), "w") as f:
            json.dump({"exercises": exercises}, f)
        p = subprocess.run([sys.executable, SCRIPT, "--table", root],
                           capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr


class Ramp(unittest.TestCase):
    def test_full_ladders_pass(self):
        rc, out = run_on([{"id": "00_a", "points": 10, "hints": ["1", "2", "3"]},
                          {"id": "01_b", "points": 20,
                           "hints": list("12345"), "hints_zh": list("12345")}])
        self.assertEqual(rc, 0, out)
        self.assertIn("01_b", out)

    def test_short_ladder_fails(self):
        rc, out = run_on([{"id": "00_a", "points": 10, "hints": ["1", "2"]}])
        self.assertEqual(rc, 1, out)
        self.assertIn("00_a: 2 hints, its ladder needs at least 3", out)

    def test_big_exercise_needs_five(self):
        rc, out = run_on([{"id": "00_a", "points": 30, "hints": list("1234")}])
        self.assertEqual(rc, 1, out)
        self.assertIn("needs at least 5", out)

    def test_translated_hints_must_match(self):
        rc, out = run_on([{"id": "00_a", "points": 10, "hints": list("123"),
                           "hints_zh": list("12")}])
        self.assertEqual(rc, 1, out)
        self.assertIn("3 hints but 2 hints_zh", out)


if __name__ == "__main__":
    unittest.main()
