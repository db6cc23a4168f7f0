"""The CSV export for program managers (reviews.export), linked from the queue."""

from django.http import StreamingHttpResponse
from django.urls import reverse

from accounts.roles import fresh_sign_in_required, program_manager_required

from . import export
from .forms import QueueFilterForm
from .queue import QueueFilters


def back_to_the_queue(request) -> str:
    """The queue page the export was asked from, which starts the download once there."""
    query = request.GET.copy()
    query["download"] = "csv"
    return f"{reverse('reviews:queue')}?{query.urlencode()}"


@program_manager_required
# Every proposal's answers and organizers leave the site in one file.
@fresh_sign_in_required(return_to=back_to_the_queue)
def export_csv(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else QueueFilters()
    response = StreamingHttpResponse(
        export.csv_lines(export.export_rows(user=request.user, filters=filters)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export.filename()}"'
    return response
