"""The benchmark's Lighthouse support (bench.lighthouse): targets judged as the issue sets
them, the report's table, and saying plainly why it cannot run. Lighthouse itself is not
run here; `make bench` runs it."""

from bench import lighthouse


def result(performance=100, accessibility=100, best_practices=100, lcp_ms=900.0) -> dict:
    return {
        "scores": {
            "performance": performance,
            "accessibility": accessibility,
            "best-practices": best_practices,
        },
        "lcp_ms": lcp_ms,
        "transferred_bytes": 13_000,
        "failed_audits": [],
    }


def test_every_target_is_judged_on_its_own():
    assert all(lighthouse.meets(result()).values())
    missed = lighthouse.meets(result(best_practices=96, lcp_ms=1200.0))
    assert {name for name, ok in missed.items() if not ok} == {"best-practices", "lcp"}


def test_report_table_says_met_and_missed_per_page():
    page = result(accessibility=90)
    report = {
        "details": {
            "lighthouse": {
                "pages": {
                    "home": {
                        "path": "/",
                        "median": page,
                        "met": lighthouse.meets(page),
                        "failed_audits": ["color-contrast"],
                    }
                }
            }
        }
    }
    table = "\n".join(lighthouse.markdown(report))
    assert "| home (`/`) | 100 met | 90 **missed** | 100 met | 0.90 s met | 12.7 KB" in table
    assert "color-contrast" in table


def test_no_table_when_lighthouse_did_not_run():
    assert lighthouse.markdown({"details": {}}) == []


def test_says_why_when_node_is_missing(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert "Node.js is not installed" in lighthouse.why_not()


def test_says_why_when_chromium_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROME_PATH", str(tmp_path / "no-chromium"))
    reason = lighthouse.why_not()
    assert reason.startswith(("no Chromium at", "Node.js"))
