"""bench/load.py at a small scale: a real waitress server on loopback (guard and bounded workers
on, as `mgi-graph serve` runs), many client threads for a few seconds, zero errors, flat memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_small_load_run_has_no_errors_and_flat_memory():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--duration", "4", "--warmup", "1",
                           "--concurrency", "12", "--server-threads", "6"],
                          capture_output=True, text=True, timeout=180)
    report = done.stdout + done.stderr[-3000:]
    assert done.returncode == 0, report
    assert "errors: 0" in done.stdout and "p99" in done.stdout
