"""The built stylesheet goes out compressed, as a deployment serves it: collectstatic writes
a gzip and a Brotli copy beside each hashed file, and WhiteNoise sends the smaller one the
browser accepts, cached for good (its name changes with its content)."""

import http.client
import json

from .helpers import gunicorn, production_env


def fetch_headers(port: int, path: str, encoding: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": encoding})
        response = conn.getresponse()
        response.read()
        return {"status": response.status, **{k.lower(): v for k, v in response.getheaders()}}
    finally:
        conn.close()


def test_stylesheet_is_served_brotli_or_gzip_and_cached_for_good(collected_static, tmp_path):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/app.min.css"]
    for suffix in (".gz", ".br"):
        assert (collected_static / (hashed + suffix)).exists(), suffix
    env = production_env(
        DJANGO_STATIC_ROOT=collected_static,
        DJANGO_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    with gunicorn(env) as port:
        brotli = fetch_headers(port, f"/static/{hashed}", "gzip, deflate, br")
        gzipped = fetch_headers(port, f"/static/{hashed}", "gzip")
        plain = fetch_headers(port, f"/static/{hashed}", "identity")
    assert brotli["status"] == gzipped["status"] == plain["status"] == 200
    assert brotli["content-encoding"] == "br"
    assert gzipped["content-encoding"] == "gzip"
    assert "content-encoding" not in plain
    assert int(brotli["content-length"]) < int(gzipped["content-length"])
    assert int(gzipped["content-length"]) < int(plain["content-length"])
    assert "immutable" in brotli["cache-control"]
