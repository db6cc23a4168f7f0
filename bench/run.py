"""`make bench`: what each page and the email pipeline cost, against this machine's limit.

Starts the whole production stack on loopback, in a database of its own:
  - PostgreSQL database `bench_<pid>_<random>`, created here and dropped at the end;
  - Redis database 8 (BENCH_REDIS_URL), flushed before and after;
  - a local SMTP sink (bench.smtp_sink, its own process, optional delay per message);
  - a Celery worker (one process, concurrency 1) with beat;
  - gunicorn with 2 sync workers, DJANGO_DEBUG off, a generated secret key, and the
    baseline views of bench.baselines enabled (BENCH_BASELINES=1).
Then fills the database at chosen sizes, drives load from a separate process
(bench.load), and writes bench/results/latest.md and latest.json.

Every figure is the median of several runs with their spread, and a ratio to a baseline
measured in the same round through the same server (a bare view; a bare 20-field form).
Ratios are taken round by round, so a burst of noise from other processes hits both sides.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path

from bench.load import median, summarize
from bench.smtp_sink import free_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
BIN = Path(PYTHON).parent

TARGET_MEETUPS = 0.50  # of the bare view's throughput
TARGET_PROPOSE = 0.60  # of the bare 20-field form page's throughput
TARGET_DELAY_RATIO = 1.10  # submit latency with a 2 s mail server / without
SMTP_DELAY = 2.0


class BenchError(Exception):
    pass


class SinkLog:
    """Reads the SMTP sink's JSON-lines log (one line per message that arrived)."""

    def __init__(self, path: Path):
        self.path = path
        self._records: list[dict] = []
        self._offset = 0

    def records(self) -> list[dict]:
        if self.path.exists():
            with open(self.path, encoding="utf-8") as handle:
                handle.seek(self._offset)
                chunk = handle.read()
            complete, _, _ = chunk.rpartition("\n")
            if complete:
                self._offset += len((complete + "\n").encode("utf-8"))
                self._records.extend(json.loads(line) for line in complete.splitlines())
        return self._records

    @property
    def count(self) -> int:
        return len(self.records())

    def wait_for(self, count: int, *, timeout: float, poll: float = 0.02) -> bool:
        deadline = time.monotonic() + timeout
        while self.count < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(poll)
        return True

    def wait_quiet(self, *, quiet: float = 2.0, timeout: float = 60.0) -> int:
        """Wait until no message has come for `quiet` seconds (bounded by `timeout`)."""
        deadline = time.monotonic() + timeout
        last = -1
        while time.monotonic() < deadline:
            now = self.count
            if now == last:
                return now
            last = now
            time.sleep(quiet)
        return self.count


class Bench:
    def __init__(self, opts):
        self.opts = opts
        self.started = time.monotonic()
        self.tmp = Path(tempfile.mkdtemp(prefix="meetup-bench-"))
        self.procs: dict[str, subprocess.Popen] = {}
        self.rows: list[dict] = []
        self.notes: list[str] = []
        self.missing: list[str] = []
        self.details: dict = {}
        self.db_name = f"bench_{os.getpid()}_{secrets.token_hex(3)}"
        self.admin_url = opts.postgres.rstrip("/") + "/postgres"
        self.db_url = opts.postgres.rstrip("/") + "/" + self.db_name
        self.http_port = free_port()
        self.smtp_port = free_port()
        self.delay_file = self.tmp / "smtp-delay"
        self.delay_file.write_text("0")
        self.sink = SinkLog(self.tmp / "smtp-sink.jsonl")
        self.django_ready = False

    # Output

    def log(self, message: str) -> None:
        print(f"[bench {self.elapsed():6.1f}s] {message}", flush=True)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def time_left(self) -> float:
        return self.opts.budget - self.elapsed()

    # Services

    def env(self) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "CELERY_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=self.secret_key,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            # Plain HTTP on loopback: no TLS, so cookies may not be marked Secure.
            DJANGO_SECURE_COOKIES="0",
            DJANGO_SSL_REDIRECT="0",
            DJANGO_HSTS_SECONDS="0",
            # collectstatic writes here, not into the checkout.
            DJANGO_STATIC_ROOT=str(self.tmp / "static"),
            DATABASE_URL=self.db_url,
            REDIS_URL=self.opts.redis,
            EMAIL_URL=f"smtp://127.0.0.1:{self.smtp_port}",
            SITE_URL=f"http://127.0.0.1:{self.http_port}",
            BENCH_BASELINES="1",
            PROPOSALS_PER_HOUR="1000000",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        return env

    def check_services(self) -> None:
        import psycopg
        import redis

        try:
            with psycopg.connect(self.admin_url, connect_timeout=3) as conn:
                self.details["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
        except psycopg.Error as exc:
            raise BenchError(f"PostgreSQL is not reachable at {self.admin_url}: {exc}") from exc
        try:
            client = redis.Redis.from_url(self.opts.redis, socket_connect_timeout=2)
            self.details["redis"] = client.info("server")["redis_version"]
        except redis.RedisError as exc:
            raise BenchError(f"Redis is not reachable at {self.opts.redis}: {exc}") from exc

    def drop_stale_databases(self) -> None:
        """Databases left by a benchmark that was killed (its process is gone)."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%'"
                )
            ]
            for name in names:
                match = re.fullmatch(r"bench_(\d+)_[0-9a-f]{6}", name)
                if match and not Path(f"/proc/{match.group(1)}").exists():
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    self.log(f"dropped {name}, left by an earlier run")

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        self.log(f"created database {self.db_name}")

    def drop_database(self) -> None:
        import psycopg

        if self.django_ready:
            from django.db import connections

            connections.close_all()
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        self.log(f"dropped database {self.db_name}")

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.opts.redis, socket_connect_timeout=2).flushdb()

    def manage(self, *args: str) -> None:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115 -- closed with the process
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one
        )
        self.procs[name] = proc
        return proc

    def stop_all(self) -> None:
        for name, proc in reversed(list(self.procs.items())):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)
                except ProcessLookupError:
                    pass
            self.log(f"stopped {name}")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.tmp / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def wait_http(self, path: str = "/healthz", timeout: float = 40.0) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.http_port}{path}"
        while time.monotonic() < deadline:
            if self.procs["gunicorn"].poll() is not None:
                raise BenchError("gunicorn stopped:\n" + self.tail("gunicorn"))
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise BenchError(f"{url} did not answer 200 in {timeout:.0f}s:\n" + self.tail("gunicorn"))

    def wait_worker(self, timeout: float = 40.0) -> None:
        from config.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.procs["worker"].poll() is not None:
                raise BenchError("the Celery worker stopped:\n" + self.tail("worker"))
            if app.control.ping(timeout=1.0):
                return
        raise BenchError("the Celery worker did not answer a ping:\n" + self.tail("worker"))

    def setup(self) -> None:
        self.secret_key = secrets.token_urlsafe(50)
        self.check_services()
        self.drop_stale_databases()
        self.create_database()
        self.flush_redis()
        self.log("migrate, cache table, static files")
        self.manage("migrate", "--noinput")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput")

        os.environ.update(self.env())
        import django

        django.setup()
        self.django_ready = True

        self.start(
            "smtp-sink",
            [
                PYTHON,
                "-m",
                "bench.smtp_sink",
                "--port",
                str(self.smtp_port),
                "--delay-file",
                str(self.delay_file),
                "--log",
                str(self.sink.path),
                "--quiet",
                "--seconds",
                str(self.opts.budget + 300),
            ],
        )
        self.start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--beat",
                "--schedule",
                str(self.tmp / "celerybeat-schedule"),
                "--concurrency",
                "1",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"bench-{os.getpid()}@%h",
            ],
        )
        self.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--workers",
                str(self.opts.workers),
                "--bind",
                f"127.0.0.1:{self.http_port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
        )
        self.wait_http()
        self.wait_worker()
        self.log(
            f"gunicorn ({self.opts.workers} workers) on 127.0.0.1:{self.http_port}, "
            f"worker ready, SMTP sink on 127.0.0.1:{self.smtp_port}"
        )

    def teardown(self) -> None:
        try:
            self.stop_all()
        finally:
            try:
                self.drop_database()
            finally:
                self.flush_redis()

    # Measuring

    def load(self, *args: str, timeout: float = 180) -> dict:
        command = [PYTHON, "-m", "bench.load", *args, "--port", str(self.http_port)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        if result.returncode:
            raise BenchError(f"load driver failed: {' '.join(args)}\n{result.stderr[-2000:]}")
        return json.loads(result.stdout)

    def server_pids(self) -> list[int]:
        """The gunicorn workers, and the PostgreSQL backends connected to our database."""
        master = self.procs["gunicorn"].pid
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry))
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.db_name],
            )
            pids.extend(row[0] for row in cursor.fetchall())
        return pids

    @staticmethod
    def cpu_ticks(pids) -> dict[int, int]:
        ticks = {}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
        return ticks

    def get(self, path: str, *, concurrency=None, duration=None, extra=()) -> dict:
        """One load run. Besides what the driver saw, the server's CPU time per request
        (gunicorn workers plus our PostgreSQL backends, from /proc): unlike throughput, it
        hardly moves when other processes compete for the cores."""
        before = self.cpu_ticks(self.server_pids())
        result = self._get(path, concurrency=concurrency, duration=duration, extra=extra)
        after = self.cpu_ticks(self.server_pids())
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
            f"http://127.0.0.1:{self.http_port}{path}", headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def rounds(self, targets: dict[str, dict]) -> dict[str, list[dict]]:
        """Run every target once per round, `rounds` times, interleaved."""
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for round_number in range(self.opts.rounds):
            for name, spec in targets.items():
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

    # Scenarios

    def directory_state(self, size: int) -> dict:
        """Is /meetups/ there, complete, and does it send validators?"""
        from bench.fixtures import group_name

        status, headers, body = self.http_get("/meetups/")
        names = set(re.findall(r"Bench Group \d{4}", body))
        state = {
            "status": status,
            "bytes": len(body.encode()),
            "groups_shown": len(names),
            "complete": status == 200 and len(names) == size and group_name(size - 1) in names,
            "etag": headers.get("ETag", ""),
            "last_modified": headers.get("Last-Modified", ""),
            "cache_control": headers.get("Cache-Control", ""),
        }
        _, gzip_headers, gzipped = self.http_get_bytes("/meetups/", {"Accept-Encoding": "gzip"})
        if gzip_headers.get("Content-Encoding") == "gzip":
            state["gzip_bytes"] = len(gzipped)
        if state["etag"] or state["last_modified"]:
            conditional = {}
            if state["etag"]:
                conditional["If-None-Match"] = state["etag"]
            if state["last_modified"]:
                conditional["If-Modified-Since"] = state["last_modified"]
            state["conditional_status"] = self.http_get("/meetups/", conditional)[0]
        return state

    def scenario_pages(self) -> None:
        """Baselines, /propose/ and /meetups/ at 10, 100 and 1,000 listed groups."""
        from bench.fixtures import group_name, grow_listed_groups

        for index, size in enumerate(self.opts.sizes):
            if self.time_left() < 120:
                self.missing.append(f"/meetups/ at {size} groups: out of time budget")
                continue
            count = grow_listed_groups(size)
            # Written by this process, not the server's: each of its workers sees the change
            # once its last look at the directory version is older than the recheck interval.
            from django.conf import settings

            time.sleep(settings.DIRECTORY_RECHECK_SECONDS + 0.5)
            directory = self.directory_state(size)
            self.details[f"directory_{size}"] = directory
            self.log(f"{count} listed groups; /meetups/ {directory}")
            last = group_name(size - 1)
            targets = {"bare": {"path": "/_bench/bare/"}}
            if index == 0:
                targets["form"] = {"path": "/_bench/form/"}
                targets["propose"] = {"path": "/propose/", "extra": ("--must-contain", last)}
            directory_ok = directory["status"] == 200
            if directory_ok:
                targets["meetups"] = {"path": "/meetups/", "extra": ("--must-contain", last)}
                # What a browser sends: it accepts a compressed page.
                targets["meetups_gzip"] = {
                    "path": "/meetups/",
                    "extra": ("--must-contain", last, "--header", "Accept-Encoding: gzip"),
                }
                targets["meetups_conditional"] = {
                    "path": "/meetups/",
                    "extra": ("--conditional", "--expect", "200,304"),
                }
            elif index == 0:
                self.missing.append(
                    f"/meetups/: answered {directory['status']}, so its scenarios were not measured"
                )
            runs = self.rounds(targets)

            def cpu(key, runs=runs):
                return [r["server_cpu_ms"] for r in runs[key]]

            def cpu_ratios(key, baseline, runs=runs):
                # CPU per request of the baseline over the target's: the throughput ratio
                # the two would have on cores of their own.
                return [b / max(t, 1e-9) for t, b in zip(cpu(key), cpu(baseline), strict=True)]

            bare = [r["rps"] for r in runs["bare"]]
            self.add_row(
                scenario=f"Bare Django view (baseline), with {size} groups in the database",
                metric="throughput",
                values=bare,
                unit="req/s",
                checked=runs["bare"],
                cpu=cpu("bare"),
                extra={"latency_ms": [r["latency_ms"] for r in runs["bare"]]},
            )
            if index == 0:
                form = [r["rps"] for r in runs["form"]]
                self.add_row(
                    scenario="Bare 20-field form page, `{{ form.as_div }}` (baseline)",
                    metric="throughput",
                    values=form,
                    unit="req/s",
                    checked=runs["form"],
                    cpu=cpu("form"),
                    cpu_ratios=cpu_ratios("form", "bare"),
                    baseline="bare view",
                    ratios=[f / b for f, b in zip(form, bare, strict=True)],
                )
                propose = [r["rps"] for r in runs["propose"]]
                ratios = [p / f for p, f in zip(propose, form, strict=True)]
                self.add_row(
                    scenario=f"/propose/ GET (empty form, {size} groups listed beside it)",
                    metric="throughput",
                    values=propose,
                    unit="req/s",
                    checked=runs["propose"],
                    cpu=cpu("propose"),
                    cpu_ratios=cpu_ratios("propose", "form"),
                    baseline="bare 20-field form page",
                    ratios=ratios,
                    target=f">= {TARGET_PROPOSE:.2f} of the form page",
                    met=median(ratios) >= TARGET_PROPOSE,
                    extra={
                        "ratio_to_bare_view": summarize(
                            [p / b for p, b in zip(propose, bare, strict=True)]
                        ),
                        "latency_ms": [r["latency_ms"] for r in runs["propose"]],
                    },
                )
            if directory_ok:
                for key, label in (
                    ("meetups", "plain GET"),
                    ("meetups_gzip", "GET accepting gzip, as browsers do"),
                    ("meetups_conditional", "conditional GET"),
                ):
                    values = [r["rps"] for r in runs[key]]
                    ratios = [v / b for v, b in zip(values, bare, strict=True)]
                    statuses: dict[str, int] = {}
                    for r in runs[key]:
                        for status, n in r["statuses"].items():
                            statuses[status] = statuses.get(status, 0) + n
                    note = ""
                    if key == "meetups":
                        note = f"page of {directory['bytes'] / 1024:,.0f} KB"
                    if key == "meetups_gzip":
                        sent = directory.get("gzip_bytes", 0)
                        note = f"{sent / 1024:,.0f} KB sent" if sent else "sent uncompressed"
                    if key in ("meetups", "meetups_gzip") and not directory["complete"]:
                        note += (
                            f"; it showed {directory['groups_shown']} of {size} groups when checked"
                        )
                    if key == "meetups_conditional" and not statuses.get("304"):
                        note = "no 304 answers: the page sent no usable ETag/Last-Modified"
                    self.add_row(
                        scenario=f"/meetups/ with {size} listed groups, {label}",
                        metric="throughput",
                        values=values,
                        unit="req/s",
                        checked=runs[key],
                        cpu=cpu(key),
                        cpu_ratios=cpu_ratios(key, "bare"),
                        baseline="bare view",
                        ratios=ratios,
                        target=f">= {TARGET_MEETUPS:.2f} of the bare view",
                        met=median(ratios) >= TARGET_MEETUPS,
                        note=note,
                        extra={"statuses": statuses},
                    )

    def scenario_submit(self) -> None:
        """Submitting a proposal, with the mail server answering at once and after 2 s."""
        if self.time_left() < 90:
            self.missing.append("submitting a proposal: out of time budget")
            return
        from bench.fixtures import staff_user

        staff_user("reviewer@bench.example.org", role="reviewer")
        fast, slow, bare, fast_flow, slow_flow = [], [], [], [], []
        sent_during_slow = submitted = 0
        offset = 0
        sink_before = self.sink.count
        for _ in range(self.opts.rounds):
            bare.append(self.get("/_bench/bare/", concurrency=1, duration=1)["latency_ms"])
            for delay, into, flow in ((0.0, fast, fast_flow), (SMTP_DELAY, slow, slow_flow)):
                self.delay_file.write_text(str(delay))
                before = self.sink.count
                result = self.load(
                    "submit",
                    "--count",
                    str(self.opts.submissions),
                    "--offset",
                    str(offset),
                    "--duration",
                    "60",
                )
                offset += self.opts.submissions
                if result["errors"] or not result["submitted"]:
                    raise BenchError(f"submissions failed: {result['error_samples']}")
                into.append(result["submit_post_ms"]["median"])
                flow.append(result["whole_flow_ms"]["median"])
                submitted += result["submitted"]
                if delay:
                    sent_during_slow += self.sink.count - before
                # Let the worker finish the backlog at full speed, so the next run starts
                # with an idle worker whatever the delay was.
                self.delay_file.write_text("0")
                self.wait_outbox_empty(timeout=min(90, max(self.time_left() / 8, 5)))
        drained = self.sink.count - sink_before
        bare_ms = [b["median"] for b in bare]
        self.add_row(
            scenario="Submit a proposal (POST on check your answers), mail server answers at once",
            metric="median latency",
            values=fast,
            unit="ms",
            baseline="bare view latency",
            ratios=[f / b for f, b in zip(fast, bare_ms, strict=True)],
            note=(
                f"{drained} emails for {submitted} submissions reached the sink; the worker "
                "sends them during these runs, on the same cores as the server"
            ),
            extra={"whole_flow_ms": summarize(fast_flow), "bare_view_ms": summarize(bare_ms)},
        )
        ratios = [s / f for s, f in zip(slow, fast, strict=True)]
        self.add_row(
            scenario=f"Submit a proposal, mail server holding each message {SMTP_DELAY:.0f} s",
            metric="median latency",
            values=slow,
            unit="ms",
            baseline="same, mail server at once",
            ratios=ratios,
            target=f"<= {TARGET_DELAY_RATIO:.2f}",
            met=median(ratios) <= TARGET_DELAY_RATIO,
            note=(
                f"{sent_during_slow} emails reached the sink during the slow runs "
                "(sent by the worker after commit, not by the request)"
                if sent_during_slow
                else "no email reached the sink during the slow runs"
            ),
            extra={"whole_flow_ms": summarize(slow_flow)},
        )
        self.details["submissions"] = {"submitted": submitted, "emails_at_sink": drained}

    def wait_outbox_empty(self, *, timeout: float) -> bool:
        """Wait until the outbox has nothing pending (every email sent or failed)."""
        from notifications.models import Notification, Status

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not Notification.objects.filter(status=Status.PENDING).exists():
                return True
            time.sleep(0.2)
        self.notes.append(f"emails were still pending after {timeout:.0f} s")
        return False

    def review_pages(self, reviewer) -> list[tuple[str, str]]:
        """The reviewer pages to measure, found as the reviewer sees them (in-process)."""
        from django.test import Client

        from intake.models import Proposal, State

        client = Client()
        client.force_login(reviewer)
        response = client.get("/reviews/")
        if response.status_code != 200:
            return []
        body = response.content.decode()
        pages = [("queue", "/reviews/")]
        last = re.search(r"Page \d+ of (\d+)", body)
        if last:
            pages.append(("queue, last page", f"/reviews/?page={last.group(1)}"))
        elif re.search(r"[?&]page=\d+", body):
            pages.append(("queue, page 2", "/reviews/?page=2"))
        pages.append(("queue, search", "/reviews/?q=Bench+Proposal+42"))
        proposal = (
            Proposal.objects.filter(state=State.SUBMITTED, reference__startswith="MTG-1999-")
            .order_by("pk")
            .first()
        )
        if proposal is not None:
            pages.append(("one proposal", f"/reviews/{proposal.reference}/"))
        return pages

    def count_queries(self, path: str, user) -> tuple[int, int]:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client()
        client.force_login(user)
        client.get(path)  # warm: sessions, caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        return response.status_code, len(queries.captured_queries)

    def scenario_reviews(self) -> None:
        from bench.fixtures import STAFF_PASSWORD, grow_proposals, staff_user

        if self.time_left() < 120:
            self.missing.append("/reviews/: out of time budget")
            return
        reviewer = staff_user("reviewer@bench.example.org", role="reviewer")
        login = ("--login", f"{reviewer.username}:{STAFF_PASSWORD}")
        login_status = self.http_get("/accounts/login/")[0]
        sizes = self.opts.review_sizes
        results: dict[str, dict] = {}
        for size in sizes:
            if self.time_left() < 60:
                self.missing.append(f"/reviews/ at {size} proposals: out of time budget")
                break
            t0 = time.monotonic()
            count = grow_proposals(size)
            self.log(f"{count} proposals in mixed states ({time.monotonic() - t0:.1f}s)")
            pages = self.review_pages(reviewer)
            if not pages or login_status != 200:
                self.missing.append(
                    f"/reviews/: sign-in answered {login_status} or no review page was found, "
                    "so its scenarios were not measured"
                )
                return
            for label, path in pages:
                status, queries = self.count_queries(path, reviewer)
                results.setdefault(label, {})[size] = {"status": status, "queries": queries}
            targets = {"bare": {"path": "/_bench/bare/", "concurrency": 1, "duration": 1}}
            for label, path in pages:
                targets[label] = {
                    "path": path,
                    "concurrency": 1,
                    "duration": self.opts.latency_duration,
                    "extra": login,
                }
            runs = self.rounds(targets)
            bare_ms = [r["latency_ms"]["median"] for r in runs["bare"]]
            for label, path in pages:
                medians = [r["latency_ms"]["median"] for r in runs[label]]
                p95s = [r["latency_ms"]["p95"] for r in runs[label]]
                results[label][size].update(medians=medians, p95=p95s, path=path)
                self.add_row(
                    scenario=f"/reviews/ {label}, {size:,} proposals (signed in as a reviewer)",
                    metric="median latency",
                    values=medians,
                    unit="ms",
                    checked=runs[label],
                    baseline="bare view latency",
                    ratios=[m / b for m, b in zip(medians, bare_ms, strict=True)],
                    extra={
                        "p95_ms": summarize(p95s),
                        "queries": results[label][size]["queries"],
                        "path": path,
                    },
                )
        for label, by_size in results.items():
            counts = {size: r["queries"] for size, r in by_size.items()}
            constant = len(set(counts.values())) == 1 and len(counts) == len(sizes)
            self.add_row(
                scenario=f"/reviews/ {label}: database queries per request",
                metric="queries",
                values=list(counts.values()),
                unit="queries",
                target="constant from {} to {} proposals".format(*sizes[:1], sizes[-1]),
                met=constant,
                note=", ".join(f"{q} at {s:,}" for s, q in counts.items()),
                extra={"by_size": counts},
            )

    def scenario_email(self) -> None:
        """1,000 notifications delivered by one worker, and status change to arrival."""
        if self.time_left() < 90:
            self.missing.append("email pipeline: out of time budget")
            return
        from django.core.mail import get_connection, send_mail

        from accounts.roles import Actor
        from bench.fixtures import staff_user, submitted_proposals_for_email
        from intake.services import perform_transition

        reviewer = staff_user("reviewer@bench.example.org", role="reviewer")
        actor = Actor.staff(reviewer)
        self.delay_file.write_text("0")
        self.wait_outbox_empty(timeout=60)

        # Baseline: Django sending straight to the same sink, one connection per message,
        # from this process (no outbox, no broker, no worker).
        direct_rates, direct_ms = [], []
        for _ in range(self.opts.rounds):
            n = self.opts.direct_emails
            t0 = time.perf_counter()
            for i in range(n):
                s0 = time.perf_counter()
                send_mail(
                    f"Direct {i}",
                    "A message sent straight to the sink.",
                    None,
                    [f"direct{i}@bench.example.org"],
                    connection=get_connection(),
                )
                direct_ms.append((time.perf_counter() - s0) * 1000)
            direct_rates.append(n / (time.perf_counter() - t0))
        self.sink.wait_quiet(quiet=1.0, timeout=30)

        # Status change to arrival, one at a time on an idle pipeline.
        latencies = []
        for _ in range(self.opts.single_changes):
            proposal = submitted_proposals_for_email(1)[0]
            before = self.sink.count
            t0 = time.time()
            perform_transition(
                proposal=proposal, name="request_changes", actor=actor, note="Please say more."
            )
            if not self.sink.wait_for(before + 2, timeout=30):
                self.notes.append("a single status change's emails did not arrive within 30 s")
                break
            arrivals = [
                r["arrived"]
                for r in self.sink.records()[before:]
                if proposal.reference in r["subject"]
            ]
            if arrivals:
                latencies.append((max(arrivals) - t0) * 1000)

        # Throughput: 500 status changes, each emailing two organizers: 1,000 emails.
        total = self.opts.emails
        rates, end_to_end, lags = [], [], []
        for run in range(self.opts.email_runs):
            if self.time_left() < 60:
                self.missing.append(f"email pipeline run {run + 1}: out of time budget")
                break
            proposals = submitted_proposals_for_email(total // 2)
            before = self.sink.count
            changed_at = {}
            t0 = time.time()
            for proposal in proposals:
                perform_transition(
                    proposal=proposal, name="request_changes", actor=actor, note="More, please."
                )
                changed_at[proposal.reference] = time.time()
            recorded = time.time()
            arrived = self.sink.wait_for(before + total, timeout=min(300, self.time_left() - 30))
            records = self.sink.records()[before:]
            if not arrived:
                self.notes.append(
                    f"email run {run + 1}: {len(records)} of {total} emails arrived in time"
                )
            if len(records) < 2:
                break
            first, last = records[0]["arrived"], records[-1]["arrived"]
            rates.append((len(records) - 1) / max(last - first, 1e-9))
            end_to_end.append(len(records) / max(last - t0, 1e-9))
            for record in records:
                match = re.search(r"MTG-\d{4}-\d{5}", record["subject"])
                if match and match.group(0) in changed_at:
                    lags.append((record["arrived"] - changed_at[match.group(0)]) * 1000)
            self.details.setdefault("email_runs", []).append(
                {
                    "emails": len(records),
                    "record_seconds": recorded - t0,
                    "deliver_seconds": last - t0,
                }
            )
        self.add_row(
            scenario="Direct send to the sink from Django (email baseline)",
            metric="emails per second",
            values=direct_rates,
            unit="emails/s",
            extra={"per_message_ms": summarize(direct_ms)},
        )
        if rates:
            self.add_row(
                scenario=f"Email pipeline: {total:,} notifications, one worker, delivery rate",
                metric="emails per second",
                values=rates,
                unit="emails/s",
                baseline="direct send",
                ratios=[r / median(direct_rates) for r in rates],
                extra={
                    "end_to_end_per_second": summarize(end_to_end),
                    "lag_ms_under_load": summarize(lags) if lags else None,
                },
            )
        if latencies:
            self.add_row(
                scenario="Status change to email at the sink (idle pipeline)",
                metric="latency",
                values=latencies,
                unit="ms",
                baseline="one direct send",
                ratios=[lat / median(direct_ms) for lat in latencies],
            )

    # Report

    def machine(self) -> dict:
        info = {
            "cpu": "",
            "cores": os.cpu_count(),
            "memory_gb": None,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "postgresql": self.details.get("postgresql"),
            "redis": self.details.get("redis"),
            "gunicorn_workers": self.opts.workers,
        }
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
            info["cpu"] = re.search(r"model name\s*:\s*(.+)", cpuinfo).group(1).strip()
            meminfo = Path("/proc/meminfo").read_text()
            kb = int(re.search(r"MemTotal:\s*(\d+)", meminfo).group(1))
            info["memory_gb"] = round(kb / 1024 / 1024, 1)
        except (OSError, AttributeError):
            pass
        return info

    def git_commit(self) -> str:
        try:
            return subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        except OSError:
            return ""

    def write_report(self, load_before, load_after, error: str = "") -> None:
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        report = {
            "generated_at": now.isoformat(),
            "commit": self.git_commit(),
            "note": self.opts.note,
            "machine": self.machine(),
            "load_average": {"before": load_before, "after": load_after},
            "settings": {
                "rounds": self.opts.rounds,
                "seconds_per_run": self.opts.duration,
                "warmup_seconds": self.opts.warmup,
                "client_threads": self.opts.concurrency,
                "groups": self.opts.sizes,
                "proposals": self.opts.review_sizes,
                "emails_per_run": self.opts.emails,
            },
            "duration_seconds": round(self.elapsed(), 1),
            "rows": self.rows,
            "not_measured": self.missing,
            "notes": self.notes,
            "details": self.details,
            "error": error,
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        stem = "partial" if self.opts.only else "latest"
        for name, text in (
            (f"{stem}.json", json.dumps(report, indent=2, default=str) + "\n"),
            (f"{stem}.md", markdown(report)),
        ):
            partial = RESULTS / f"{name}.tmp"
            partial.write_text(text, encoding="utf-8")
            partial.replace(RESULTS / name)
        self.log(f"wrote {RESULTS / stem}.md and {stem}.json")

    def run(self) -> int:
        load_before = os.getloadavg()
        error = ""
        try:
            self.setup()
            for scenario in (
                self.scenario_pages,
                self.scenario_submit,
                self.scenario_reviews,
                self.scenario_email,
            ):
                if (
                    self.opts.only
                    and scenario.__name__.removeprefix("scenario_") not in self.opts.only
                ):
                    continue
                self.log(
                    f"scenario: {scenario.__doc__.splitlines()[0] if scenario.__doc__ else scenario.__name__}"
                )
                try:
                    scenario()
                except BenchError as exc:
                    self.notes.append(f"{scenario.__name__} stopped: {exc}")
                    self.log(f"{scenario.__name__} stopped: {exc}")
        except BenchError as exc:
            error = str(exc)
            self.log(f"benchmark stopped: {exc}")
        except Exception:
            error = traceback.format_exc()
            self.log(error)
        finally:
            load_after = os.getloadavg()
            try:
                self.teardown()
            except Exception as exc:  # never hide the report behind a cleanup failure
                self.notes.append(f"cleanup: {exc}")
            self.write_report(load_before, load_after, error)
            if error:
                self.log(f"logs of the server, worker and sink are kept in {self.tmp}")
            else:
                shutil.rmtree(self.tmp, ignore_errors=True)
        return 1 if error else 0


def _fmt(value: float, unit: str) -> str:
    if unit in ("req/s", "emails/s"):
        return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
    if unit == "ms":
        return f"{value:,.1f}"
    return f"{value:g}"


def markdown(report: dict) -> str:
    machine = report["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated {report['generated_at']} from commit `{report['commit']}` by `make bench` "
        f"in {report['duration_seconds']:.0f} s.",
        "",
        *([report["note"], ""] if report.get("note") else []),
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB; "
        f"Python {machine['python']}, PostgreSQL {machine['postgresql']}, "
        f"Redis {machine['redis']}; gunicorn {machine['gunicorn_workers']} sync workers, "
        "one Celery worker (concurrency 1), load driver and SMTP sink as separate processes, "
        "all on the same machine over loopback.",
        "",
        f"Load average before/after: {', '.join(f'{x:.2f}' for x in report['load_average']['before'])}"
        f" / {', '.join(f'{x:.2f}' for x in report['load_average']['after'])}. "
        "The load driver shares the same cores as the server; other processes running at the "
        "same time add noise to absolute figures. Ratios are paired round by round and are "
        "the figures to compare.",
        "",
        f"Each figure: median over {report['settings']['rounds']} runs, spread as "
        "min-max over runs; ratio: median (min-max) of per-round ratios to the baseline "
        "measured in the same round through the same server. Server CPU per request: "
        "CPU time of the gunicorn workers and of this database's PostgreSQL backends "
        "(from /proc) divided by the requests served; its ratio (baseline's over the "
        "scenario's) is the throughput ratio the two would have with the cores to "
        "themselves, and moves far less than throughput when other processes are busy. "
        "Targets are judged on the measured throughput ratio.",
        "",
        "| Scenario | Median | Spread (min-max) | Ratio to baseline | Server CPU per request | Target | Result |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        s = row["summary"]
        unit = row["unit"]
        if s.get("n"):
            value = f"{_fmt(s['median'], unit)} {unit}"
            spread_text = f"{_fmt(s['min'], unit)}-{_fmt(s['max'], unit)}"
        else:
            value = spread_text = "-"
        ratio = row["ratio"]
        ratio_text = (
            f"{ratio['median']:.2f} ({ratio['min']:.2f}-{ratio['max']:.2f}) of {row['baseline']}"
            if ratio
            else "-"
        )
        if row["met"] is None:
            result = ""
        elif row["met"]:
            result = "met"
        else:
            result = "**missed**"
        scenario = row["scenario"]
        extra = row["extra"]
        if "p95_ms" in extra:
            scenario += f"; p95 {extra['p95_ms']['median']:.1f} ms, {extra['queries']} queries"
        if row["note"]:
            scenario += f" ({row['note']})"
        cpu_text = "-"
        if row.get("server_cpu_ms"):
            cpu_text = f"{row['server_cpu_ms']['median']:.2f} ms"
            if row.get("cpu_ratio"):
                cpu_text += f", ratio {row['cpu_ratio']['median']:.2f}"
        lines.append(
            f"| {scenario} | {value} | {spread_text} | {ratio_text} | {cpu_text} "
            f"| {row['target']} | {result} |"
        )
    if report["not_measured"]:
        lines += ["", "## Not measured", ""]
        lines += [f"- {item}" for item in report["not_measured"]]
    if report["notes"]:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in report["notes"]]
    if report["error"]:
        lines += ["", "## The run stopped early", "", "```", report["error"].strip(), "```"]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the benchmark and write the report.")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without a database name",
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
    )
    parser.add_argument("--rounds", type=int, default=5, help="runs per figure (at least 3)")
    parser.add_argument("--duration", type=float, default=2.0, help="seconds per throughput run")
    parser.add_argument("--latency-duration", type=float, default=1.5)
    parser.add_argument("--warmup", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--sizes", default="10,100,1000", help="listed groups")
    parser.add_argument("--review-sizes", default="100,10000", help="proposals")
    parser.add_argument("--submissions", type=int, default=10, help="per run")
    parser.add_argument("--emails", type=int, default=1000, help="per email run")
    parser.add_argument("--email-runs", type=int, default=3)
    parser.add_argument("--direct-emails", type=int, default=200)
    parser.add_argument("--single-changes", type=int, default=10)
    parser.add_argument("--budget", type=float, default=780, help="seconds before skipping")
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--note", default="", help="a line for the report's header")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenarios (pages, submit, reviews, email); the report is then "
        "written as partial.md and partial.json, leaving latest.* alone",
    )
    opts = parser.parse_args(argv)
    if opts.quick:
        opts.rounds, opts.duration, opts.latency_duration, opts.warmup = 3, 1.0, 1.0, 0.3
        opts.review_sizes, opts.submissions, opts.emails = "100,1000", 5, 100
        opts.email_runs, opts.direct_emails, opts.single_changes = 3, 50, 3
    if opts.rounds < 3:
        parser.error("--rounds must be at least 3")
    for name in ("postgres", "redis"):
        host = re.sub(r"^\w+://(?:[^@/]*@)?", "", getattr(opts, name)).split(":")[0].split("/")[0]
        if host not in ("127.0.0.1", "localhost", "[::1]"):
            parser.error(f"--{name} must be on loopback, not {host}")
    opts.only = {name.strip() for name in opts.only.split(",") if name.strip()}
    unknown = opts.only - {"pages", "submit", "reviews", "email"}
    if unknown:
        parser.error(f"--only: no scenario named {', '.join(sorted(unknown))}")
    opts.sizes = [int(s) for s in opts.sizes.split(",")]
    opts.review_sizes = [int(s) for s in opts.review_sizes.split(",")]
    return Bench(opts).run()


if __name__ == "__main__":
    sys.exit(main())
