"""The listed groups' timed jobs (common.jobs; registered in MeetupsConfig.ready()). Their beat
tasks are in meetups.tasks."""

from common.jobs import Job

from . import linkcheck, nightly

JOBS = (
    Job(
        "group-lifecycle",
        "lifecycle_pass",
        "the nightly pass over listed groups' check-ins",
        nightly.run_pass,
    ),
    Job(
        "group-link-check",
        "check_links",
        "the weekly check of groups' web addresses",
        linkcheck.check_links,
    ),
)
