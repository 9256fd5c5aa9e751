"""Pages of the risk register (thin: the facts come from ``services_risks``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.security import services_risks as services
from ciodesk.security.forms_risks import AcceptanceForm, RiskForm
from ciodesk.security.heatmap import heat_map, heat_table
from ciodesk.security.models import Risk
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404


def _url(request, name: str, pk: int | None = None) -> str:
    kwargs = {"client_slug": request.client.slug} | ({"pk": pk} if pk is not None else {})
    return reverse(f"security:{name}", kwargs=kwargs)


@dataclass
class RiskCrud(Crud):
    """Saves land on the risk's own page, where its controls' state and acceptance show."""

    def _save(self, request, form, verb: str):
        with transaction.atomic():
            obj = form.save(commit=False)
            obj.client = request.client
            obj.save()
            form.save_m2m()
        messages.success(request, f"Risk “{obj}” {verb}.")
        return redirect(_url(request, "risk-detail", obj.pk))


def _accepted(view: services.RiskView, part: str):
    acceptance = view.acceptance
    if acceptance is None or view.risk.treatment != Risk.Treatment.ACCEPT:
        return ""
    return {
        "by": lambda a: str(a.decided_by),
        "at": lambda a: a.decided_at,
        "why": lambda a: a.reason,
    }[part](acceptance)


COLUMNS = [
    Column("Risk", lambda v: v.risk.title, link=True),
    Column("Category", lambda v: v.risk.category),
    Column("Owner", lambda v: v.risk.owner.name),
    Column("Likelihood", lambda v: v.risk.likelihood),
    Column("Impact", lambda v: v.risk.impact),
    Column("Score", lambda v: v.score),
    Column("Band", lambda v: v.band),
    Column("Treatment", lambda v: v.risk.get_treatment_display()),
    Column("Planned actions", lambda v: v.risk.planned_actions),
    Column("Cost estimate", lambda v: v.risk.cost_estimate),
    Column("Currency", lambda v: v.risk.currency),
    Column("Linked controls", lambda v: v.controls_summary),
    Column("Stale controls", lambda v: "; ".join(str(s.control) for s in v.stale_controls)),
    Column("Residual likelihood", lambda v: v.risk.residual_likelihood),
    Column("Residual impact", lambda v: v.risk.residual_impact),
    Column("Residual score", lambda v: v.residual),
    Column("Residual band", lambda v: v.residual_band),
    Column("Next review", lambda v: v.risk.next_review_on),
    Column("Review overdue", lambda v: "Yes" if v.overdue else ""),
    Column("Status", lambda v: v.risk.get_status_display()),
    Column("Accepted by", lambda v: _accepted(v, "by")),
    Column("Accepted at", lambda v: _accepted(v, "at")),
    Column("Acceptance reason", lambda v: _accepted(v, "why")),
]

RISKS = RiskCrud(
    model=Risk,
    form_class=RiskForm,
    kind="risk",
    title="Risk register",
    namespace="security",
    columns=COLUMNS,
    search_fields=["title", "description", "category", "planned_actions", "owner__name"],
    queryset=services.risks_queryset,
    empty_text="No risks recorded yet. Start with what would stop the business for a week: "
    "ransomware, a lost laptop, a supplier's outage.",
)


def _views(request) -> tuple[str, list[services.RiskView]]:
    q = request.GET.get("q", "").strip()
    risks = RISKS.search(services.risks_queryset(), q)
    return q, services.risk_views(risks, request.client.today())


@client_view(Level.READ)
def risk_list(request, client_slug):
    q, views = _views(request)
    inherent = services.heat_counts(views)
    residual = services.heat_counts(views, residual=True)
    name = request.client.name
    context = {
        "crud": RISKS,
        "q": q,
        "views": views,
        "overdue": sum(1 for v in views if v.overdue),
        "stale": sum(1 for v in views if v.stale_controls and v.risk.status == Risk.Status.OPEN),
        "maps": [
            {
                "id": "heat-inherent",
                "title": "Before treatment",
                "svg": heat_map("heat-inherent", f"Open risks before treatment, {name}", inherent),
                "table": heat_table(inherent),
                "counts": inherent,
            },
            {
                "id": "heat-residual",
                "title": "After treatment (residual)",
                "svg": heat_map("heat-residual", f"Open risks after treatment, {name}", residual),
                "table": heat_table(residual),
                "counts": residual,
            },
        ],
        "can_write": request.access >= RISKS.write_level,
        "create_url": _url(request, "risk-create"),
        "export_url": _url(request, "risk-export"),
        "bands": services.BANDS,
    }
    template = "security/risks_list.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ)
def risk_export(request, client_slug):
    _q, views = _views(request)
    fmt = request.GET.get("format", "csv")
    return export_response(fmt, f"{request.client.slug}-risks", COLUMNS, views)


@client_view(Level.READ, Risk)
def risk_detail(request, client_slug, pk):
    # the scoped queryset: another client's risk is simply not there (404)
    risk = get_object_or_404(services.risks_queryset(), pk=pk)
    context = {
        "view": services.view_of(risk, request.client.today()),
        "risk": risk,
        "acceptances": list(risk.acceptances.all()),
        "can_write": request.access >= RISKS.write_level,
        "can_accept": services.is_client_executive(request.user),
    }
    return render(request, "security/risks_detail.html", context)


@client_view(Level.READ, Risk)
def risk_accept(request, client_slug, pk):
    """A write by a read-level persona: the client's executive records the decision. Every
    other user — the practice's lead and consultants included — is refused, with a reason."""
    risk = get_for_client_or_404(Risk, pk=pk)
    if not services.is_client_executive(request.user):
        return render(
            request, "security/risks_accept.html", {"risk": risk, "refused": True}, status=403
        )
    today = request.client.today()
    form = AcceptanceForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        services.accept_risk(
            risk,
            user=request.user,
            reason=form.cleaned_data["reason"],
            review_by=form.cleaned_data["review_by"],
        )
        messages.success(request, f"You accepted the risk “{risk}”. Your reason is recorded.")
        return redirect(_url(request, "risk-detail", risk.pk))
    return render(request, "security/risks_accept.html", {"risk": risk, "form": form})
