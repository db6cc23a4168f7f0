"""How dates and times read on every page: templates name these formats (|date,
|date:"DATETIME_FORMAT", ...) instead of spelling a format out (settings.FORMAT_MODULE_PATH)."""

DATE_FORMAT = "j F Y"  # 30 November 2026
DATETIME_FORMAT = "j F Y, g:i a"  # 30 November 2026, 4:05 pm
SHORT_DATE_FORMAT = "j M Y"  # 30 Nov 2026
SHORT_DATETIME_FORMAT = "j M Y, g:i a"
YEAR_MONTH_FORMAT = "F Y"  # November 2026
TIME_FORMAT = "g:i:s a"  # to the second, for the outbox's record of each attempt
