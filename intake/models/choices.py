"""The fixed choices of the proposal form's meeting questions."""

from django.db import models


class MeetingFrequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    TWICE_A_YEAR = "twice_a_year", "Twice a year"
    OTHER = "other", "Other"


class MeetingFormat(models.TextChoices):
    AT_COUNCIL = "at_council", "In person at the council"
    IN_PERSON_ELSEWHERE = "in_person_elsewhere", "In person elsewhere"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid (in person and online)"
