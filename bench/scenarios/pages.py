"""Pages: the baselines, /propose/ and /meetups/ at each number of listed groups."""

from __future__ import annotations

import re
import time

from django.conf import settings

from bench.fixtures import group_name, grow_listed_groups
from bench.harness import Bench
from bench.load import summarize

TARGET_MEETUPS = 0.50  # of the bare view's throughput
TARGET_PROPOSE = 0.60  # of the bare 20-field form page's throughput
TARGET_PUBLIC = 0.50  # every public page, of the bare view's throughput (issue 17)
PUBLIC_PAGES = {
    "home": "/",
    "guidelines": "/guidelines/",
    "group_page": "/meetups/bench-group-0000/",
    "directory_json": "/meetups.json",
    # The form as a browser asks for it: compressed, each copy anew (it holds a CSRF token).
    "propose_public": "/propose/",
}


def directory_state(bench: Bench, size: int) -> dict:
    """Is /meetups/ there, complete, and does it send validators?"""
    status, headers, body = bench.http_get("/meetups/")
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
    _, gzip_headers, gzipped = bench.http_get_bytes("/meetups/", {"Accept-Encoding": "gzip"})
    if gzip_headers.get("Content-Encoding") == "gzip":
        state["gzip_bytes"] = len(gzipped)
    if state["etag"] or state["last_modified"]:
        conditional = {}
        if state["etag"]:
            conditional["If-None-Match"] = state["etag"]
        if state["last_modified"]:
            conditional["If-Modified-Since"] = state["last_modified"]
        state["conditional_status"] = bench.http_get("/meetups/", conditional)[0]
    return state


def scenario_pages(bench: Bench) -> None:
    """Baselines, /propose/ and /meetups/ at 10, 100 and 1,000 listed groups."""
    for index, size in enumerate(bench.opts.sizes):
        if bench.time_left() < 120:
            bench.missing.append(f"/meetups/ at {size} groups: out of time budget")
            continue
        count = grow_listed_groups(size)
        # Written by this process, not the server's: each of its workers sees the change
        # once its last look at the directory version is older than the recheck interval.
        time.sleep(settings.DIRECTORY_RECHECK_SECONDS + 0.5)
        directory = directory_state(bench, size)
        bench.details[f"directory_{size}"] = directory
        bench.log(f"{count} listed groups; /meetups/ {directory}")
        last = group_name(size - 1)
        targets = {"bare": {"path": "/_bench/bare/"}}
        if index == 0:
            targets["form"] = {"path": "/_bench/form/"}
            targets["propose"] = {"path": "/propose/", "extra": ("--must-contain", last)}
            # Issue 17: every public page against the bare view, as a browser asks (gzip).
            for key, page in PUBLIC_PAGES.items():
                targets[key] = {"path": page, "extra": ("--header", "Accept-Encoding: gzip")}
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
            bench.missing.append(
                f"/meetups/: answered {directory['status']}, so its scenarios were not measured"
            )
        runs = bench.rounds(targets)
        bench.add_throughput_row(
            runs,
            "bare",
            scenario=f"Bare Django view (baseline), with {size} groups in the database",
            extra={"latency_ms": [r["latency_ms"] for r in runs["bare"]]},
        )
        if index == 0:
            bench.add_throughput_row(
                runs,
                "form",
                scenario="Bare 20-field form page, `{{ form.as_div }}` (baseline)",
                baseline="bare",
                baseline_label="bare view",
            )
            bench.add_throughput_row(
                runs,
                "propose",
                scenario=f"/propose/ GET (empty form, {size} groups listed beside it)",
                baseline="form",
                baseline_label="bare 20-field form page",
                target=TARGET_PROPOSE,
                target_of="form page",
                extra={
                    "ratio_to_bare_view": summarize(
                        [
                            p["rps"] / b["rps"]
                            for p, b in zip(runs["propose"], runs["bare"], strict=True)
                        ]
                    ),
                    "latency_ms": [r["latency_ms"] for r in runs["propose"]],
                },
            )
            for key in PUBLIC_PAGES:
                bench.add_throughput_row(
                    runs,
                    key,
                    scenario=f"{targets[key]['path']} GET, not signed in, accepting gzip",
                    baseline="bare",
                    baseline_label="bare view",
                    target=TARGET_PUBLIC,
                )
        if directory_ok:
            for key, label in (
                ("meetups", "plain GET"),
                ("meetups_gzip", "GET accepting gzip, as browsers do"),
                ("meetups_conditional", "conditional GET"),
            ):
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
                    note += f"; it showed {directory['groups_shown']} of {size} groups when checked"
                if key == "meetups_conditional" and not statuses.get("304"):
                    note = "no 304 answers: the page sent no usable ETag/Last-Modified"
                bench.add_throughput_row(
                    runs,
                    key,
                    scenario=f"/meetups/ with {size} listed groups, {label}",
                    baseline="bare",
                    baseline_label="bare view",
                    target=TARGET_MEETUPS,
                    note=note,
                    extra={"statuses": statuses},
                )
