"""The benchmark's support code: baseline URLs exist only in the benchmark's own settings
and URLconf, and the load driver's statistics are right. No timing is ever asserted here."""

import re
import statistics
from pathlib import Path

import pytest

import bench.settings
import bench.urls
import config.settings
import config.urls
from bench.load import median, percentile, summarize

CONFIG = Path(config.settings.__file__).parent


@pytest.mark.django_db
def test_baseline_urls_are_absent_from_the_production_urls(client):
    assert client.get("/_bench/bare/").status_code == 404
    assert client.get("/_bench/form/").status_code == 404


@pytest.fixture
def baseline_urls(settings):
    """The benchmark's URLconf, as its gunicorn serves it (settings restores it after)."""
    settings.ROOT_URLCONF = "bench.urls"


@pytest.mark.django_db
def test_baseline_urls_answer_with_the_benchmarks_urlconf(client, baseline_urls):
    assert client.get("/_bench/bare/").content == b"ok\n"
    html = client.get("/_bench/form/").content.decode()
    names = set(re.findall(r' name="([^"]+)"', html)) - {"csrfmiddlewaretoken"}
    assert len(names) == 20
    assert 'name="csrfmiddlewaretoken"' in html
    # The application is all there too, with its own error pages.
    assert client.get("/healthz").status_code == 200
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.django_db
def test_baselines_are_gone_again_after_the_fixture(client):
    assert client.get("/_bench/bare/").status_code == 404


def test_bench_settings_are_the_production_settings_with_their_own_urls():
    names = {name for name in dir(config.settings) if name.isupper()}
    assert names == {name for name in dir(bench.settings) if name.isupper()}
    changed = {n for n in names if getattr(bench.settings, n) != getattr(config.settings, n)}
    assert changed == {"ROOT_URLCONF"}
    assert bench.settings.ROOT_URLCONF == "bench.urls"
    assert bench.urls.urlpatterns[: len(config.urls.urlpatterns)] == config.urls.urlpatterns
    assert (bench.urls.handler400, bench.urls.handler500) == (
        config.urls.handler400,
        config.urls.handler500,
    )


def test_production_settings_and_urls_do_not_mention_the_benchmark():
    for path in CONFIG.glob("*.py"):
        assert "bench" not in path.read_text().lower(), path.name


def test_median_of_odd_and_even_counts():
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == 2.5
    assert median([7]) == 7


@pytest.mark.parametrize("q", [0, 10, 25, 50, 75, 90, 95, 100])
def test_percentiles_match_the_standard_librarys_inclusive_method(q):
    values = [12.0, 3.5, 7.25, 100.0, 42.0, 0.5, 19.0, 8.0, 8.0, 61.0, 2.0]
    if q in (0, 100):
        expected = min(values) if q == 0 else max(values)
    else:
        expected = statistics.quantiles(values, n=100, method="inclusive")[q - 1]
    assert percentile(values, q) == pytest.approx(expected)


def test_p95_of_one_to_one_hundred():
    assert percentile(range(1, 101), 95) == pytest.approx(95.05)


def test_percentile_refuses_nonsense():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_summary_gives_median_spread_and_tail():
    summary = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert summary["n"] == 10
    assert summary["median"] == 5.5
    assert summary["p25"] == pytest.approx(3.25)
    assert summary["p75"] == pytest.approx(7.75)
    assert summary["iqr"] == pytest.approx(4.5)
    assert (summary["min"], summary["max"]) == (1, 10)
    assert summarize([]) == {"n": 0}
