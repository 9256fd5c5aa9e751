"""The executive brief (page, PDF, commentary) and the client dossier (page, PDF)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ciodesk.reports import documents
from ciodesk.reports.brief import AREA_TITLES, build_brief
from ciodesk.reports.forms import CommentaryForm
from ciodesk.reports.models import BriefCommentary
from ciodesk.reports.render import Pdf
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view


def pdf_response(pdf: Pdf, filename: str) -> HttpResponse:
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@client_view(Level.READ)
def brief(request, client_slug):
    return render(request, "reports/brief.html", {"brief": build_brief(request.client)})


@client_view(Level.READ)
def brief_card(request, client_slug):
    """The lights alone, for the client home (loaded there with htmx, after the page)."""
    return render(request, "reports/brief_card.html", {"brief": build_brief(request.client)})


@client_view(Level.READ)
def brief_pdf(request, client_slug):
    found = build_brief(request.client)
    return pdf_response(documents.brief_pdf(found), f"{client_slug}-brief-{found.today}.pdf")


@client_view(Level.PRACTICE)
def brief_commentary(request, client_slug):
    """The CIO's commentary on one area of the brief (?area=security); empty removes it."""
    area = request.GET.get("area", BriefCommentary.Area.SUMMARY)
    if area not in AREA_TITLES:
        raise Http404("No such area")
    item = BriefCommentary.objects.filter(area=area).first()
    form = CommentaryForm(request.POST or None, initial={"text": item.text if item else ""})
    back = reverse("reports:brief", kwargs={"client_slug": client_slug}) + f"#area-{area}"
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"].strip()
        with transaction.atomic():
            if text:
                item = item or BriefCommentary(area=area)
                item.text, item.author = text, request.user
                item.save()
            elif item is not None:
                item.delete()
        return redirect(back)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "heading": f"Commentary on the brief: {AREA_TITLES[area]}",
            "cancel_url": back,
        },
    )


@client_view(Level.READ)
def dossier(request, client_slug):
    return render(request, "reports/dossier.html", documents.dossier_context(request.client))


@client_view(Level.READ)
def dossier_pdf(request, client_slug):
    pdf = documents.dossier_pdf(request.client)
    return pdf_response(pdf, f"{client_slug}-dossier-{request.client.today()}.pdf")
