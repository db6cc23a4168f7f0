"""The benchmark suite (`make bench`): harness, load driver, SMTP sink and baseline views.

Nothing here runs in production: the baseline URLs exist only in the benchmark's own
settings (bench.settings) and URLconf (bench.urls)."""
