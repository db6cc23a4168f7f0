"""The load driver: a separate process that sends HTTP requests to the server on loopback
and prints one JSON object with what it measured.

Pure standard library (threads + http.client keep-alive), so `make bench` needs nothing
installed beyond the project. Every loop is bounded by a duration and a request budget.

    python -m bench.load get --port 8000 --path /propose/ --duration 3 --concurrency 4
    python -m bench.load get --port 8000 --path /meetups/ --conditional
    python -m bench.load get --port 8000 --path /reviews/ --login reviewer@x:secret
    python -m bench.load submit --port 8000 --count 20
"""

import argparse
import gzip
import http.client
import json
import math
import re
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie

# Statistics (pure functions, tested in tests/bench/)


def percentile(values, q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks
    (the method numpy and `statistics.quantiles(method="inclusive")` use)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values) -> float:
    return percentile(values, 50)


def summarize(values) -> dict:
    """Median, spread and tail of a list of numbers (empty list: only n)."""
    values = list(values)
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "median": median(values),
        "p25": percentile(values, 25),
        "p75": percentile(values, 75),
        "iqr": percentile(values, 75) - percentile(values, 25),
        "p95": percentile(values, 95),
        "min": min(values),
        "max": max(values),
    }


# HTTP client with cookies and keep-alive

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One keep-alive connection and a cookie jar. http.client reopens the connection by
    itself when the server closes it (gunicorn's sync workers do after every response)."""

    def __init__(self, host: str, port: int, *, timeout: float = 15.0):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, data=None, headers=None):
        head = {"Host": f"{self.host}:{self.port}", "User-Agent": "meetup-proposals-bench/1"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            head["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        head.update(headers or {})
        try:
            self.conn.request(method, path, body=body, headers=head)
            response = self.conn.getresponse()
            content = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers, content

    def csrf_token(self, path: str) -> str:
        status, _, content = self.request("GET", path)
        match = CSRF_INPUT.search(content.decode("utf-8", "replace"))
        if status != 200 or not match:
            raise RuntimeError(f"GET {path} gave {status} without a CSRF token")
        return match.group(1)

    def login(self, username: str, password: str, path: str = "/accounts/login/") -> None:
        """Sign in through the login form, as a person would: the session cookie is kept."""
        token = self.csrf_token(path)
        status, headers, _ = self.request(
            "POST",
            path,
            data={"login": username, "password": password, "csrfmiddlewaretoken": token},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: {status} {headers.get('Location')}")

    def close(self):
        self.conn.close()


# Mode "get": throughput and latency of one URL


def _conditional_headers(client: Client, path: str, headers: dict) -> dict:
    """Fetch once and turn the validators the server sent into conditional headers."""
    status, response_headers, _ = client.request("GET", path, headers=headers)
    conditional = dict(headers)
    if response_headers.get("ETag"):
        conditional["If-None-Match"] = response_headers["ETag"]
    if response_headers.get("Last-Modified"):
        conditional["If-Modified-Since"] = response_headers["Last-Modified"]
    return conditional


# Compressed answers are unpacked and checked for --must-contain one in this many (and the
# first of each client thread); plain answers are checked every time.
GZIP_CHECK_EVERY = 20


def run_get(args) -> dict:
    headers = dict(h.split(": ", 1) for h in args.header)
    setup = Client(args.host, args.port)
    if args.login:
        username, password = args.login.split(":", 1)
        setup.login(username, password)
    if args.conditional:
        headers = _conditional_headers(setup, args.path, headers)
    cookies = dict(setup.cookies)
    setup.close()
    expect = {int(s) for s in args.expect.split(",")}

    lock = threading.Lock()
    budget = [args.max_requests]
    samples: list[tuple[float, float, int]] = []  # (finished at, seconds, status)
    errors: list[str] = []  # exceptions and wrong content
    unexpected: list[str] = []  # samples of statuses not in --expect (counted from samples)
    start = time.perf_counter()
    warm_until = start + args.warmup
    deadline = warm_until + args.duration

    def worker():
        client = Client(args.host, args.port)
        client.cookies = dict(cookies)
        mine = []
        checked = 0
        while True:
            now = time.perf_counter()
            if now >= deadline:
                break
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            try:
                status, response_headers, content = client.request(
                    "GET", args.path, headers=headers
                )
            except (http.client.HTTPException, OSError) as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            done = time.perf_counter()
            mine.append((done, done - now, status))
            if status not in expect:
                with lock:
                    if len(unexpected) < 5:
                        unexpected.append(f"status {status}: {content[:200]!r}")
            elif args.must_contain and status == 200:
                if response_headers.get("Content-Encoding") == "gzip":
                    checked += 1
                    # Unpacking a large page costs this driver more CPU than the server
                    # spends sending it, on the same cores: read a sample, not every copy.
                    if checked % GZIP_CHECK_EVERY != 1:
                        continue
                    content = gzip.decompress(content)
                if args.must_contain.encode() not in content:
                    with lock:
                        errors.append(f"200 without {args.must_contain!r}")
        client.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.warmup + args.duration + 30)
    end = min(time.perf_counter(), deadline)

    measured = [s for s in samples if s[0] >= warm_until]
    window = max(end - warm_until, 1e-9)
    statuses: dict[str, int] = {}
    for _, _, status in measured:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    bad = sum(n for s, n in statuses.items() if int(s) not in expect)
    return {
        "mode": "get",
        "path": args.path,
        "conditional": bool(args.conditional),
        "concurrency": args.concurrency,
        "requests": len(measured),
        "all_requests": len(samples) + len(errors),  # warm-up included: for CPU per request
        "seconds": window,
        "rps": len(measured) / window,
        "statuses": statuses,
        "errors": len(errors) + bad,
        "error_samples": (errors + unexpected)[:5],
        "latency_ms": summarize(s[1] * 1000 for s in measured),
        "sent_headers": sorted(h for h in headers if h.startswith("If-")),
    }


# Mode "submit": an organizer's whole submission, one after another


def proposal_form_data(n: int, token: str) -> dict:
    data = {
        "csrfmiddlewaretoken": token,
        "name": f"Benchmark Reading Circle {n}",
        "description": "We read and discuss books about libraries and archives. " * 3,
        "audience": "Anyone who works in or loves libraries.",
        "open_to_all": "on",
        "differs_from_existing": "No listed group reads books together.",
        "activities": "A monthly discussion of one book, sometimes with its author.",
        "meeting_frequency": "monthly",
        "meeting_frequency_other": "",
        "meeting_format": "hybrid",
        "first_meeting": "",
        "existing_url": "",
        "wants_meeting_space": "on",
        "support_notes": "",
        "agrees_to_guidelines": "on",
        "agrees_to_code_of_conduct": "on",
        "website": "",
        "organizers-TOTAL_FORMS": "3",
        "organizers-INITIAL_FORMS": "0",
        "organizers-MIN_NUM_FORMS": "0",
        "organizers-MAX_NUM_FORMS": "10",
    }
    for i in range(2):
        data[f"organizers-{i}-name"] = f"Bench Person {n}-{i}"
        data[f"organizers-{i}-email"] = f"bench{n}-{i}@example.org"
        data[f"organizers-{i}-institution"] = "Brooklyn Public Library"
        data[f"organizers-{i}-listed_publicly"] = "on"
    return data


def run_submit(args) -> dict:
    """Fill in the form, save the draft, then submit it from check-your-answers: the submit
    POST is the status change that triggers email to the organizers."""
    client = Client(args.host, args.port)
    draft_ms, submit_ms, total_ms, errors = [], [], [], []
    budget_end = time.perf_counter() + args.duration
    for i in range(args.count):
        if time.perf_counter() > budget_end:
            break
        n = args.offset + i
        try:
            started = time.perf_counter()
            token = client.csrf_token("/propose/")
            t0 = time.perf_counter()
            status, headers, _ = client.request(
                "POST", "/propose/", data=proposal_form_data(n, token)
            )
            t1 = time.perf_counter()
            check_url = headers.get("Location", "")
            if status != 302 or not check_url.endswith("/check/"):
                errors.append(f"draft: status {status} to {check_url!r}")
                continue
            check_path = urllib.parse.urlsplit(check_url).path
            t2 = time.perf_counter()
            status, headers, _ = client.request(
                "POST", check_path, data={"csrfmiddlewaretoken": token}
            )
            t3 = time.perf_counter()
            if status != 302 or not headers.get("Location", "").endswith("/submitted/"):
                errors.append(f"submit: status {status} to {headers.get('Location')!r}")
                continue
        except (http.client.HTTPException, OSError, RuntimeError) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        draft_ms.append((t1 - t0) * 1000)
        submit_ms.append((t3 - t2) * 1000)
        total_ms.append((t3 - started) * 1000)
    client.close()
    return {
        "mode": "submit",
        "submitted": len(submit_ms),
        "errors": len(errors),
        "error_samples": errors[:5],
        "draft_post_ms": summarize(draft_ms),
        "submit_post_ms": summarize(submit_ms),
        "whole_flow_ms": summarize(total_ms),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    for name in ("get", "submit"):
        p = sub.add_parser(name)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--duration", type=float, default=3.0, help="seconds measured (at most)")
    get = sub.choices["get"]
    get.add_argument("--path", required=True)
    get.add_argument("--concurrency", type=int, default=4)
    get.add_argument("--warmup", type=float, default=0.5, help="seconds not measured first")
    get.add_argument("--max-requests", type=int, default=100_000)
    get.add_argument("--header", action="append", default=[], help="'Name: value'")
    get.add_argument("--conditional", action="store_true", help="send If-None-Match etc.")
    get.add_argument("--login", help="username:password, signed in through the login form")
    get.add_argument("--expect", default="200", help="accepted statuses, comma separated")
    get.add_argument("--must-contain", default="", help="text every 200 response must have")
    submit = sub.choices["submit"]
    submit.add_argument("--count", type=int, default=20)
    submit.add_argument("--offset", type=int, default=0, help="first number for unique names")
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the load driver only talks to loopback addresses")
    result = run_get(args) if args.mode == "get" else run_submit(args)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
