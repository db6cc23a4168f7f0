"""The benchmark's scenarios, one module each, in the order they run. Each is a function of
the run (bench.harness.Bench) that adds rows to the report. They import models, so this
package is imported only once Django is configured (after the stack is set up)."""

from bench.scenarios.emails import scenario_email
from bench.scenarios.lifecycle import scenario_lifecycle
from bench.scenarios.lighthouse import scenario_lighthouse
from bench.scenarios.meetings import scenario_meetings
from bench.scenarios.overlap import scenario_overlap
from bench.scenarios.pages import scenario_pages
from bench.scenarios.report import scenario_report
from bench.scenarios.reviews import scenario_reviews
from bench.scenarios.submit import scenario_submit

SCENARIOS = {
    "pages": scenario_pages,
    "submit": scenario_submit,
    "overlap": scenario_overlap,
    "reviews": scenario_reviews,
    "email": scenario_email,
    "report": scenario_report,
    "meetings": scenario_meetings,
    "lighthouse": scenario_lighthouse,
    "lifecycle": scenario_lifecycle,
}
