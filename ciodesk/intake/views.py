"""The public risk review: the form, the result page (by its unguessable token) and its PDF.

No login. CSRF stays on (the form carries the token). Nothing here redirects anywhere but
to the result page it just made; no address given by the visitor is ever followed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ciodesk.accounts.throttle import client_ip
from ciodesk.assessments.scoring import rating_for
from ciodesk.intake import dns_checks, scoring, services
from ciodesk.intake.forms import ReviewForm
from ciodesk.intake.models import Lead
from ciodesk.intake.questions import QUESTIONS
from ciodesk.reports.render import logo_data_uri, to_pdf
from ciodesk.tenancy.models import Practice

RESULT_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private, no-store"}


def _refuse(request, form, message: str):
    response = render(request, "intake/review_form.html", {"form": form, "refusal": message})
    response.status_code = 429
    response["Retry-After"] = "3600"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def review(request):
    if request.method != "POST":
        return render(request, "intake/review_form.html", {"form": ReviewForm()})
    form = ReviewForm(request.POST)
    if form.is_bot():
        return render(request, "intake/review_received.html")  # pretend; store nothing
    ip = client_ip(request)
    if message := services.refusal(ip):
        return _refuse(request, form, message)
    if not form.is_valid():
        return render(request, "intake/review_form.html", {"form": form}, status=400)
    submission = form.submission()
    if message := services.claim(ip, submission.domain):
        return _refuse(request, form, message)
    lead = services.run_review(submission)
    return redirect("intake:result", token=lead.result_token)


def _lead(token: str) -> Lead:
    if len(token) < 20:
        raise Http404("No such review")
    since = timezone.now() - datetime.timedelta(days=settings.RISK_REVIEW_RESULT_DAYS)
    lead = Lead.objects.filter(result_token=token, created_at__gte=since).first()
    if lead is None:  # unknown, or its link has expired
        raise Http404("No such review")
    return lead


def result_context(lead: Lead) -> dict:
    uncapped = rating_for(Decimal(lead.score))
    return {
        "capped_from": uncapped if uncapped != lead.rating else "",
        "lead": lead,
        "checks": dns_checks.rows(lead.dns_results),
        "formula": scoring.FORMULA,
        "question_count": len(QUESTIONS),
        "rating_class": lead.rating.lower(),
    }


@require_http_methods(["GET"])
def result(request, token):
    response = render(request, "intake/result.html", result_context(_lead(token)))
    for key, value in RESULT_HEADERS.items():
        response[key] = value
    return response


@require_http_methods(["GET"])
def result_pdf(request, token):
    lead = _lead(token)
    practice = Practice.objects.order_by("pk").first()
    html = render_to_string(
        "intake/result_pdf.html",
        {
            **result_context(lead),
            "practice": practice,
            "brand": (practice.brand_colour if practice else "") or "#1f4e79",
            "logo": logo_data_uri(practice),
        },
    )
    response = HttpResponse(to_pdf(html).content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="technology-risk-review.pdf"'
    for key, value in RESULT_HEADERS.items():
        response[key] = value
    return response
