"""The benchmark's support code: baseline URLs exist only when asked for, and the load
driver's statistics are right. No timing is ever asserted here."""

import importlib
import re
import statistics

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

from bench.load import median, percentile, summarize


@pytest.mark.django_db
def test_baseline_urls_are_absent_without_bench_baselines(client):
    assert client.get("/_bench/bare/").status_code == 404
    assert client.get("/_bench/form/").status_code == 404


@pytest.fixture
def baseline_urls():
    import config.urls

    with override_settings(BENCH_BASELINES=True):
        importlib.reload(config.urls)
        clear_url_caches()
        yield
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_baseline_urls_answer_when_enabled(client, baseline_urls):
    assert client.get("/_bench/bare/").content == b"ok\n"
    html = client.get("/_bench/form/").content.decode()
    names = set(re.findall(r' name="([^"]+)"', html)) - {"csrfmiddlewaretoken"}
    assert len(names) == 20
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db
def test_baselines_are_gone_again_after_the_fixture(client):
    assert client.get("/_bench/bare/").status_code == 404


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
