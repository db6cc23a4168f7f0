"""Lighthouse for the benchmark: installing the pinned version, running it on one page, what
a first visit transfers, and the report's Lighthouse table. No Django here (bench.report
imports this module before Django is configured); the scenario is bench.scenarios.lighthouse.

Lighthouse 12.2.3 is the last release that runs on Node 20. It is installed with npm into
bench/.cache/lighthouse (gitignored), never globally, and drives the Chromium at CHROME_PATH
(default /usr/bin/chromium) headless, in its default mobile emulation (a mid-range phone on
a slow 4G network, simulated)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from bench.stack import ROOT

VERSION = "12.2.3"
CACHE = ROOT / "bench" / ".cache" / "lighthouse"
BINARY = CACHE / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGET_SCORE = 100
TARGET_LCP_MS = 1200
CHROME_FLAGS = "--headless=new --no-sandbox"


def chrome_path() -> str:
    return os.environ.get("CHROME_PATH") or "/usr/bin/chromium"


def installed_version() -> str:
    try:
        package = CACHE / "node_modules" / "lighthouse" / "package.json"
        return json.loads(package.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return ""


def why_not() -> str:
    """Why Lighthouse cannot run here ("" when it can), installing it first if need be."""
    node = shutil.which("node")
    if not node:
        return "Node.js is not installed (Lighthouse needs Node 18.16 or newer)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    major = re.match(r"v(\d+)", version.strip())
    if not major or int(major.group(1)) < 18:
        return f"Node.js {version.strip() or '?'} is too old (Lighthouse {VERSION} needs 18.16+)"
    if not os.path.exists(chrome_path()):
        return f"no Chromium at {chrome_path()} (set CHROME_PATH)"
    if installed_version() != VERSION:
        npm = shutil.which("npm")
        if not npm:
            return "npm is not installed, so Lighthouse could not be installed"
        CACHE.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund",
             "--loglevel=error", f"lighthouse@{VERSION}"],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if result.returncode or installed_version() != VERSION:
            return f"npm could not install lighthouse@{VERSION}: {result.stderr.strip()[-300:]}"
    return ""


def run(url: str, output: Path, *, timeout: float = 180) -> dict:
    """One Lighthouse run (mobile emulation) on `url`: the three scores (0-100), LCP in ms,
    the bytes it transferred (headers included) and the audits that did not pass."""
    command = [
        str(BINARY),
        url,
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": chrome_path()}
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    if result.returncode or not output.exists():
        raise RuntimeError(f"lighthouse failed on {url}: {result.stderr.strip()[-500:]}")
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError'].get('message', '')}")
    audits = report["audits"]
    # Audits that count towards a score (an informative one, weighted 0, is left out).
    weighted = {
        ref["id"]
        for category in report["categories"].values()
        for ref in category["auditRefs"]
        if ref.get("weight")
    }
    failed = sorted(
        name
        for name, audit in audits.items()
        if name in weighted and audit.get("score") is not None and audit["score"] < 1
    )
    scores = {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    return {
        "scores": scores,
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "transferred_bytes": audits["total-byte-weight"]["numericValue"],
        "failed_audits": failed,
    }


def meets(result: dict) -> dict[str, bool]:
    checks = {name: result["scores"][name] >= TARGET_SCORE for name in CATEGORIES}
    checks["lcp"] = result["lcp_ms"] < TARGET_LCP_MS
    return checks


# What a first visit transfers, without a browser


def first_visit(get, path: str, *, encoding: str = "gzip, br") -> dict:
    """Bytes of each body a browser fetches on a first visit to `path`, as sent (compressed
    when the server compresses): the page, its stylesheets and scripts, and its icon (the
    SVG one: a browser that takes SVG icons fetches no other). `get(path, headers)` answers
    (status, headers, body), as Bench.http_get_bytes does."""
    _, headers, body = get(path, {"Accept-Encoding": encoding})
    parts = {"html": len(body)}
    plain = get(path, {"Accept-Encoding": "identity"})[2].decode(errors="replace")
    for tag in re.findall(r"<(?:link|script)\b[^>]*>", plain):
        address = re.search(r'\b(?:href|src)="([^"]+)"', tag)
        wanted = (
            'rel="stylesheet"' in tag
            or tag.startswith("<script")
            or ('rel="icon"' in tag and "image/svg+xml" in tag)
        )
        if address and wanted and address.group(1).startswith("/"):
            parts[address.group(1)] = len(get(address.group(1), {"Accept-Encoding": encoding})[2])
    return {
        "bytes": sum(parts.values()),
        "parts": parts,
        "html_encoding": headers.get("Content-Encoding", ""),
    }


# The report's section


def markdown(report: dict) -> list[str]:
    """The Lighthouse table for latest.md, from the details the scenario recorded."""
    pages = report.get("details", {}).get("lighthouse", {}).get("pages", {})
    if not pages:
        return []

    def cell(value: str, ok: bool) -> str:
        return f"{value} met" if ok else f"{value} **missed**"

    lines = [
        "",
        f"## Lighthouse {VERSION}, mobile emulation",
        "",
        f"Targets: performance, accessibility and best practices {TARGET_SCORE}, largest "
        f"contentful paint under {TARGET_LCP_MS / 1000:.1f} s. Median of the runs per page; "
        "transferred: what Lighthouse saw arrive on a first visit, headers included.",
        "",
        "| Page | Performance | Accessibility | Best practices | LCP | Transferred | Audits not passed |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, page in pages.items():
        result, ok = page["median"], page["met"]
        scores = [cell(str(result["scores"][c]), ok[c]) for c in CATEGORIES]
        lcp = cell(f"{result['lcp_ms'] / 1000:.2f} s", ok["lcp"])
        lines.append(
            f"| {name} (`{page['path']}`) | {' | '.join(scores)} | {lcp} "
            f"| {result['transferred_bytes'] / 1024:.1f} KB "
            f"| {', '.join(page['failed_audits']) or '-'} |"
        )
    return lines
