"""What the class got wrong (tools/class_report.py, issue 26 §6) for a simulated class of 20 on lesson 01.

Each student's sigmoid_gradient and tanh_gradient is judged by the course's checks (the mistake each check names is
CheckFailed.mistake, what tools/judge.py reports); the report must count them, draw them with alt text, work
offline, and list identical solutions (renamed copies, and a copy of nblib.activations.sigmoid_gradient)."""

import csv
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
LESSON = "01_sigmoid_gradient"

SIGMOID = {   # what a student writes → how many students write it
    "right": ("def sigmoid_gradient(z):\n    sig = nblib.sigmoid(z)\n    return sig * (1.0 - sig)\n", 7),
    "renamed": ("def sigmoid_gradient(x):\n    # mine\n    s = nblib.sigmoid(x)\n    return s * (1.0 - s)\n", 2),
    "helper copy": ("from nblib import sigmoid\n\ndef sigmoid_gradient(z):\n    s = sigmoid(z)\n"
                    "    return s * (1.0 - s)\n", 1),
    "missing σ": ("def sigmoid_gradient(z):\n    return 1 - nblib.sigmoid(z)\n", 5),
    "σ itself": ("def sigmoid_gradient(z):\n    return nblib.sigmoid(z)\n", 3),
    "z(1 − z)": ("def sigmoid_gradient(z):\n    z = np.asarray(z, dtype=float)\n    return z * (1 - z)\n", 1),
    "stub": ("def sigmoid_gradient(z):\n    raise NotImplementedError\n", 1),
}
TANH = {
    "right": ("def tanh_gradient(z):\n    th = np.tanh(z)\n    return 1.0 - th * th\n", 12),
    "no square": ("def tanh_gradient(z):\n    return 1.0 - np.tanh(z)\n", 6),
    "flipped": ("def tanh_gradient(z):\n    return np.tanh(z) ** 2 - 1.0\n", 2),
}


def class_of_20():
    sig = [k for k, (_, n) in SIGMOID.items() for _ in range(n)]
    tanh = [k for k, (_, n) in TANH.items() for _ in range(n)]
    assert len(sig) == len(tanh) == 20
    return [(f"s{i:02d}", sig[i], tanh[(i * 7) % 20]) for i in range(20)]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    import class_report
    import nbgrader_metadata

    import nblib
    from nblib.exercises import sigmoid as checks
    from nblib.exercises.feedback import CheckFailed

    tmp = tmp_path_factory.mktemp("class")
    source = nbgrader_metadata.main(tmp / "course", [ROOT / "notebooks" / f"{LESSON}.ipynb"])[0]
    rows, submissions = [], []
    for student, sig, tanh in class_of_20():
        nb = nbformat.read(source, as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                if "def sigmoid_gradient(" in cell.source:
                    cell.source = SIGMOID[sig][0]
                elif "def tanh_gradient(" in cell.source:
                    cell.source = TANH[tanh][0]
        path = tmp / "submissions" / student / f"{LESSON}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
        submissions.append((student, LESSON, path))
        for exercise, kind, table, check in [("sigmoid_gradient", sig, SIGMOID, checks.check_sigmoid_gradient),
                                             ("tanh_gradient", tanh, TANH, checks.check_tanh_gradient)]:
            space = {"np": np, "nblib": nblib}
            exec(table[kind][0], space)
            try:
                check(space[exercise])
                passed, mistake = True, ""
            except (CheckFailed, NotImplementedError) as failure:
                passed, mistake = False, getattr(failure, "mistake", None) or ""
            rows.append((student, LESSON, exercise, passed, mistake))
    out = tmp / "grades"
    out.mkdir()
    with open(out / "mistakes.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["student", "lesson", "exercise", "passed", "mistake"])
        writer.writerows(rows)
    page = class_report.write(out, tmp / "course", submissions).read_text(encoding="utf-8")
    return {"page": page, "rows": rows, "out": out}


def test_the_checks_name_the_planted_mistakes(report):
    named = {(exercise, mistake.split(":")[0]) for _, _, exercise, _, mistake in report["rows"] if mistake}
    assert named == {("sigmoid_gradient", "1 − σ(z)"), ("sigmoid_gradient", "σ(z) itself, not its derivative"),
                     ("sigmoid_gradient", "z(1 − z)"), ("tanh_gradient", "1 − tanh(z)"),
                     ("tanh_gradient", "tanh(z)² − 1")}


def test_the_report_counts_passes_and_each_named_mistake(report):
    page = report["page"]
    assert "10 of 20 passed (50 %)" in page and "12 of 20 passed (60 %)" in page
    for phrase, n in [("1 − σ(z): the factor σ(z) is missing", 5), ("σ(z) itself, not its derivative", 3),
                      ("z(1 − z): the a(1 − a) formula", 1), ("1 − tanh(z): step 3", 6), ("tanh(z)² − 1:", 2)]:
        assert re.search(re.escape(phrase) + r"[^<]*</td><td class='n'>" + f"{n} of 20", page), phrase
    assert "failed, no named mistake</td><td class='n'>1 of 20" in page   # the stub


def test_the_report_is_offline_with_alt_text_on_every_chart(report):
    page = report["page"]
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page and "<script" not in page
    alts = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', page)
    assert len(alts) == page.count("<img") == 2
    assert any("sigmoid_gradient: 10 of 20 passed; 1 − σ(z)" in alt for alt in alts)


def test_identical_solutions_are_listed_with_the_nblib_helper_never_penalised(report):
    page = report["page"]
    items = re.findall(r"<li>([^<]+)</li>", page)
    right = [i for i in items if "s00" in i]
    assert right and all(f"s{k:02d}" in right[0] for k in range(9))   # 7 right + 2 renamed: one group
    assert any("nblib helper nblib.activations.sigmoid_gradient()" in i for i in items)
    assert "s09" in next(i for i in items if "nblib helper nblib.activations.sigmoid_gradient()" in i)
