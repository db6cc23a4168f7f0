"""A closed year's figures, stored once so they never change afterwards, even when the rows
they were counted from are deleted under the retention rules."""

from django.db import models
from django.utils import timezone


class FrozenYear(models.Model):
    """The raw figures of one closed year (the report's rows before small counts are
    hidden), written once, by the nightly task or the first read after the year closed."""

    basis = models.CharField(max_length=10)  # "calendar" or "program" (reports.periods)
    year = models.PositiveSmallIntegerField()
    # The year's first day, so a later change of REPORT_YEAR_START makes a new row.
    first_day = models.DateField()
    schema_version = models.PositiveSmallIntegerField()
    rows = models.JSONField()
    frozen_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["basis", "year", "first_day", "schema_version"], name="frozen_year_once"
            )
        ]

    def __str__(self):
        return f"{self.basis} {self.year} (schema {self.schema_version})"
