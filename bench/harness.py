"""The state of one benchmark run (options, report rows, notes, the time budget) and the
measuring it shares between scenarios: load runs through bench.load, paired rounds,
plain HTTP requests and report rows."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request

from bench.load import median, summarize
from bench.stack import PYTHON, ROOT, BenchError, Stack


class Bench:
    def __init__(self, opts):
        self.opts = opts
        self.started = time.monotonic()
        self.rows: list[dict] = []
        self.notes: list[str] = []
        self.missing: list[str] = []
        self.details: dict = {}
        self.stack = Stack(opts, log=self.log, details=self.details)

    @property
    def sink(self):
        return self.stack.sink

    @property
    def delay_file(self):
        return self.stack.delay_file

    # Output

    def log(self, message: str) -> None:
        print(f"[bench {self.elapsed():6.1f}s] {message}", flush=True)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def time_left(self) -> float:
        return self.opts.budget - self.elapsed()

    # Measuring

    def load(self, *args: str, timeout: float = 180) -> dict:
        command = [PYTHON, "-m", "bench.load", *args, "--port", str(self.stack.http_port)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        if result.returncode:
            raise BenchError(f"load driver failed: {' '.join(args)}\n{result.stderr[-2000:]}")
        return json.loads(result.stdout)

    def get(self, path: str, *, concurrency=None, duration=None, extra=()) -> dict:
        """One load run. Besides what the driver saw, the server's CPU time per request
        (gunicorn workers plus our PostgreSQL backends, from /proc): unlike throughput, it
        hardly moves when other processes compete for the cores."""
        before = self.stack.cpu_ticks(self.stack.server_pids())
        result = self._get(path, concurrency=concurrency, duration=duration, extra=extra)
        after = self.stack.cpu_ticks(self.stack.server_pids())
        used = sum(t - before.get(pid, 0) for pid, t in after.items())
        seconds = used / os.sysconf("SC_CLK_TCK")
        result["server_cpu_ms"] = seconds * 1000 / max(result.get("all_requests", 0), 1)
        return result

    def _get(self, path: str, *, concurrency=None, duration=None, extra=()) -> dict:
        return self.load(
            "get",
            "--path",
            path,
            "--concurrency",
            str(concurrency or self.opts.concurrency),
            "--duration",
            str(duration or self.opts.duration),
            "--warmup",
            str(self.opts.warmup),
            *extra,
        )

    def http_get(self, path: str, headers=None) -> tuple[int, dict, str]:
        status, response_headers, body = self.http_get_bytes(path, headers)
        return status, response_headers, body.decode(errors="replace")

    def http_get_bytes(self, path: str, headers=None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.stack.http_port}{path}", headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def rounds(self, targets: dict[str, dict], *, before_each=None) -> dict[str, list[dict]]:
        """Run every target once per round, `rounds` times, interleaved; `before_each()`, if
        given, before every run."""
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for round_number in range(self.opts.rounds):
            for name, spec in targets.items():
                if before_each:
                    before_each()
                result = self.get(**spec)
                if result["errors"]:
                    self.notes.append(
                        f"{name}, round {round_number + 1}: {result['errors']} bad responses "
                        f"({result['error_samples'][:2]})"
                    )
                runs[name].append(result)
        return runs

    def add_row(
        self,
        *,
        scenario: str,
        metric: str,
        values: list[float],
        unit: str,
        baseline: str = "",
        ratios: list[float] | None = None,
        target: str = "",
        met: bool | None = None,
        note: str = "",
        extra: dict | None = None,
        checked: list[dict] | None = None,
        cpu: list[float] | None = None,
        cpu_ratios: list[float] | None = None,
    ) -> dict:
        """One line of the report. `checked`: the load driver's results behind the figure;
        wrong answers (errors, unexpected statuses, missing content) are reported, and more
        than 1% of them means the figure does not count as meeting its target."""
        if checked:
            bad = sum(r["errors"] for r in checked)
            total = sum(r["requests"] for r in checked)
            if bad:
                note = "; ".join(filter(None, [note, f"{bad} of {total} responses were wrong"]))
                if bad > total / 100 and met:
                    met = False
        row = {
            "scenario": scenario,
            "metric": metric,
            "unit": unit,
            "runs": values,
            "summary": summarize(values),
            "baseline": baseline,
            "ratios": ratios or [],
            "ratio": summarize(ratios) if ratios else None,
            "target": target,
            "met": met,
            "note": note,
            "extra": extra or {},
            "server_cpu_ms": summarize(cpu) if cpu else None,
            "cpu_ratio": summarize(cpu_ratios) if cpu_ratios else None,
        }
        self.rows.append(row)
        return row

    def add_throughput_row(
        self,
        runs: dict[str, list[dict]],
        key: str,
        *,
        scenario: str,
        baseline: str = "",
        baseline_label: str = "",
        target: float | None = None,
        target_of: str = "",
        **fields,
    ) -> dict:
        """A throughput row from the load runs `runs[key]` (bench.rounds), with their ratios
        to the paired runs of `baseline` (another key of `runs`, shown as `baseline_label`):
        throughput, and the baseline's CPU per request over this one's, the throughput ratio
        the two would have on cores of their own. Given `target`, it is met when the median
        ratio is at least that, "of the `target_of`" (the baseline's label by default)."""
        values = [r["rps"] for r in runs[key]]
        cpu = [r["server_cpu_ms"] for r in runs[key]]
        ratios = cpu_ratios = None
        if baseline:
            paired = list(zip(runs[key], runs[baseline], strict=True))
            ratios = [r["rps"] / b["rps"] for r, b in paired]
            cpu_ratios = [b["server_cpu_ms"] / max(r["server_cpu_ms"], 1e-9) for r, b in paired]
        if target is not None:
            fields["target"] = f">= {target:.2f} of the {target_of or baseline_label}"
            fields["met"] = median(ratios) >= target
        return self.add_row(
            scenario=scenario,
            metric="throughput",
            values=values,
            unit="req/s",
            checked=runs[key],
            cpu=cpu,
            baseline=baseline_label,
            ratios=ratios,
            cpu_ratios=cpu_ratios,
            **fields,
        )
