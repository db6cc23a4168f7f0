"""How long the published free text of the directory may be. Everything here is shown on
public pages, `/meetups.json` and the exported page, so each has a limit that forms, the
admin and the listing import hold (a 1 MB description once made `/meetups.json` 1 MB)."""

DESCRIPTION_MAX_LENGTH = 4000  # as long as a proposal's "purpose and scope" may be
MEETING_DETAILS_MAX_LENGTH = 1000
INTRO_MAX_LENGTH = 10_000
FRONT_MATTER_MAX_LENGTH = 5000
