"""Download a client's control state as OSCAL assessment results (oscal/assessment_results)."""

from __future__ import annotations

from django.http import HttpResponse

from ciodesk.security.oscal.assessment_results import (
    build_assessment_results,
    export_filename,
    render_json,
)
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view


@client_view(Level.READ)
def assessment_results_json(request, client_slug):
    today = request.client.today()
    document = build_assessment_results(request.client, today=today)
    response = HttpResponse(render_json(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(request.client, today)}"'
    )
    return response
