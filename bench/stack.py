"""The stack the benchmark measures, started on loopback in a database of its own:
PostgreSQL database `bench_<pid>_<random>` (created here, dropped at the end), a Redis
database (flushed before and after), the SMTP sink, a Celery worker with beat, and gunicorn,
all with the benchmark's settings (bench.settings: production settings plus /_bench/)."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.smtp_sink import SinkLog, free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


class BenchError(Exception):
    pass


class Stack:
    """The server processes and services of one benchmark run, and their logs."""

    def __init__(self, opts, *, log, details: dict):
        self.opts = opts
        self.log = log
        self.details = details  # server versions go into the report's machine line
        self.tmp = Path(tempfile.mkdtemp(prefix="meetup-bench-"))
        self.procs: dict[str, subprocess.Popen] = {}
        self.db_name = f"bench_{os.getpid()}_{secrets.token_hex(3)}"
        self.admin_url = opts.postgres.rstrip("/") + "/postgres"
        self.db_url = opts.postgres.rstrip("/") + "/" + self.db_name
        self.http_port = free_port()
        self.smtp_port = free_port()
        self.delay_file = self.tmp / "smtp-delay"
        self.delay_file.write_text("0")
        self.sink = SinkLog(self.tmp / "smtp-sink.jsonl")
        # The Celery worker's node name, for control commands addressed to it.
        self.worker_name = f"bench-{os.getpid()}@{socket.gethostname()}"
        self.django_ready = False

    def env(self) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "CELERY_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
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
            PROPOSALS_PER_HOUR="1000000",
            # The load driver sends every overlap check from one address; the throttle
            # still counts each (its cost is measured), it only never refuses.
            OVERLAP_CHECKS_PER_HOUR="1000000000",
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

    def stop(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        except ProcessLookupError:
            pass
        self.log(f"stopped {name}")

    def stop_all(self) -> None:
        for name in reversed(list(self.procs)):
            self.stop(name)

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
                self.worker_name,
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
