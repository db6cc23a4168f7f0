"""Issue 23: commands run by hand beside `make run PORT=N` link to the site it serves."""

import subprocess
from pathlib import Path

from config.env import site_url

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_writes_the_address_it_serves_for_commands_run_beside_it():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8203"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout
    assert 'echo "http://localhost:8203" > .site-url' in dry_run


def test_a_command_in_development_reads_the_served_address(tmp_path, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_url(tmp_path, debug=True) == "http://127.0.0.1:8000"  # no make run yet
    (tmp_path / ".site-url").write_text("http://127.0.0.1:8203\n")
    assert site_url(tmp_path, debug=True) == "http://127.0.0.1:8203"
    assert site_url(tmp_path, debug=False) == "http://127.0.0.1:8000"  # production: never
    monkeypatch.setenv("SITE_URL", "https://meetups.example.org/")
    assert site_url(tmp_path, debug=True) == "https://meetups.example.org"
