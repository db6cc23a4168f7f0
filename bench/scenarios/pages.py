"""Pages: the baselines, /propose/ and /meetups/ at each number of listed groups."""

from __future__ import annotations

import re
import time

from django.conf import settings

from bench.fixtures import group_name, grow_listed_groups
from bench.harness import Bench
from bench.load import median, summarize

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

        def cpu(key, runs=runs):
            return [r["server_cpu_ms"] for r in runs[key]]

        def cpu_ratios(key, baseline, runs=runs):
            # CPU per request of the baseline over the target's: the throughput ratio
            # the two would have on cores of their own.
            return [b / max(t, 1e-9) for t, b in zip(cpu(key), cpu(baseline), strict=True)]

        bare = [r["rps"] for r in runs["bare"]]
        bench.add_row(
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
            bench.add_row(
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
            bench.add_row(
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
        if index == 0:
            for key in PUBLIC_PAGES:
                values = [r["rps"] for r in runs[key]]
                ratios = [v / b for v, b in zip(values, bare, strict=True)]
                bench.add_row(
                    scenario=f"{targets[key]['path']} GET, not signed in, accepting gzip",
                    metric="throughput",
                    values=values,
                    unit="req/s",
                    checked=runs[key],
                    cpu=cpu(key),
                    cpu_ratios=cpu_ratios(key, "bare"),
                    baseline="bare view",
                    ratios=ratios,
                    target=f">= {TARGET_PUBLIC:.2f} of the bare view",
                    met=median(ratios) >= TARGET_PUBLIC,
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
                    note += f"; it showed {directory['groups_shown']} of {size} groups when checked"
                if key == "meetups_conditional" and not statuses.get("304"):
                    note = "no 304 answers: the page sent no usable ETag/Last-Modified"
                bench.add_row(
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
