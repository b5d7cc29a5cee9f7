"""benchmarks/hub_load.py's own logic (never its timings): percentiles, the bound on students, the ratio and sizing
tables it derives from measured runs."""

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import hub_load  # noqa: E402


def run(students, finish, kernel_cpu=2.0, server_cpu=1.0, kernel_rss=140.0, server_rss=150.0, failed=0):
    results = [hub_load.Result(f"s{i}", ok=i >= failed, finish_s=finish + i, kernel_cpu_s=kernel_cpu,
                               server_cpu_s=server_cpu, kernel_rss_mib=kernel_rss, server_rss_mib=server_rss)
               for i in range(students)]
    return hub_load.Run(students, "08", results, wall_s=finish + students)


def test_nearest_rank_percentiles_ignore_students_who_did_not_finish():
    assert hub_load.percentile([4.0, 1.0, 3.0, 2.0, math.nan], 50) == 2.0
    assert hub_load.percentile([float(v) for v in range(1, 21)], 95) == 19.0
    assert math.isnan(hub_load.percentile([math.nan], 50))


def test_a_class_is_bounded():
    with pytest.raises(ValueError, match="1..40"):
        hub_load.run_class(41, "08", 10, Path("/nonexistent"))


def test_ratios_are_to_the_one_student_run():
    text = hub_load.ratios([run(1, 10.0), run(5, 40.0, kernel_cpu=4.0, failed=1)])
    rows = text.splitlines()
    assert rows[2] == "| 1 | 1.0× | 1.0× | 1.00× | 1.00× | 0 |"
    # 5 students, one failed: finish times 41, 42, 43, 44 → p50 42 (4.2×), p95 44 (4.4×)
    assert rows[3] == "| 5 | 4.2× | 4.4× | 2.00× | 1.00× | 1 |"
    nobody = run(40, 300.0, failed=40)
    assert hub_load.ratios([run(1, 10.0), nobody]).splitlines()[3] == "| 40 | — | — | — | — | 40 |"


def test_sizing_uses_the_largest_class_held_without_failures():
    runs = [run(1, 10.0), run(10, 30.0), run(20, 60.0, failed=2)]
    text = hub_load.sizing(runs, cores=2, memory_gib=24)
    assert "| 5 (measured: 10 on 2 cores, 0 failures, p95 39 s)" in text
    assert "| 3.5 |" in text  # 1024 MiB / (140 + 150) MiB per student
    assert "memory.guarantee: 512M" in text and "memory.limit: 1024M" in text
    assert "no sizing" in hub_load.sizing([run(5, 30.0, failed=1)], 2, 24)
