"""Benchmark entraide on a generated vault; prints a table and writes JSON. Not a test.

    python scripts/bench.py [--contacts 10000] [--runs 5] [--vault PATH] [--out bench.json]

Cold and warm runs are fresh processes (cold: an empty cache folder); the daemon is a real
`entraide watch` whose log lines say when a pass is done.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-22"
BASELINE = """
import sys, time, os, frontmatter
from markdown_it import MarkdownIt
md = MarkdownIt()
files = [os.path.join(d, f) for d, _, fs in os.walk(sys.argv[1]) if "/." not in d
         for f in fs if f.endswith(".md")]
start = time.perf_counter()
for f in files:
    post = frontmatter.load(f)
    md.parse(post.content)
print(time.perf_counter() - start)
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise RuntimeError(f"{' '.join(cmd)} failed: {err}")
    return elapsed, usage.ru_maxrss


class Daemon:
    def __init__(self, vault: Path, env: dict[str, str], debounce_ms: int) -> None:
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "entraide",
                "watch",
                str(vault),
                "--today",
                TODAY,
                "--debounce-ms",
                str(debounce_ms),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put((time.perf_counter(), line))

    def wait(self, text: str, timeout: float = 120) -> tuple[float, str]:
        deadline = time.perf_counter() + timeout
        while True:
            at, line = self.lines.get(timeout=max(deadline - time.perf_counter(), 0.01))
            if text in line:
                return at, line

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def pass_ms(line: str) -> float:
    return float(line.rsplit(",", 1)[1].strip().split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--debounce-ms", type=int, default=300)
    parser.add_argument("--vault", type=Path)
    parser.add_argument("--out", type=Path, default=Path("bench.json"))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="entraide-bench-"))
    vault = args.vault or work / "vault"
    if not vault.exists():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "gen_vault.py"),
                str(vault),
                "--contacts",
                str(args.contacts),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    notes = sorted(vault.rglob("*.md"))
    env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"), XDG_STATE_HOME=str(work / "state"))
    run = [sys.executable, "-m", "entraide", "run", str(vault), "--today", TODAY]
    results: dict[str, object] = {}

    cold, rss = [], []
    for _ in range(args.runs):
        shutil.rmtree(work / "cache", ignore_errors=True)
        shutil.rmtree(vault / "Entraide", ignore_errors=True)
        seconds, peak = timed(run, env)
        cold.append(seconds)
        rss.append(peak)
    warm = [timed(run, env)[0] for _ in range(args.runs)]
    results["cold_s"] = statistics.median(cold)
    results["warm_s"] = statistics.median(warm)
    results["peak_rss_mb"] = max(rss) / 1024

    code = (
        "import sys, time; from datetime import date; from pathlib import Path\n"
        "from entraide.index import Index, load_settings, read_vault\n"
        "from entraide.analytics.report import Analysis\n"
        "from entraide.render.outputs import render_outputs\n"
        "root = Path(sys.argv[1]); s = load_settings(root).settings\n"
        "v = read_vault(root, s, (), Index(root))\n"
        "import gc; gc.disable()  # as in a pass\n"
        "t = time.perf_counter(); a = Analysis(v, s); a.ties(date(2026, 11, 22))\n"
        "for d in s.dimensions: a.diversity(date(2026, 11, 22), d)\n"
        "t1 = time.perf_counter()\n"
        "render_outputs(v, s, date(2026, 11, 22), analysis=a); t2 = time.perf_counter()\n"
        "print(t1 - t, t2 - t, sum(len(c.interactions) for c in v.contacts))\n"
    )
    measured = subprocess.run(
        [sys.executable, "-c", code, str(vault)], env=env, capture_output=True, text=True
    )
    if measured.returncode != 0:
        raise RuntimeError(f"the analytics step failed: {measured.stderr}")
    out = measured.stdout.split()
    results["analytics_s"] = float(out[0])
    results["analytics_and_render_s"] = float(out[1])
    results["interactions"] = int(out[2])

    daemon = Daemon(vault, env, args.debounce_ms)
    daemon.wait("watching")
    contacts = [p for p in notes if "/People/" in str(p)]
    latencies, passes = [], []
    for k in range(args.edits):
        note = contacts[(k * 7919) % len(contacts)]
        with open(note, "a", encoding="utf-8") as f:
            f.write(f"- 2026-11-{1 + k % 20:02} call: bench edit {k}\n")
        start = time.perf_counter()
        at, line = daemon.wait(" pass ")
        latencies.append((at - start) * 1000)
        passes.append(pass_ms(line))
    burst = contacts[: min(1000, len(contacts))]
    start = time.perf_counter()
    for note in burst:
        with open(note, "a", encoding="utf-8") as f:
            f.write("- 2026-11-21 message: burst\n")
    at, line = daemon.wait(" pass ")
    results["burst_s"] = at - start
    results["burst_pass_ms"] = pass_ms(line)
    daemon.stop()
    latencies.sort()
    passes.sort()
    pct = lambda xs, q: xs[min(int(q * len(xs)), len(xs) - 1)]  # noqa: E731
    results["edit_latency_ms_p50"] = pct(latencies, 0.5)
    results["edit_latency_ms_p95"] = pct(latencies, 0.95)
    results["edit_pass_ms_p50"] = pct(passes, 0.5)
    results["edit_pass_ms_p95"] = pct(passes, 0.95)
    results["debounce_ms"] = args.debounce_ms

    base = subprocess.run(
        [sys.executable, "-c", BASELINE, str(vault)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    results["baseline_s"] = float(base.stdout)
    results["cold_speedup"] = results["baseline_s"] / results["cold_s"]  # type: ignore[operator]
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    results["vault"] = {"notes": len(notes), "contacts": len(contacts)}

    rows = [
        ("cold run (no cache)", f"{results['cold_s']:.2f} s", "≤ 1.5 s"),
        ("warm run (nothing changed)", f"{results['warm_s']:.2f} s", "≤ 0.3 s"),
        ("analytics (ties + diversity)", f"{results['analytics_s'] * 1000:.0f} ms", "≤ 100 ms"),
        ("analytics + render", f"{results['analytics_and_render_s'] * 1000:.0f} ms", ""),
        ("edit → outputs p50", f"{results['edit_latency_ms_p50']:.0f} ms", ""),
        ("edit → outputs p95", f"{results['edit_latency_ms_p95']:.0f} ms", ""),
        ("  of which the pass, p95", f"{results['edit_pass_ms_p95']:.0f} ms", "≤ 100 ms"),
        ("  debounce window", f"{args.debounce_ms} ms", ""),
        ("1,000-note burst", f"{results['burst_s']:.2f} s", "≤ 1.5 s"),
        ("peak RSS (cold run)", f"{results['peak_rss_mb']:.0f} MB", "≤ 200 MB"),
        ("baseline frontmatter+markdown-it", f"{results['baseline_s']:.2f} s", ""),
        ("cold speed-up over baseline", f"{results['cold_speedup']:.1f}×", "≥ 5×"),
    ]
    print(
        f"entraide benchmark: {len(contacts)} contacts, {len(notes)} notes, "
        f"{results['interactions']} interaction days, {os.cpu_count()} cores"
    )
    for name, value, target in rows:
        print(f"  {name:<34} {value:>10}   {target}")
    args.out.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"wrote {args.out}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
