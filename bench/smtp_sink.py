"""A local SMTP sink for the benchmark: accepts every message on loopback, remembers when
each arrived, and can wait before answering each message (a delay in seconds) to play a
slow mail server.

`make bench` runs it as its own process (so its clock readings do not wait on the
benchmark's own work): every message is appended as one JSON line to --log, and the delay
is read from --delay-file before each message, so the benchmark can change it while the
sink runs. It can also run in a thread of another program (SmtpSink(...).start()).
SinkLog reads that log from the benchmark's side.

Standalone: python -m bench.smtp_sink --port 1025 --delay 2
"""

import argparse
import asyncio
import email.parser
import json
import socket
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        arrived = time.time()
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.original_content or b"")
        record = {
            "arrived": arrived,
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "subject": str(headers.get("Subject", "")),
            "message_id": str(headers.get("Message-ID", "")),
            "size": len(envelope.original_content or b""),
        }
        with self.sink.lock:
            self.sink.messages.append(record)
            self.sink.arrived.notify_all()
            if self.sink.log_file is not None:
                self.sink.log_file.write(json.dumps(record) + "\n")
                self.sink.log_file.flush()
        delay = self.sink.current_delay()
        if delay > 0:
            # The answer to DATA comes late: the sender is held for `delay` seconds.
            await asyncio.sleep(delay)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(
        self,
        *,
        port: int | None = None,
        delay: float = 0.0,
        log_path: str | None = None,
        delay_path: str | None = None,
    ):
        self.port = port or free_port()
        self.delay = delay
        self.delay_path = delay_path
        self.log_file = open(log_path, "a", encoding="utf-8") if log_path else None  # noqa: SIM115
        self.messages: list[dict] = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
        if self.log_file is not None:
            self.log_file.close()

    def current_delay(self) -> float:
        if self.delay_path:
            try:
                with open(self.delay_path, encoding="utf-8") as handle:
                    return max(0.0, float(handle.read().strip() or 0))
            except (OSError, ValueError):
                return self.delay
        return self.delay

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def snapshot(self) -> list[dict]:
        with self.lock:
            return list(self.messages)

    def wait_for(self, count: int, *, timeout: float) -> bool:
        """Block until at least `count` messages have arrived, or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.arrived.wait(timeout=min(left, 1.0))
        return True


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


def main() -> None:
    parser = argparse.ArgumentParser(description="A local SMTP sink on 127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--delay-file", help="read the delay from this file for each message")
    parser.add_argument("--log", help="append each message as a JSON line to this file")
    parser.add_argument("--quiet", action="store_true", help="do not print each message")
    parser.add_argument("--seconds", type=float, default=3600.0, help="stop after this long")
    args = parser.parse_args()
    sink = SmtpSink(
        port=args.port, delay=args.delay, log_path=args.log, delay_path=args.delay_file
    ).start()
    print(f"SMTP sink on 127.0.0.1:{sink.port}, delay {args.delay}s", flush=True)
    seen = 0
    deadline = time.monotonic() + args.seconds
    try:
        while time.monotonic() < deadline:
            sink.wait_for(seen + 1, timeout=1.0)
            if not args.quiet:
                for message in sink.snapshot()[seen:]:
                    print(f"{message['to']} {message['subject']}", flush=True)
            seen = sink.count
    except KeyboardInterrupt:
        pass  # Ctrl+C, or the benchmark stopping it
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
