"""Every public page is sent compressed to a browser that accepts gzip, once (never a
compressed copy compressed again), and a page a browser cannot unpack is sent plain."""

import gzip

import pytest


@pytest.mark.django_db
def test_every_public_page_is_gzipped_once(client, public_paths):
    for path in public_paths:
        plain = client.get(path)
        assert plain.status_code == 200, path
        assert "Content-Encoding" not in plain, path
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response.status_code == 200, path
        assert response["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in response["Vary"], path
        # One layer: unpacking once gives the page itself, not another gzip stream.
        body = gzip.decompress(response.content)
        assert not body.startswith(b"\x1f\x8b"), path
        assert len(response.content) < len(body), path
        if path != "/meetups.json":
            assert body.lstrip().lower().startswith(b"<!doctype html"), path


@pytest.mark.django_db
def test_breach_mitigation_two_copies_of_a_page_differ(client):
    """Django adds random bytes to each gzip header, so two responses of one page are not
    the same length-for-length (a BREACH attacker counts bytes)."""
    lengths = {len(client.get("/propose/", HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
    assert len(lengths) > 1
