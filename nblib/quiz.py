"""The questionnaire that closes every lesson: short self-check questions, each answer explained and recorded.

A question (:class:`Question`) is either a *choice* (3–4 options, each with its own explanation of why it is right
or wrong) or a *number* (an exact value and a tolerance, the explanation of the right value, named explanations for
the plausible wrong numbers — a shape read transposed, a forgotten 1/m — and a generic one for any other number).
The questions themselves are in :mod:`nblib.questionnaires`.

* ``questions("01")`` — the lesson's questions (``.id``, ``.text``, …);
* ``answer("01", "q1", 0.25)`` — checks one answer, prints "✔ …" or "✘ …" with the explanation, records it in the
  learner's progress (:func:`nblib.progress.record_answer`, only inside a workspace) and returns whether it was
  right; a value that is no answer at all (a letter that is no option, NaN, a list) gets a one-line message and is
  not recorded;
* ``questionnaire("01")`` — the same as widgets (the question, radio buttons or a text box, a Check button and the
  verdict), whose display bundle also holds the questions as text, for a notebook that has not been run;
* ``static_markdown("01")`` — one Markdown cell per question with its answer in a collapsed ``<details>``: what the
  site and the slides show instead of the widgets (tools/build_html.py).

Imports ipywidgets only inside :func:`questionnaire`.
"""

from __future__ import annotations

import html
import math
import numbers
import re
import reprlib
from dataclasses import dataclass

from nblib.exercises.feedback import wrapped
from nblib.progress import record_answer

LESSONS = tuple(f"{n:02d}" for n in range(10))
LETTERS = "abcd"
KINDS = ("choice", "number")


@dataclass(frozen=True)
class Option:
    """One option of a choice question and why choosing it is right or wrong."""

    text: str
    why: str

    def __post_init__(self):
        for name in ("text", "why"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{name} must be a non-empty str, got {value!r:.60}")


@dataclass(frozen=True)
class Question:
    """One self-check question.

    ``kind`` "choice": ``options`` (3–4 :class:`Option`), ``answer`` the right option's letter. ``kind`` "number":
    ``answer`` the exact value, accepted within ``tolerance``; ``why`` explains it, ``wrong`` pairs plausible wrong
    values with what each one means, ``otherwise`` answers any other number.
    """

    id: str
    text: str
    kind: str
    answer: str | float
    options: tuple[Option, ...] = ()
    why: str = ""
    tolerance: float = 0.0
    wrong: tuple[tuple[float, str], ...] = ()
    otherwise: str = ""

    def __post_init__(self):
        if not isinstance(self.id, str) or not re.fullmatch(r"q\d+", self.id):
            raise ValueError(f'id must look like "q1", got {self.id!r}')
        if not isinstance(self.text, str) or not self.text.strip():
            raise ValueError(f"{self.id}: text must be a non-empty str, got {self.text!r:.60}")
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: kind must be one of {KINDS}, got {self.kind!r}")
        if self.kind == "choice":
            if not isinstance(self.options, (tuple, list)) or not all(isinstance(o, Option) for o in self.options):
                raise TypeError(f"{self.id}: options must be a tuple of Option(text, why), got {self.options!r:.60}")
            if not 3 <= len(self.options) <= len(LETTERS):
                raise ValueError(f"{self.id}: a choice needs 3–4 options, got {len(self.options)}")
            if self.answer not in LETTERS[:len(self.options)]:
                raise ValueError(f"{self.id}: answer must be the letter of an option, got {self.answer!r}")
            if not all(o.text.strip() and o.why.strip() for o in self.options):
                raise ValueError(f"{self.id}: every option needs a text and an explanation")
        else:
            if not (isinstance(self.answer, numbers.Real) and math.isfinite(self.answer)):
                raise ValueError(f"{self.id}: answer must be a finite number, got {self.answer!r}")
            tolerance_ok = (isinstance(self.tolerance, numbers.Real) and not isinstance(self.tolerance, bool)
                            and math.isfinite(self.tolerance) and self.tolerance > 0)
            if not (tolerance_ok and isinstance(self.why, str) and self.why.strip()
                    and isinstance(self.otherwise, str) and self.otherwise.strip()):
                raise ValueError(f"{self.id}: a number needs a finite tolerance > 0 (got {self.tolerance!r:.40}), "
                                 "why and otherwise")
            pairs = isinstance(self.wrong, (tuple, list)) and all(
                isinstance(w, (tuple, list)) and len(w) == 2 and isinstance(w[0], numbers.Real)
                and isinstance(w[1], str) for w in self.wrong)
            if not pairs:
                raise TypeError(f"{self.id}: wrong must be a tuple of (value, why) pairs, got {self.wrong!r:.60}")
            for value, why in self.wrong:
                if math.isnan(value) or abs(value - self.answer) <= self.tolerance or not why.strip():
                    raise ValueError(f"{self.id}: the wrong value {value!r} needs an explanation and must lie "
                                     "outside the tolerance")

    @property
    def letters(self) -> str:
        return LETTERS[:len(self.options)]

    @property
    def explanation(self) -> str:
        """Why the right answer is right."""
        return self.options[LETTERS.index(self.answer)].why if self.kind == "choice" else self.why

    def answer_text(self) -> str:
        """The right answer as shown: "b) (4, 5)" or "0.25"."""
        if self.kind == "choice":
            return f"{self.answer}) {self.options[LETTERS.index(self.answer)].text}"
        return number_text(self.answer)


def number_text(value: float) -> str:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a real number, got {type(value).__name__} {value!r:.40}")
    return format(value, ".10g").replace("-", "−")


def questions(lesson: str) -> list[Question]:
    """The questions of lesson ``lesson`` ("00" … "10"), in order."""
    from nblib.questionnaires import QUESTIONS

    if not isinstance(lesson, str) or lesson not in QUESTIONS:
        raise ValueError(f'lesson must be one of {", ".join(repr(k) for k in sorted(QUESTIONS))}, got {lesson!r}')
    return list(QUESTIONS[lesson])


def question(lesson: str, qid: str) -> Question:
    """Question ``qid`` ("q1", …) of lesson ``lesson``."""
    found = {q.id: q for q in questions(lesson)}
    if qid not in found:
        raise ValueError(f"qid must be one of lesson {lesson}'s questions {', '.join(found)}, got {qid!r}")
    return found[qid]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one answer: ``correct`` is None when the value was no answer at all (not recorded)."""

    correct: bool | None
    message: str

    def __post_init__(self):
        if self.correct not in (True, False, None) or not isinstance(self.correct, (bool, type(None))):
            raise ValueError(f"correct must be True, False or None (no answer), got {self.correct!r:.40}")
        if not isinstance(self.message, str):
            raise TypeError(f"message must be a str, got {type(self.message).__name__}")


def _verdict(verdict) -> Verdict:
    if not isinstance(verdict, Verdict):
        raise TypeError(f"verdict must be a Verdict (as judge() and check() return), got {type(verdict).__name__} "
                        f"{verdict!r:.40}")
    return verdict


def _letter(q: Question, value) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).casefold()
    bare = text.strip("() .")
    if len(bare) == 1 and bare in q.letters:
        return bare
    for letter, option in zip(q.letters, q.options):
        if text == " ".join(option.text.split()).casefold():
            return letter
    return None


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace("−", "-").replace("–", "-"))
        except ValueError:
            return None
    if not isinstance(value, numbers.Real):
        return None
    value = float(value)
    return None if math.isnan(value) else value


def judge(q: Question, value) -> Verdict:
    """Judge ``value`` as an answer to ``q`` (nothing printed, nothing recorded)."""
    if not isinstance(q, Question):
        raise TypeError(f'q must be a Question, e.g. question("01", "q1"), got {type(q).__name__} {q!r:.40}')
    if value is None or (isinstance(value, str) and not value.strip()):
        wanted = f"choose an option ({', '.join(q.letters)})" if q.kind == "choice" else "type a number"
        return Verdict(None, f"Not an answer to {q.id} yet: {wanted} first. Nothing recorded.")
    if q.kind == "choice":
        letter = _letter(q, value)
        if letter is None:
            return Verdict(None, f"Not an answer to {q.id}: give the letter of an option ({', '.join(q.letters)}) "
                                 f"or its text, not {reprlib.repr(value)}. Nothing recorded.")
        option = q.options[LETTERS.index(letter)]
        return Verdict(letter == q.answer, f"{letter}) {option.text}: {option.why}")
    number = _number(value)
    if number is None:
        return Verdict(None, f"Not an answer to {q.id}: it takes one number (e.g. 0.25 or 6), "
                             f"not {reprlib.repr(value)}. Nothing recorded.")
    shown = number_text(number)
    if abs(number - q.answer) <= q.tolerance:
        return Verdict(True, f"{shown}: {q.why}")
    for wrong, why in q.wrong:
        if number == wrong or abs(number - wrong) <= q.tolerance:
            return Verdict(False, f"{shown}: {why}")
    return Verdict(False, f"{shown}: {q.otherwise}")


def check(lesson: str, qid: str, value) -> Verdict:
    """Judge an answer and record it in the learner's progress (unless it was no answer at all)."""
    verdict = judge(question(lesson, qid), value)
    if verdict.correct is not None:
        record_answer(lesson, qid, verdict.correct)
    return verdict


def line(verdict: Verdict) -> str:
    """The verdict as printed: "✔ …" or "✘ …", or the one-line message for no answer, wrapped at 88 columns."""
    _verdict(verdict)
    mark = {True: "✔ ", False: "✘ ", None: ""}[verdict.correct]
    return wrapped(mark + verdict.message)


def answer(lesson: str, qid: str, value) -> bool:
    """Check ``value`` as the answer to question ``qid`` of lesson ``lesson``: a letter ("a", "b", …) or an option's
    text for a choice, a number for a number. Prints the verdict with its explanation, records it in the learner's
    progress and returns whether it was right (False, unrecorded, for a value that is no answer)."""
    verdict = check(lesson, qid, value)
    print(line(verdict))
    return bool(verdict.correct)


# --- what a notebook shows ----------------------------------------------------------------------------------------

INTRO = "Answers are checked and recorded in your progress."


def plain_text(lesson: str) -> str:
    """The questions as text: what a notebook that has not been run (or a tool without widgets) shows."""
    rows = [f"Questionnaire, lesson {lesson} — run this cell to answer. {INTRO}"]
    for q in questions(lesson):
        rows.append("")
        rows.append(wrapped(f"{q.id}. {q.text}" + ("  (a number)" if q.kind == "number" else "")))
        rows += [wrapped(f"    {letter}) {o.text}") for letter, o in zip(q.letters, q.options)]
    return "\n".join(rows)


def _markdown(q: Question, number: int, total: int) -> str:
    head = f"**Question {number} of {total}** ({q.id}). {q.text}"
    if q.kind == "number":
        return head + " *Answer with a number.*"
    return head + "\n\n" + "\n".join(f"- {letter}) {o.text}" for letter, o in zip(q.letters, q.options))


def markdown_text(lesson: str) -> str:
    """The questions as Markdown, without their answers."""
    qs = questions(lesson)
    return "\n\n".join(_markdown(q, n, len(qs)) for n, q in enumerate(qs, 1))


def static_markdown(lesson: str) -> list[str]:
    """One Markdown cell per question: the question, then its answer and explanation in a collapsed
    ``<details>`` — the site's and the slides' questionnaire."""
    qs = questions(lesson)
    return [f"{_markdown(q, n, len(qs))}\n\n<details><summary>Answer</summary>\n\n"
            f"**{q.answer_text()}** — {q.explanation}\n\n</details>" for n, q in enumerate(qs, 1)]


def _html(text: str) -> str:
    """A question's Markdown as HTML for an HTMLMath widget: escaped, `code` and **bold**; $…$ left to MathJax."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)


def verdict_html(verdict: Verdict) -> str:
    """The verdict in a widget: the same text as :func:`line`, left to the browser to wrap."""
    _verdict(verdict)
    colour = {True: "#006400", False: "#a3361a", None: "#444444"}[verdict.correct]
    mark = {True: "✔ ", False: "✘ ", None: ""}[verdict.correct]
    return f'<div style="color: {colour}">{html.escape(mark + verdict.message, quote=False)}</div>'



@dataclass
class Row:
    """One question's widgets: its prompt, the control the learner answers with, the Check button, the verdict."""

    question: Question
    prompt: object
    control: object
    button: object
    verdict: object


class Questionnaire:
    """The lesson's questionnaire as widgets; its display bundle adds the questions as text and Markdown."""

    def __init__(self, lesson: str, box, rows: list[Row]):
        self.lesson, self.box, self.rows = lesson, box, rows

    def _repr_mimebundle_(self, **kwargs):
        data = dict(self.box._repr_mimebundle_(**kwargs))
        data["text/plain"] = plain_text(self.lesson)
        data["text/markdown"] = f"**Questionnaire** — run this cell to answer. {INTRO}\n\n" + markdown_text(
            self.lesson)
        return data


def questionnaire(lesson: str) -> Questionnaire:
    """Every question of lesson ``lesson`` as widgets: the question, radio buttons (a choice) or a text box (a
    number), a Check button and the verdict with its explanation (recorded like :func:`answer`)."""
    import ipywidgets as widgets

    qs = questions(lesson)
    # One Layout and one style per kind of widget, shared: the notebook stores every widget model's state, and
    # a layout or style of its own per widget would triple it.
    plain, row_layout = widgets.Layout(), widgets.Layout(margin="0 0 12px 0")
    radio_layout, text_layout = widgets.Layout(width="auto"), widgets.Layout(width="12em")
    styles = {}

    def make(kind, **traits):  # a widget whose style model is shared with the others of its kind
        if kind in styles:
            traits["style"] = styles[kind]
        widget = kind(**traits)
        styles.setdefault(kind, widget.style)
        return widget

    rows, children = [], []
    for n, q in enumerate(qs, 1):
        prompt = make(widgets.HTMLMath, value=f"<b>{n}.</b> {_html(q.text)}", layout=plain)
        if q.kind == "choice":
            control = make(widgets.RadioButtons, options=[(f"{letter}) {o.text}", letter)
                                                          for letter, o in zip(q.letters, q.options)],
                           value=None, layout=radio_layout)
        else:
            control = make(widgets.Text, placeholder="a number", layout=text_layout)
        button = make(widgets.Button, description="Check", tooltip=f"check your answer to question {n}",
                      layout=plain)
        verdict = make(widgets.HTML, layout=plain)
        row = Row(q, prompt, control, button, verdict)

        def on_click(_, row=row):
            row.verdict.value = verdict_html(check(lesson, row.question.id, row.control.value))

        button.on_click(on_click)
        rows.append(row)
        verdict.add_class("bbh-feedback")  # names for the browser test (tests/browser/test_learner_lab.py)
        box = widgets.VBox([prompt, widgets.HBox([control, button], layout=plain), verdict], layout=row_layout)
        box.add_class("bbh-question")
        children.append(box)
    return Questionnaire(lesson, widgets.VBox(children, layout=plain), rows)
