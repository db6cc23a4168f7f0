"""The security headers as a real browser (Chromium) applies them: the private link never
reaches another site, the page cannot be framed by another site, the Content-Security-Policy
blocks nothing the pages need, and forms on private pages still post (CSRF origin checks)."""

import http.server
import threading

import pytest

from bench.smtp_sink import free_port
from intake.models import Proposal
from tests import factories


class OtherSite:
    """A different origin (another port on loopback) that records the headers it receives
    and serves a page that tries to frame ours."""

    def __init__(self, framed_url: str):
        self.requests: list[dict] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append(
                    {"path": self.path, **{k.lower(): v for k, v in self.headers.items()}}
                )
                body = f'<!doctype html><title>other</title><iframe src="{framed_url}"></iframe>'
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_private_link_does_not_leak_cannot_be_framed_and_forms_still_post(live_server):
    from playwright.sync_api import sync_playwright

    proposal, token = factories.draft(name="Private Circle")
    status_url = f"{live_server.url}/proposals/{token}/"
    violations: list[str] = []

    with OtherSite(framed_url=status_url) as other, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.on(
            "console",
            lambda msg: (
                violations.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )
        page.goto(status_url)
        assert "Private Circle" in page.inner_text("main")

        # Referrer leak: follow a link from the private page to another site.
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.id = 'out';"
            " a.textContent = 'out'; document.body.append(a); }",
            f"http://127.0.0.1:{other.port}/landing",
        )
        page.click("#out")
        page.wait_for_url(f"http://127.0.0.1:{other.port}/landing")
        landing = [r for r in other.requests if r["path"] == "/landing"][0]
        assert token not in landing.get("referer", ""), landing
        assert "referer" not in landing

        # Clickjacking: the other site's page frames ours; the browser refuses to show it.
        frame = page.frames[1]
        assert "Private Circle" not in frame.content()

        # A form on a private page still posts: check answers, then submit.
        page.goto(f"{live_server.url}/proposals/{token}/check/")
        page.get_by_role("button", name="Submit proposal").click()
        page.wait_for_url(f"**/proposals/{token}/submitted/")
        assert "Proposal submitted" in page.inner_text("main")

        # The pages the organizer saw needed nothing the policy forbids.
        for path in ("/", "/propose/", f"/proposals/{token}/"):
            page.goto(live_server.url + path)
        browser.close()

    # The only thing the policy blocked was the other site's attempt to frame us.
    assert any("frame-ancestors 'none'" in v for v in violations)
    assert [v for v in violations if "frame-ancestors" not in v] == []
    assert Proposal.objects.get(pk=proposal.pk).state == "submitted"
