"""Survey: call every public maths function of nblib with bad inputs and count what comes back.

Not a benchmark and not a test: ``python benchmarks/survey_inputs.py [--details] [--json FILE]`` prints, per
category (correct / good error / raw error / silent NaN/inf / wrong number / wrong name / refuses valid input),
how many of the enumerated calls (tests/fuzz_cases.py) and of the random calls land there. Issue 14's closing
note quotes its counts before and after.
"""

import argparse
import json
import sys
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import fuzz_cases  # noqa: E402


def survey(cases):
    counts, details = Counter(), []
    for case in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            category, detail = case.run()
        counts[category] += 1
        if detail.startswith("ZeroDivisionError"):
            counts["  of which ZeroDivisionError"] += 1
        if category not in ("correct", "good error"):
            details.append(f"{category:20s} {case.label}: {detail}")
    return counts, details


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--details", action="store_true", help="list every call that is not correct or a good error")
    parser.add_argument("--random", type=int, default=4200, help="number of random calls")
    parser.add_argument("--json", help="write the counts to this file")
    parser.add_argument("--issue27", action="store_true",
                        help="count issue 27's rows instead (tests/fuzz_cases_more.py: adversarial inputs, sizes, "
                             "every widget/redraw/plots/data function and tool); COURSE_ROOT=DIR PYTHONPATH=DIR counts "
                             "them on another checkout (before a change)")
    parser.add_argument("--public", action="store_true",
                        help="count tests/fuzz_cases_public.py's rows instead (every other public name of nblib: "
                             "progress, quiz, solutions, gradcheck's report, shapes, autodiff's rules, the checks); "
                             "COURSE_ROOT=DIR PYTHONPATH=DIR counts them on another checkout")
    args = parser.parse_args()
    if args.issue27:
        return issue27()
    if args.public:
        return issue27("fuzz_cases_public.py")
    enumerated = fuzz_cases.enumerated_cases()
    results = {"enumerated": survey(enumerated), "random": survey(fuzz_cases.random_cases(args.random))}
    print(f"{len(fuzz_cases.FUNCTIONS)} functions; {len(enumerated)} enumerated calls, {args.random} random calls")
    print(f"{'category':30s} {'enumerated':>10s} {'random':>8s}")
    keys = list(fuzz_cases.CATEGORIES) + ["  of which ZeroDivisionError"]
    for key in keys:
        print(f"{key:30s} {results['enumerated'][0][key]:10d} {results['random'][0][key]:8d}")
    if args.details:
        for part, (_, details) in results.items():
            print(f"\n--- {part} ---")
            print("\n".join(sorted(set(details))))
    if args.json:
        Path(args.json).write_text(json.dumps({part: dict(c) for part, (c, _) in results.items()}, indent=1))


def issue27(rows: str = "fuzz_cases_more.py") -> None:
    """Issue 27's rows, handled or not, per group (run in a process of their own: a memory limit and an alarm stop
    an allocation or a loop a size without a ceiling would start)."""
    import subprocess

    rows_file = Path(__file__).resolve().parent.parent / "tests" / rows
    done = subprocess.run([sys.executable, str(rows_file), "--all"], capture_output=True, text=True, check=True)
    counts: Counter = Counter()
    for line in done.stdout.splitlines():
        group, verdict, *_ = line.split("\t")
        counts[group, verdict] += 1
    groups = sorted({g for g, _ in counts})
    print(f"{'group':16s}{'handled':>9s}{'not':>6s}")
    for group in groups:
        print(f"{group:16s}{counts[group, 'handled']:9d}{counts[group, 'NOT handled']:6d}")
    print(f"{'total':16s}{sum(v for (_, h), v in counts.items() if h == 'handled'):9d}"
          f"{sum(v for (_, h), v in counts.items() if h != 'handled'):6d}")


if __name__ == "__main__":
    main()
