"""REPORT_YEAR_START is read from the environment and refused when it is no day of a year
that every quarter can start on."""

import pytest

from tests.intake.test_settings import _settings_process


@pytest.mark.parametrize("value", ["13-01", "07-31", "July", "07"])
def test_a_year_start_that_is_no_day_up_to_the_28th_is_refused(value):
    result = _settings_process(DJANGO_SECRET_KEY="x" * 50, REPORT_YEAR_START=value)
    assert result.returncode != 0
    assert "REPORT_YEAR_START must be a month and a day up to the 28th" in result.stderr


def test_a_year_start_is_taken_from_the_environment():
    assert _settings_process(DJANGO_SECRET_KEY="x" * 50, REPORT_YEAR_START="09-01").returncode == 0
