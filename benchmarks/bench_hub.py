"""`make bench`'s hub row: the heaviest lesson run through a real JupyterHub (`make hub`) by 1 student, then by 5 and
10 at once; prints time at N students ÷ time for one student (p50, p95), and kernel CPU-seconds and RSS the same way,
with failures. Bounded (≤ 10 students, 180 s a run, loopback only); never fails on time. The full measurement (5 to
40 students, the sizing table) is `python benchmarks/hub_load.py` → benchmarks/hub_load.md. Skipped without npm."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hub_load  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_HUB_STUDENTS", "1 5 10").split()]


def main() -> int:
    if shutil.which("npm") is None or shutil.which("node") is None:
        print("hub load: skipped (node/npm not installed: configurable-http-proxy needs them)")
        return 0
    runs = []
    for n in sorted({1, *SIZES}):
        with tempfile.TemporaryDirectory(prefix=f"bench-hub-{n}-") as folder:
            runs.append(hub_load.run_class(min(n, 10), hub_load.DEFAULT_LESSON, 180, Path(folder)))
    print(f"hub load: {hub_load.hub_link.lesson_file(hub_load.DEFAULT_LESSON)} run by N students at once "
          f"through JupyterHub (one student: {hub_load.figures(runs[0])['p50']:.1f} s)")
    print(hub_load.ratios(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
