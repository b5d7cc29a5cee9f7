"""How many students a hub holds: N simulated students log in together and run a lesson top to bottom through a real
JupyterHub (`make hub`), N = 5, 10, 20, 40 by default; a one-student run first gives the baseline.

Each student, in its own thread, all released at the same instant: the hub's login form, a REST API token, its server
started through the REST API, the course pulled with nbgitpuller from a bare copy of this repository, a new kernel
that runs every code cell of the lesson over the kernel websocket through the hub's proxy. Reported per N:

* kernel memory — the kernel's peak RSS measured inside it — and the student's JupyterLab server's RSS (psutil);
* CPU-seconds per lesson — the kernel's own user+system time, and that of the student's server;
* p50 / p95 time to finish — from pressing "log in" to the lesson's last output;
* failures — students whose login, start, pull or lesson failed or timed out.

Bounded: at most 40 students, every run stops after --timeout seconds (students still running count as failures) and
the whole script after --budget seconds; everything runs on 127.0.0.1 and every process started is stopped.

Usage: python benchmarks/hub_load.py [--students 5 10 20 40] [--lesson 08] [--timeout 300] [--out FILE.md]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import math
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))
import hub_link  # noqa: E402
import hubserver  # noqa: E402

MAX_STUDENTS = 40
DEFAULT_LESSON = "08"  # the heaviest: most kernel CPU-seconds and the largest kernel (see benchmarks/hub_load.md)


@dataclass
class Result:
    name: str
    ok: bool = False
    error: str = ""
    finish_s: float = math.nan  # login pressed → last output of the lesson
    start_s: float = math.nan  # server start through the REST API
    kernel_rss_mib: float = math.nan
    kernel_cpu_s: float = math.nan
    server_rss_mib: float = math.nan
    server_cpu_s: float = math.nan


@dataclass
class Run:
    students: int
    lesson: str
    results: list[Result] = field(default_factory=list)
    wall_s: float = math.nan
    stopped: str = ""  # why the run stopped early, if it did

    def ok(self) -> list[Result]:
        return [r for r in self.results if r.ok]

    @property
    def failures(self) -> int:
        return self.students - len(self.ok())


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of the finished students; NaN when none finished."""
    values = sorted(v for v in values if not math.isnan(v))
    if not values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(values)))
    return values[rank - 1]


def median(values: list[float]) -> float:
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else math.nan


def server_figures(hub: hubserver.Hub) -> dict[str, tuple[float, float]]:
    """RSS (MiB) and CPU-seconds of each student's single-user server, by user name (JUPYTERHUB_USER)."""
    figures = {}
    for proc in hub.processes():
        with contextlib.suppress(psutil.Error):
            if "jupyterhub-singleuser" not in " ".join(proc.cmdline()):
                continue
            user = proc.environ().get("JUPYTERHUB_USER")
            times = proc.cpu_times()
            figures[user] = (proc.memory_info().rss / 2**20, times.user + times.system)
    return figures


def student_run(hub, repo: str, result: Result, go: threading.Event, lesson: str, deadline: float) -> None:
    go.wait()
    begin = time.perf_counter()
    student = hubserver.Student(hub, result.name)
    try:
        student.login()
        student.request_token()
        result.start_s = student.start_server(timeout=max(5.0, deadline - time.time()))
        page = student.open_link(hub_link.link(hub.base, repo, "main", lesson, hubserver.TARGET))
        if page.status_code != 200:
            raise RuntimeError(f"the nbgitpuller link answered {page.status_code}")
        student.pull(repo, "main", timeout=max(5.0, deadline - time.time()))
        _, kernel = student.run_notebook(hubserver.lesson_path(lesson), timeout=max(5.0, deadline - time.time()))
        result.finish_s = time.perf_counter() - begin
        result.kernel_rss_mib, result.kernel_cpu_s = kernel["rss_mib"], kernel["cpu_s"]
        result.ok = True
    except Exception as error:  # a failure is a measurement here, never a crash of the script
        result.error = f"{type(error).__name__}: {str(error)[:160]}"


def run_class(students: int, lesson: str, timeout: float, folder: Path, env: dict[str, str] | None = None) -> Run:
    """One hub, ``students`` students at once; the hub and everything it started are stopped afterwards."""
    if not 1 <= students <= MAX_STUDENTS:
        raise ValueError(f"students must be 1..{MAX_STUDENTS}, not {students}")
    run = Run(students, lesson, [Result(f"student{i:02d}") for i in range(students)])
    bare = hubserver.bare_course_copy(folder)
    problem = hubserver.hand_to_tryout_servers(folder, bare)  # as root the servers run as another user
    if problem:
        raise SystemExit(f"hub_load.py: {problem}")
    repo = f"file://{bare}"
    with hubserver.running_hub(folder / "state", start_timeout=int(timeout), env=env) as hub:
        go, deadline = threading.Event(), time.time() + timeout
        threads = [threading.Thread(target=student_run, args=(hub, repo, r, go, lesson, deadline), daemon=True)
                   for r in run.results]
        for t in threads:
            t.start()
        began = time.perf_counter()
        go.set()
        for t in threads:
            t.join(timeout=max(0.0, deadline - time.time()))
        run.wall_s = time.perf_counter() - began
        if any(t.is_alive() for t in threads):
            run.stopped = f"stopped at the {timeout:.0f} s time limit"
            for r, t in zip(run.results, threads):
                if t.is_alive() and not r.error:
                    r.ok, r.error = False, "TimeoutError: still running at the time limit"
        for r in run.results:
            r.server_rss_mib, r.server_cpu_s = server_figures(hub).get(r.name, (math.nan, math.nan))
    return run


def figures(run: Run) -> dict[str, float]:
    ok = run.ok()
    return {
        "kernel_rss": median([r.kernel_rss_mib for r in ok]),
        "kernel_rss_max": max((r.kernel_rss_mib for r in ok), default=math.nan),
        "server_rss": median([r.server_rss_mib for r in ok]),
        "kernel_cpu": median([r.kernel_cpu_s for r in ok]),
        "server_cpu": median([r.server_cpu_s for r in ok]),
        "p50": percentile([r.finish_s for r in ok], 50),
        "p95": percentile([r.finish_s for r in ok], 95),
        "start_p95": percentile([r.start_s for r in ok], 95),
    }


def f1(value: float, unit: str = "") -> str:
    return "—" if math.isnan(value) else f"{value:.1f}{unit}"


def table(runs: list[Run]) -> str:
    lines = ["| students at once | failures | kernel RSS (median / max) | server RSS | kernel CPU-s per lesson "
             "| server CPU-s | time to finish p50 / p95 | server start p95 | all done after |",
             "|---:|---:|---|---:|---:|---:|---|---:|---:|"]
    for run in runs:
        f = figures(run)
        lines.append(f"| {run.students} | {run.failures}{' (' + run.stopped + ')' if run.stopped else ''} "
                     f"| {f1(f['kernel_rss'])} / {f1(f['kernel_rss_max'])} MiB | {f1(f['server_rss'])} MiB "
                     f"| {f1(f['kernel_cpu'])} | {f1(f['server_cpu'])} | {f1(f['p50'], ' s')} / {f1(f['p95'], ' s')} "
                     f"| {f1(f['start_p95'], ' s')} | {f1(run.wall_s, ' s')} |")
    return "\n".join(lines)


def times(value: float, base: float, digits: int) -> str:
    """'2.0×', or '—' when a run had no finished student to measure."""
    return "—" if math.isnan(value) or math.isnan(base) else f"{value / base:.{digits}f}×"


def ratios(runs: list[Run]) -> str:
    """The same figures as ratios to the one-student run (what `make bench` prints)."""
    base = figures(runs[0])
    lines = ["| students at once | p50 time ÷ 1 student | p95 time ÷ 1 student | kernel CPU-s ÷ 1 student "
             "| kernel RSS ÷ 1 student | failures |", "|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        f = figures(run)
        lines.append(f"| {run.students} | {times(f['p50'], base['p50'], 1)} | {times(f['p95'], base['p95'], 1)} "
                     f"| {times(f['kernel_cpu'], base['kernel_cpu'], 2)} "
                     f"| {times(f['kernel_rss'], base['kernel_rss'], 2)} | {run.failures} |")
    return "\n".join(lines)


def sizing(runs: list[Run], cores: int, memory_gib: float, lesson_minutes: float = 45) -> str:
    """Students per core and per GiB for the two ways a class uses a hub, and the Zero to JupyterHub resources."""
    held = [r for r in runs if r.failures == 0 and not math.isnan(figures(r)["p95"])]
    if not held:
        return "No run finished without failures: no sizing can be derived."
    biggest = max(held, key=lambda r: r.students)
    f = figures(biggest)
    per_student_mib = max(figures(r)["kernel_rss_max"] for r in held) + max(figures(r)["server_rss"] for r in held)
    cpu_per_lesson = f["kernel_cpu"] + f["server_cpu"]
    run_all_per_core = biggest.students / cores
    working_per_core = lesson_minutes * 60 / cpu_per_lesson
    per_gib = 1024 / per_student_mib
    guarantee_mib = 2 ** math.ceil(math.log2(per_student_mib))
    cpu_guarantee = max(0.05, round(1 / min(working_per_core, per_gib * memory_gib / cores), 2))
    return "\n".join([
        "| how the class uses the hub | students per core | students per GiB | what limits it |",
        "|---|---:|---:|---|",
        f"| everyone presses Run All at once | {run_all_per_core:.0f} (measured: {biggest.students} on {cores} cores, "
        f"0 failures, p95 {f['p95']:.0f} s) | {per_gib:.1f} | CPU: each Run All costs {cpu_per_lesson:.1f} CPU-s, "
        f"so the class waits about N × {cpu_per_lesson:.1f} s ÷ cores |",
        f"| working through a lesson ({lesson_minutes:.0f} min) | {working_per_core:.0f} (CPU is idle most of the "
        f"time) | {per_gib:.1f} | memory: {per_student_mib:.0f} MiB per student (server + kernel), held all lesson |",
        "",
        f"Zero to JupyterHub, from this: `memory.guarantee: {guarantee_mib}M`, `memory.limit: {2 * guarantee_mib}M` "
        f"(peak {per_student_mib:.0f} MiB per student, doubled for a student's own experiments), "
        f"`cpu.guarantee: {cpu_guarantee}`, `cpu.limit: 1` (one Run All may use a whole core).",
    ])


def report(runs: list[Run], lesson: str, threads: str = "", load: str = "") -> str:
    cores, memory_gib = psutil.cpu_count() or 1, psutil.virtual_memory().total / 2**30
    when = datetime.date.today().isoformat()
    stopped = [r for r in runs if r.failures or r.stopped]
    return "\n".join([
        f"# Hub load: {hub_link.lesson_file(lesson)} run by N students at once through JupyterHub",
        "",
        f"Measured {when} with `python benchmarks/hub_load.py` on {cores} cores, {memory_gib:.0f} GiB "
        f"({platform.machine()}, Python {platform.python_version()}); JupyterHub with SimpleLocalProcessSpawner "
        "on 127.0.0.1, every student's server and kernel on this one machine. A student logs in, gets a token, "
        "starts a server, follows the nbgitpuller link and runs every code cell of the lesson in a new kernel "
        "through the hub's proxy. BLAS threads per kernel: "
        + (f"{threads} (OPENBLAS_NUM_THREADS/OMP_NUM_THREADS)." if threads else "OpenBLAS's default (one per core).")
        + (f" Load average before the first run: {load}." if load else ""),
        "",
        table(runs),
        "",
        "Kernel RSS and CPU-seconds are measured inside each kernel after the last cell (getrusage: peak resident "
        "memory, user + system time); server RSS/CPU are each student's jupyterhub-singleuser process (psutil). "
        "Medians over the students who finished.",
        "",
        ("Stopped: " + "; ".join(f"{r.students} students — {r.failures} failed"
                                 f"{', ' + r.stopped if r.stopped else ''}" for r in stopped) + "."
         if stopped else "Every student finished at every N measured."),
        "",
        "## Sizing",
        "",
        sizing(runs, cores, memory_gib),
        "",
        "## Ratios to one student (`make bench`)",
        "",
        ratios(runs),
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[5, 10, 20, 40])
    parser.add_argument("--lesson", default=DEFAULT_LESSON)
    parser.add_argument("--timeout", type=float, default=300, help="seconds one class run may take (default 300)")
    parser.add_argument("--budget", type=float, default=1800, help="seconds the whole script may take")
    parser.add_argument("--blas-threads", default="1",
                        help="BLAS threads per kernel (HUB_BLAS_THREADS; default 1 as `make hub`; '' = one per core)")
    parser.add_argument("--out", type=Path, help="also write the report (Markdown) to this file")
    args = parser.parse_args(argv)
    sizes = [1, *sorted(set(args.students) - {1})]
    if max(sizes) > MAX_STUDENTS:
        parser.error(f"at most {MAX_STUDENTS} students")
    stop_at = time.time() + args.budget
    threads = args.blas_threads
    env = {"HUB_BLAS_THREADS": threads}
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    runs = []
    for n in sizes:
        if time.time() + args.timeout > stop_at:
            print(f"# skipped {n} students and more: the {args.budget:.0f} s budget would be exceeded", flush=True)
            break
        with tempfile.TemporaryDirectory(prefix=f"hub-load-{n}-") as folder:
            run = run_class(n, args.lesson, args.timeout, Path(folder), env)
        runs.append(run)
        errors = sorted({r.error for r in run.results if r.error})
        print(f"# {n} students: {run.failures} failed, all done after {run.wall_s:.1f} s"
              + (f"; errors: {errors[:3]}" if errors else ""), flush=True)
        if run.failures and n > 1:
            print(f"# stopping: {n} students already had failures", flush=True)
            break
    text = report(runs, args.lesson, args.blas_threads or "", load)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
