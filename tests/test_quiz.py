"""The questionnaires (nblib.quiz, nblib.questionnaires): content, checking, recording, widgets, notebooks, site."""

import json
import math
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nblib import progress, quiz
from nblib.questionnaires import QUESTIONS

ROOT = Path(__file__).resolve().parent.parent
LESSONS = [f"{n:02d}" for n in range(11)]
ALL = [(lesson, q) for lesson in LESSONS for q in quiz.questions(lesson)]
IDS = [f"{lesson}-{q.id}" for lesson, q in ALL]
CHOICES = [(lesson, q) for lesson, q in ALL if q.kind == "choice"]
NUMBERS = [(lesson, q) for lesson, q in ALL if q.kind == "number"]
MALFORMED = {"choice": ["z", "e)", 2, 1.0, None, "", "   ", ["a"], True],
             "number": [float("nan"), "abc", "", None, [1.0], True, np.array([1.0, 2.0]), "1,5e"]}


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A learner's workspace (an empty manifest), as the working directory and $BACKPROP_WORKSPACE."""
    (tmp_path / progress.MANIFEST).write_text("{}", encoding="utf-8")
    monkeypatch.setenv("BACKPROP_WORKSPACE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(progress, "_memory", None)
    return tmp_path


def recorded(folder: Path) -> dict:
    path = folder / progress.PROGRESS
    return json.loads(path.read_text(encoding="utf-8"))["questions"] if path.exists() else {}


# --- content ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_has_at_least_five_questions_with_unique_ids_and_both_kinds(lesson):
    qs = quiz.questions(lesson)
    assert len(qs) >= 5
    ids = [q.id for q in qs]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"q\d+", i) for i in ids)
    assert {q.kind for q in qs} == {"choice", "number"}, f"lesson {lesson}: mix numbers and choices"
    assert all(q.text.strip() and q.text.count("$") % 2 == 0 for q in qs)


def test_the_questions_cover_exactly_the_lessons():
    assert sorted(QUESTIONS) == LESSONS
    with pytest.raises(ValueError, match="lesson must be one of"):
        quiz.questions("11")
    with pytest.raises(ValueError, match="qid must be one of"):
        quiz.answer("01", "q99", 1)


@pytest.mark.parametrize("lesson,q", CHOICES, ids=[f"{lesson}-{q.id}" for lesson, q in CHOICES])
def test_every_option_has_its_own_explanation(lesson, q):
    assert 3 <= len(q.options) <= 4
    whys = [o.why.strip() for o in q.options]
    assert all(whys) and len(set(whys)) == len(whys)
    assert len({o.text.casefold() for o in q.options}) == len(q.options)


@pytest.mark.parametrize("lesson,q", NUMBERS, ids=[f"{lesson}-{q.id}" for lesson, q in NUMBERS])
def test_every_number_explains_its_answer_and_each_wrong_value(lesson, q):
    assert q.why.strip() and q.otherwise.strip() and q.tolerance > 0
    assert all(why.strip() for _, why in q.wrong)
    assert q.tolerance <= 0.01 * max(1.0, abs(q.answer)), "a tolerance this wide accepts wrong answers"


@pytest.mark.parametrize("lesson,q", ALL, ids=IDS)
def test_options_and_explanations_are_plain_text(lesson, q):
    """They are printed and shown in radio buttons, where LaTeX would not render."""
    texts = [q.why, q.otherwise] + [why for _, why in q.wrong] + [t for o in q.options for t in (o.text, o.why)]
    assert not any("$" in t for t in texts)


def test_a_malformed_question_is_refused_when_it_is_written():
    with pytest.raises(ValueError, match="3–4 options"):
        quiz.Question("q1", "?", "choice", "a", options=(quiz.Option("x", "y"), quiz.Option("z", "w")))
    with pytest.raises(ValueError, match="outside the tolerance"):
        quiz.Question("q1", "?", "number", 1.0, why="w", tolerance=0.1, wrong=((1.05, "close"),), otherwise="o")
    with pytest.raises(ValueError, match="letter of an option"):
        quiz.Question("q1", "?", "choice", "d", options=tuple(quiz.Option(t, "w") for t in "xyz"))


# --- checking -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lesson,q", ALL, ids=IDS)
def test_the_right_answer_is_accepted_in_every_form(lesson, q, capsys):
    if q.kind == "choice":
        right = q.options["abcd".index(q.answer)]
        forms = [q.answer, q.answer.upper(), f"{q.answer})", f" ({q.answer}) ", right.text, right.text.upper()]
    else:
        forms = [q.answer, q.answer + 0.9 * q.tolerance, q.answer - 0.9 * q.tolerance, str(q.answer),
                 np.float64(q.answer)]
        if float(q.answer).is_integer():
            forms.append(int(q.answer))
    for value in forms:
        assert quiz.answer(lesson, q.id, value) is True, value
        printed = capsys.readouterr().out
        assert printed.startswith("✔ ") and " ".join(q.explanation.split()) in " ".join(printed.split())
        assert all(len(line) <= 88 or " " not in line.strip() for line in printed.splitlines())


@pytest.mark.parametrize("lesson,q", CHOICES, ids=[f"{lesson}-{q.id}" for lesson, q in CHOICES])
def test_every_wrong_option_is_refused_with_its_own_explanation(lesson, q, capsys):
    for letter, option in zip(q.letters, q.options):
        if letter == q.answer:
            continue
        for value in (letter, option.text):
            assert quiz.answer(lesson, q.id, value) is False
            printed = " ".join(capsys.readouterr().out.split())
            assert printed.startswith("✘ ") and " ".join(option.why.split()) in printed


@pytest.mark.parametrize("lesson,q", NUMBERS, ids=[f"{lesson}-{q.id}" for lesson, q in NUMBERS])
def test_every_wrong_number_is_refused_with_its_explanation(lesson, q, capsys):
    for value, why in q.wrong:
        assert quiz.answer(lesson, q.id, value) is False
        printed = " ".join(capsys.readouterr().out.split())
        assert printed.startswith("✘ ") and " ".join(why.split()) in printed
    outside = q.answer + 1.5 * q.tolerance
    if not any(abs(outside - v) <= q.tolerance for v, _ in q.wrong):
        assert quiz.answer(lesson, q.id, outside) is False
        assert " ".join(q.otherwise.split()) in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("kind", ["choice", "number"])
def test_a_malformed_value_gets_one_line_and_is_not_recorded(kind, workspace, capsys):
    lesson, q = next((lesson, q) for lesson, q in ALL if q.kind == kind)
    for value in MALFORMED[kind]:
        assert quiz.answer(lesson, q.id, value) is False
        out = capsys.readouterr().out.strip()
        assert len(out.replace("\n  ", " ").splitlines()) == 1, out  # one line, wrapped
        printed = " ".join(out.split())
        assert printed.startswith("Not an answer to") and "Nothing recorded." in printed, printed
    assert recorded(workspace) == {}


def test_infinity_is_an_answer_not_a_malformed_value(capsys):
    assert quiz.answer("09", "q5", "-inf") is False
    assert "log 0" in capsys.readouterr().out


# --- recording ----------------------------------------------------------------------------------------------------

def test_answers_are_recorded_in_the_workspace_with_attempts_and_correctness(workspace, capsys):
    assert quiz.answer("01", "q1", 0.5) is False
    assert recorded(workspace) == {"01": {"q1": {"attempts": 1, "correct": False}}}
    assert quiz.answer("01", "q1", 0.25) is True
    assert quiz.answer("00", "q1", quiz.question("00", "q1").answer) is True
    assert quiz.answer("00", "q3", next(c for c in "abcd" if c != quiz.question("00", "q3").answer)) is False
    assert recorded(workspace) == {"01": {"q1": {"attempts": 2, "correct": True}},
                                   "00": {"q1": {"attempts": 1, "correct": True},
                                          "q3": {"attempts": 1, "correct": False}}}


def test_nothing_is_recorded_outside_a_workspace(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BACKPROP_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert quiz.answer("01", "q1", 0.25) is True
    assert list(tmp_path.iterdir()) == []


# --- the widget ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS)
def test_the_check_button_records_and_shows_the_explanation(lesson, workspace):
    form = quiz.questionnaire(lesson)
    qs = quiz.questions(lesson)
    assert [row.question.id for row in form.rows] == [q.id for q in qs]
    for row, q in zip(form.rows, qs):
        row.button.click()  # nothing chosen yet: a message, no attempt
        assert "Nothing recorded" in row.verdict.value
        assert q.id not in recorded(workspace).get(lesson, {})
        row.control.value = q.answer if q.kind == "choice" else quiz.number_text(q.answer)
        row.button.click()
        assert "✔" in row.verdict.value and _html_text(q.explanation) in row.verdict.value
        wrong = next(iter(set(q.letters) - {q.answer})) if q.kind == "choice" else q.answer + 10 * q.tolerance + 1
        row.control.value = wrong if q.kind == "choice" else str(wrong)
        row.button.click()
        assert "✘" in row.verdict.value
        assert recorded(workspace)[lesson][q.id] == {"attempts": 2, "correct": False}


def _html_text(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def test_the_widget_bundle_holds_the_questions_as_text_without_their_answers():
    form = quiz.questionnaire("03")
    data = form._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    for key in ("text/plain", "text/markdown"):
        text = data[key]
        assert not text.startswith(("VBox(", "Questionnaire(")) and quiz.INTRO in text
        for q in quiz.questions("03"):
            assert q.text.split("$")[0].strip()[:30] in " ".join(text.split())
            assert " ".join(q.explanation.split())[:40] not in " ".join(text.split())


def test_ipywidgets_is_imported_only_by_the_widget():
    import subprocess

    code = ("import sys, nblib.quiz as q; q.answer('01', 'q1', 0.25); q.static_markdown('05'); "
            "print('ipywidgets' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("False")


# --- notebooks, site and slides -----------------------------------------------------------------------------------

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_lesson_ends_with_its_own_questionnaire(path):
    nb = nbformat.read(path, as_version=4)
    lesson = path.name[:2]
    heading, cell = nb.cells[-2], nb.cells[-1]
    assert heading.cell_type == "markdown" and heading.source.startswith("## Questionnaire")
    assert "recorded in your progress" in heading.source
    assert cell.cell_type == "code"
    assert re.fullmatch(rf'from nblib\.quiz import questionnaire\s+questionnaire\("{lesson}"\)', cell.source.strip())
    assert heading.metadata["slideshow"]["slide_type"] == "slide" and "slideshow" in cell.metadata
    summary = max(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "## Summary" in c.source)
    assert summary < len(nb.cells) - 2, f"{path.name}: the questionnaire must come after the Summary"
    shown = [o for o in cell.outputs if "text/plain" in o.get("data", {})]
    assert shown and shown[-1]["data"]["text/plain"] == quiz.plain_text(lesson), (
        f"{path.name}: the stored questionnaire is stale — run `make execute NB=notebooks/{path.name}`")


sys.path.insert(0, str(ROOT / "tools"))
import build_html  # noqa: E402


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_site_and_slides_show_each_question_with_a_collapsed_answer(path):
    lesson = path.name[:2]
    static = build_html.static_notebook(nbformat.read(path, as_version=4))
    assert not any(build_html.QUESTIONNAIRE.search(c.source) for c in static.cells if c.cell_type == "code")
    cells = [c for c in static.cells if "<details><summary>Answer</summary>" in c.source
             and c.source.startswith("**Question")]
    qs = quiz.questions(lesson)
    assert len(cells) == len(qs)
    for cell, q in zip(cells, qs):
        assert cell.cell_type == "markdown" and q.text in cell.source
        answer = cell.source.split("<details><summary>Answer</summary>", 1)[1]
        assert answer.rstrip().endswith("</details>")
        assert q.answer_text() in answer and q.explanation in answer
        assert build_html.cell_height(cell) <= build_html.SLIDE_BUDGET
    split = build_html.split_long_cells(static)
    used, slides = 0.0, []
    for cell in split.cells:
        if build_html.slide_type(cell) in build_html.STARTS:
            used = 0.0
        used += build_html.cell_height(cell)
        if cell.get("id", "").startswith("quiz-code-q"):
            slides.append(used)
    assert slides and max(slides) <= build_html.SLIDE_BUDGET, "a questionnaire slide overflows 1280 × 720"


def test_the_preprocessing_leaves_other_code_cells_alone():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = questionnaire_count('01')"),
                nbformat.v4.new_code_cell('from nblib.quiz import questionnaire\nquestionnaire("04")')]
    out = build_html.static_questionnaires(nb)
    assert out.cells[0].cell_type == "code" and len(out.cells) == 1 + len(quiz.questions("04"))
    assert len({c.get("id") for c in out.cells[1:]}) == len(out.cells) - 1


# --- the numbers are the lessons' own ------------------------------------------------------------------------------

def value(lesson: str, qid: str) -> float:
    return quiz.question(lesson, qid).answer


def close(lesson: str, qid: str, computed: float) -> bool:
    q = quiz.question(lesson, qid)
    return abs(computed - q.answer) <= q.tolerance


def test_the_numbers_of_lessons_00_to_04_are_what_the_lessons_compute():
    import nblib
    from nblib import delta_rule, two_layer
    from nblib.house_prices import load_house_prices

    # 00: the deliberate slip in b's gradient, numerical ÷ analytic
    w, b = np.sin(np.arange(1.0, 7.0)).reshape(2, 3) / 10, np.array([[0.3], [-0.2]])
    slipped = np.sum(2 * (np.tanh(w) + b), axis=1, keepdims=True) / 3
    numerical = nblib.numerical_gradient(lambda bb: float(np.sum((np.tanh(w) + bb) ** 2)), b.copy())
    assert close("00", "q2", numerical[0, 0] / slipped[0, 0])
    # 01
    assert close("01", "q1", float(nblib.sigmoid_gradient(0.0)))
    kink = nblib.numerical_gradient(lambda z: float(np.sum(nblib.relu(z))), np.array([0.0]), eps=1e-5)
    assert close("01", "q4", kink[0])
    # 02: the worked house
    data = load_house_prices()
    params = two_layer.init_params(n_in=4, n_hidden=5, n_out=1, seed=1)
    x1, y1 = data.X[:, :1], data.Y[:, :1]
    grads = two_layer.backward(x1, y1, params, two_layer.forward(x1, params))
    assert close("02", "q1", sum(v.size for v in params.values()))
    assert close("02", "q2", grads["b_ho"][0, 0])
    assert dict(quiz.question("02", "q2").wrong)[-0.00103329] and abs(grads["W_ho"][2, 0] + 0.00103329) < 5e-9
    # 03: the summed index of dE/dW_ho, W[1]'s columns
    assert close("03", "q2", data.X[:, :6].shape[1]) and close("03", "q6", params["W_ih"].T.shape[1])
    # 04: δ of hidden unit 1 with W2[0] = 0
    x, W1 = np.array([1.0, 0.5]), np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    assert close("04", "q4", delta_rule.deltas(x, 1.0, W1, np.array([0.0, -0.1, 0.3]))["delta_hidden"][0])
    worked = delta_rule.deltas(x, 1.0, W1, np.array([0.2, -0.1, 0.3]))["delta_hidden"][0]
    assert abs(worked - quiz.question("04", "q4").wrong[0][0]) < 5e-7


def test_the_numbers_of_lessons_05_to_09_are_what_the_lessons_compute():
    from nblib import deep, mistakes
    from nblib.activations import log_softmax
    from nblib.autodiff import Tensor

    # 05b (the clinic): missing 1/m on the lesson's network
    parameters = deep.initialize_parameters([3, 5, 4, 1], seed=2)
    X, Y = np.sin(np.arange(18.0)).reshape(3, 6), np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]])
    activations = ["relu", "relu", "sigmoid"]
    AL, caches = deep.model_forward(X, parameters, activations)
    good = deep.model_backward(AL, Y, caches, activations)
    bad = mistakes.ZOO["missing 1/m"](AL, Y, caches, activations)
    for key in ("dW1", "dW2", "dW3"):
        live = good[key] != 0  # a dead relu unit's gradient is 0 either way
        assert live.any() and all(close("06", "q1", r) for r in bad[key][live] / good[key][live])
    assert good["dW2"].shape == (4, 5)
    # 07
    assert close("08", "q1", math.ceil(1347 / 32))
    assert close("08", "q2", sum(v.size for v in deep.initialize_parameters([64, 6, 10], seed=3).values()))
    # 08: the worked example of 3 classes
    z = np.array([[2.0], [-1.0], [0.5]])
    y_hat = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert close("09", "q1", -y_hat[0, 0] * y_hat[2, 0])
    assert close("09", "q2", y_hat[2, 0] - 1.0)
    assert close("09", "q5", log_softmax(np.array([[1e4], [0.0], [-1e4]]))[1, 0])
    # 09: fan-out in the engine
    a, b = Tensor(3.0, "a"), Tensor(4.0, "b")
    E = a * b + a
    E.backward()
    assert close("10", "q1", float(a.grad))
    w1 = Tensor(np.array([[0.5, -1.0]]), "w")
    loss = (w1 * np.array([[2.0, 3.0]])).sum() ** 2
    for _ in range(3):
        loss.backward()
    assert np.allclose(w1.grad, value("10", "q2") * np.array([[-8.0, -12.0]]))
    x, w, bb = Tensor(1.5, "x"), Tensor(-0.8, "w"), Tensor(0.4, "b")
    L = (w * x + bb).sigmoid() * x
    L.backward()
    assert close("10", "q3", float(x.grad))


def test_the_right_option_is_not_always_in_the_same_place():
    """Written with the right answer first, the options are shown in a fixed order of their own per question."""
    letters = [q.answer for lesson in quiz.LESSONS for q in quiz.questions(lesson) if q.kind == "choice"]
    most = max(letters.count(c) for c in set(letters))
    assert len(set(letters)) >= 3 and most <= len(letters) / 2, sorted(letters)
    again = [q.answer for lesson in quiz.LESSONS for q in quiz.questions(lesson) if q.kind == "choice"]
    assert again == letters
