"""The benchmark suite (`make bench`): harness, load driver, SMTP sink and baseline views.

Nothing here runs in production: the baseline URLs exist only when BENCH_BASELINES=1."""
