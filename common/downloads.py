"""Files people download from their private pages."""

import json

from django.http import HttpResponse


def json_download(data, *, filename: str) -> HttpResponse:
    """`data` as an indented JSON file the browser saves as `filename`."""
    body = json.dumps(data, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
