"""One-off renumbering of issue 25 §6: lesson 05's clinic half (notebooks/05b_…) becomes lesson 06, and the lessons
06–09 become 07–10. Run once from the repository root, on a tree that still has the old numbers:

    python tools/renumber_lessons.py

It ``git mv``s the five notebooks (highest first), then rewrites references in every tracked text file: notebook
file names, "lesson(s) NN" mentions (and lists or ranges of them) for NN ≥ 06, the lesson keys of the
questionnaires (``questionnaire("NN")``, ``QUESTIONS``, the tests' keys), and the "[NN Title](…)" rows of the lesson
tables. It changes nothing else, so it can be run again on a merged tree in place of merging its commit. The two
lesson-05 notebooks are written in the new numbers already and only get the file-name renames. Mentions of
"lesson 05" that mean the clinic half (now lesson 06) are not found by a rule; they are listed by ``--report`` for
a person to read.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RENAMES = [  # highest first, so that no target exists when it is moved
    ("09_reverse_mode_autodiff", "10_reverse_mode_autodiff"),
    ("08_softmax_cross_entropy", "09_softmax_cross_entropy"),
    ("07_capstone_digits", "08_capstone_digits"),
    ("06_octave_style_yv_backprop", "07_octave_style_yv_backprop"),
    ("05b_wrong_equations_and_the_clinic", "06_wrong_equations_and_the_clinic"),
]
ALREADY_NEW = {"notebooks/05_deep_network_and_common_mistakes.ipynb",
               "notebooks/06_wrong_equations_and_the_clinic.ipynb", "tests/test_exercises_05.py",
               "tools/renumber_lessons.py"}
KEYED = {"nblib/questionnaires.py", "nblib/quiz.py", "tests/test_quiz.py", "tests/test_hub_load.py",
         "benchmarks/hub_load.py", "tests/test_progress.py"}
TEXT = (".py", ".ipynb", ".md", ".cfg", ".toml", ".txt", ".yml", ".yaml", ".ts", ".js", ".html", ".css", ".json")


def shift(number: str) -> str:
    n = int(number)
    return f"{n + 1:02d}" if 6 <= n <= 9 else number


_LESSONS = re.compile(r"(?<![\w/])((?:[Ll]essons?|LESSONS?)[ \u00a0])(0\d)((?:\s*(?:,|and|or|–|-|to|&)\s*0\d)*)")
_NUMBER = re.compile(r"0\d")


def shift_mentions(text: str) -> str:
    def one(match):
        return match.group(1) + shift(match.group(2)) + _NUMBER.sub(lambda m: shift(m.group(0)), match.group(3))
    return _LESSONS.sub(one, text)


def shift_table_rows(text: str) -> str:
    return re.sub(r"\[(0[6-9]) (?=[A-Z])", lambda m: f"[{shift(m.group(1))} ", text)


def shift_keys(text: str) -> str:
    text = re.sub(r'(["\'])0([6-9])\1', lambda m: f"{m.group(1)}{shift('0' + m.group(2))}{m.group(1)}", text)
    text = text.replace('"05b"', '"06"')
    text = re.sub(r'lesson=\\?"0([6-9])\\?"', lambda m: m.group(0).replace("0" + m.group(1), shift("0" + m.group(1))),
                  text)
    return text


def rename_files(text: str) -> str:
    for old, new in RENAMES:  # highest first: 06→07 never meets a fresh 07
        text = text.replace(old, new)
    return text


def questionnaires(text: str) -> str:
    for old, new in (("L09", "L10"), ("L08", "L09"), ("L07", "L08"), ("L06", "L07"), ("L05B", "L06")):
        text = re.sub(rf"\b{old}\b", new, text)
    return re.sub(r"QUESTIONS = \{.*?\}", 'QUESTIONS = {"00": L00, "01": L01, "02": L02, "03": L03, "04": L04, '
                  '"05": L05, "06": L06, "07": L07,\n             "08": L08, "09": L09, "10": L10}', text, flags=re.S)


def main() -> None:
    if not (ROOT / "notebooks" / "05b_wrong_equations_and_the_clinic.ipynb").exists():
        sys.exit("already renumbered (no notebooks/05b_…): nothing to do")
    for old, new in RENAMES:
        subprocess.run(["git", "mv", f"notebooks/{old}.ipynb", f"notebooks/{new}.ipynb"], cwd=ROOT, check=True)
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    changed = []
    for name in files:
        path = ROOT / name
        if not name.endswith(TEXT) or not path.is_file():
            continue
        before = path.read_text(encoding="utf-8")
        after = rename_files(before)
        if name not in ALREADY_NEW:
            after = shift_table_rows(shift_mentions(after))
        if name in KEYED or name.startswith("notebooks/"):
            after = re.sub(r'questionnaire\((\\?")0([6-9])(\\?")\)',
                           lambda m: f"questionnaire({m.group(1)}{shift('0' + m.group(2))}{m.group(3)})", after) \
                if name.startswith("notebooks/") and name not in ALREADY_NEW else after
            after = after.replace('questionnaire(\\"05b\\")', 'questionnaire(\\"06\\")')
            if name in KEYED:
                after = shift_keys(after)
        if name == "nblib/questionnaires.py":
            after = questionnaires(after)
        if after != before:
            path.write_text(after, encoding="utf-8")
            changed.append(name)
    print("\n".join(changed))
    if "--report" in sys.argv:
        for name in files:
            path = ROOT / name
            if name.endswith(TEXT) and path.is_file():
                for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if re.search(r"[Ll]esson 05", line) and re.search(r"clinic|zoo|mistake|question|warm-up", line):
                        print(f"{name}:{i}: {line.strip()[:160]}")


if __name__ == "__main__":
    main()
