"""The security dashboard, the controls with their evidence, and the framework roll-ups.

Who may do what: executives read everything; contributors (the client's office manager)
add, correct and delete evidence; the control's status — the attestation that ends up in
insurance answers — is set by the practice (Level.PRACTICE), who can also set it while
adding evidence.
"""

from __future__ import annotations

import contextlib
import functools

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from ciodesk.core.exports import Column, export_response
from ciodesk.security import reference
from ciodesk.security import services_controls as services
from ciodesk.security.forms_controls import (
    ControlStatusForm,
    EvidenceEditForm,
    EvidenceForm,
    content_type_for,
)
from ciodesk.security.models import ClientControl, CoverageImport, Evidence, FrameworkItem
from ciodesk.security.state import LABELS, STALE, state_of
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404

# (URL name, label, what it holds, needs a client slug, least level) — shown only when the
# URL exists, so the dashboard works whichever security sections are installed.
SECTIONS = [
    ("security:control-list", "Controls and evidence", "Every control, its status and proof."),
    ("security:rollups", "Framework roll-ups", "The same state by NIST CSF, CISA CPG, CIS IG1."),
    ("security:coverage", "Coverage", "MFA, endpoint protection and backups from exports."),
    ("security:risk-list", "Risk register", "What could go wrong, and what is done about it."),
    ("security:insurance", "Cyber-insurance readiness", "The application's questions, answered."),
    ("security:questionnaire-list", "Customer questionnaires", "Answers from the library."),
    ("security:ir-plan", "Incident response", "Whom to call, the first hour, tabletops."),
]


def _sections(request) -> list[tuple[str, str, str]]:
    found = []
    for name, label, text in SECTIONS:
        try:
            found.append((reverse(name, kwargs={"client_slug": request.client.slug}), label, text))
        except NoReverseMatch:
            continue
    if request.access >= Level.PRACTICE:
        with contextlib.suppress(NoReverseMatch):
            found.append((reverse("frameworks:list"), "Reference frameworks", "Official texts."))
    return found


def _needs_owner(view):
    """Controls need an owner: with nobody to own them, say what to do instead of failing."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except services.NoOwnerError:
            return render(request, "security/controls_dashboard.html", {"no_owner": True})

    return wrapped


def _controls_url(client_slug: str) -> str:
    """The list's address; a control's page is this plus "<pk>/" (urls_controls.py). Long
    tables build their links from it instead of reversing a URL per row."""
    return reverse("security:control-list", kwargs={"client_slug": client_slug})


def _control_or_404(pk) -> ClientControl:
    control = ClientControl.objects.select_related("definition", "owner").filter(pk=pk).first()
    if control is None:
        raise Http404("No such control here")
    return control


def _coverage_rows(imports: list[CoverageImport]) -> list[dict]:
    """What the dashboard says about each coverage kind, from the import's kept summary
    (never its rows: an MFA export can hold thousands of accounts)."""
    try:
        from ciodesk.security.services_coverage import headline
    except ImportError:  # the coverage section is not installed

        def headline(record: CoverageImport) -> str:
            return f"{record.rows} row(s)"

    return [{"import": imp, "headline": headline(imp)} for imp in imports]


@client_view(Level.READ)
@_needs_owner
def dashboard(request, client_slug):
    summary = services.summary(request.client.today())
    context = {
        "summary": summary,
        "statuses": services.status_choices_with_counts(summary),
        "coverage": _coverage_rows(services.latest_coverage()),
        "sections": _sections(request),
        "list_url": _controls_url(client_slug),
    }
    return render(request, "security/controls_dashboard.html", context)


# --- the list ----------------------------------------------------------------------------------

CONTROL_COLUMNS = [
    Column("key", lambda s: s.control.definition.key),
    Column("control", lambda s: s.control.definition.title),
    Column("area", lambda s: s.control.definition.area),
    Column("status", lambda s: s.control.get_status_display()),
    Column("effective_status", lambda s: s.label),
    Column("last_verified_on", lambda s: s.control.last_verified_on),
    Column("stale_from", lambda s: s.due_on),
    Column("interval_days", lambda s: s.control.definition.interval_days),
    Column("owner", lambda s: s.control.owner.name),
    Column("not_applicable_reason", lambda s: s.control.not_applicable_reason),
    Column("nist_csf_2_0", lambda s: " ".join(s.control.definition.csf)),
    Column("cisa_cpg_2_0", lambda s: " ".join(s.control.definition.cpg)),
    Column("cis_v8_1_ig1", lambda s: " ".join(s.control.definition.cis)),
    Column("essential_eight", lambda s: "; ".join(s.control.definition.e8)),
]


def _filtered(request) -> tuple[services.Summary, list, str]:
    summary = services.summary(request.client.today())
    status = request.GET.get("status", "")
    rows = summary.states
    if status in LABELS:
        rows = [s for s in rows if s.effective == status]
    else:
        status = ""
    return summary, rows, status


def _day(value) -> str:
    return value.isoformat() if value else "—"


def _list_row(state) -> dict:
    """One flat row per control: a 200-row table renders much faster from plain values."""
    control, definition = state.control, state.control.definition
    return {
        "pk": control.pk,
        "title": definition.title,
        "area": definition.area,
        "effective": state.effective,
        "label": state.label,
        "reason": control.not_applicable_reason if state.effective == "not_applicable" else "",
        "verified": _day(control.last_verified_on),
        "due": _day(state.due_on),
        "interval": definition.interval_days,
        "owner": control.owner.name,
    }


@client_view(Level.READ)
@_needs_owner
def control_list(request, client_slug):
    summary, rows, status = _filtered(request)
    context = {
        "summary": summary,
        "rows": [_list_row(s) for s in rows],
        "status": status,
        "statuses": services.status_choices_with_counts(summary),
        "today": summary.today,
        "controls_url": _controls_url(client_slug),
    }
    return render(request, "security/controls_list.html", context)


@client_view(Level.READ)
@_needs_owner
def control_export(request, client_slug):
    _, rows, status = _filtered(request)
    name = f"{client_slug}-controls" + (f"-{status}" if status else "")
    return export_response(request.GET.get("format", "csv"), name, CONTROL_COLUMNS, rows)


# --- one control -------------------------------------------------------------------------------

SCHEMES = [
    ("csf", "NIST CSF 2.0", "csf"),
    ("cpg", "CISA CPG 2.0", "cpg"),
    ("cis", "CIS Controls v8.1 IG1", "cis"),
    ("e8", "Essential Eight", "essential"),
]


def _mappings(definition) -> list[dict]:
    """Each mapped ID with its short title and, when the framework was imported, its text."""
    wanted = {i for scheme, _, _ in SCHEMES for i in getattr(definition, scheme) or []}
    official: dict[tuple[str, str], FrameworkItem] = {}
    for item in FrameworkItem.objects.filter(item_id__in=wanted, withdrawn=False).select_related(
        "framework"
    ):
        label = f"{item.framework.slug} {item.framework.name}".lower()
        for scheme, _, hint in SCHEMES:
            if hint in label or (scheme == "e8" and "eight" in label):
                official.setdefault((scheme, item.item_id), item)
    short = reference.titles()
    rows = []
    for scheme, name, _ in SCHEMES:
        for item_id in getattr(definition, scheme) or []:
            if scheme == "csf":
                title = short["csf_category"].get(reference.csf_category_of(item_id), "")
            else:
                title = short[scheme].get(item_id, "")
            found = official.get((scheme, item_id))
            rows.append(
                {
                    "framework": name,
                    "id": item_id,
                    "title": "" if title == item_id else title,
                    "official": found,
                }
            )
    return rows


def _detail_context(request, control, status_form=None, evidence_form=None) -> dict:
    today = request.client.today()
    state = state_of(control, today)
    can_practice = request.access >= Level.PRACTICE
    return {
        "control": control,
        "definition": control.definition,
        "state": state,
        "stale_row": services.StaleRow(state, today) if state.effective == STALE else None,
        "today": today,
        "mappings": _mappings(control.definition),
        "evidence": list(Evidence.objects.filter(control=control).select_related("verified_by")),
        "can_contribute": request.access >= Level.CONTRIBUTOR,
        "can_practice": can_practice,
        "status_form": status_form
        or (ControlStatusForm(instance=control) if can_practice else None),
        "evidence_form": evidence_form
        or EvidenceForm(today=today, can_set_status=can_practice, prefix="ev"),
    }


@client_view(Level.READ, ClientControl)
def control_detail(request, client_slug, pk):
    control = _control_or_404(pk)
    return render(request, "security/controls_detail.html", _detail_context(request, control))


@client_view(Level.PRACTICE, ClientControl)
def control_status(request, client_slug, pk):
    control = _control_or_404(pk)
    form = ControlStatusForm(request.POST or None, instance=control)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"“{control.definition.title}”: {control.get_status_display()}.")
        return redirect("security:control-detail", client_slug=client_slug, pk=control.pk)
    context = _detail_context(request, control, status_form=form)
    return render(request, "security/controls_detail.html", context, status=_code(request, form))


@client_view(Level.CONTRIBUTOR, ClientControl)
def evidence_create(request, client_slug, pk):
    control = _control_or_404(pk)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        today=request.client.today(),
        can_set_status=request.access >= Level.PRACTICE,
        prefix="ev",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_evidence(
            control,
            kind=data["kind"],
            title=data["title"],
            verified_on=data["verified_on"],
            note=data.get("note", ""),
            url=data.get("url", "") if data["kind"] == Evidence.Kind.LINK else "",
            file=data.get("file") if data["kind"] == Evidence.Kind.FILE else None,
            user=request.user,
            status=data.get("status") or None,
        )
        messages.success(request, f"Evidence added to “{control.definition.title}”.")
        return redirect("security:control-detail", client_slug=client_slug, pk=control.pk)
    context = _detail_context(request, control, evidence_form=form)
    return render(request, "security/controls_detail.html", context, status=_code(request, form))


def _code(request, form) -> int:
    """A refused form is a 400 (a page that still shows the form and its errors)."""
    return 400 if request.method == "POST" and form.errors else 200


def _evidence_or_404(pk) -> Evidence:
    evidence = get_for_client_or_404(Evidence, pk=pk)
    evidence.control = _control_or_404(evidence.control_id)
    return evidence


@client_view(Level.CONTRIBUTOR, Evidence)
def evidence_edit(request, client_slug, pk):
    evidence = _evidence_or_404(pk)
    form = EvidenceEditForm(
        request.POST or None, request.FILES or None, instance=evidence, today=request.client.today()
    )
    if request.method == "POST" and form.is_valid():
        services.save_evidence(form.save(commit=False), old_file=form.old_file)
        messages.success(request, f"Evidence “{evidence.title}” saved.")
        return redirect("security:control-detail", client_slug=client_slug, pk=evidence.control_id)
    context = {"form": form, "evidence": evidence, "control": evidence.control}
    return render(
        request, "security/controls_evidence_form.html", context, status=_code(request, form)
    )


@client_view(Level.CONTRIBUTOR, Evidence)
def evidence_delete(request, client_slug, pk):
    evidence = _evidence_or_404(pk)
    if request.method == "POST":
        services.delete_evidence(evidence)
        messages.success(request, f"Evidence “{evidence.title}” deleted.")
        return redirect("security:control-detail", client_slug=client_slug, pk=evidence.control_id)
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": evidence,
            "cancel_url": reverse(
                "security:control-detail",
                kwargs={"client_slug": client_slug, "pk": evidence.control_id},
            ),
        },
    )


@client_view(Level.READ, Evidence)
def evidence_file(request, client_slug, pk):
    """The evidence file, only for the client's members, always as a download."""
    evidence = _evidence_or_404(pk)
    if not evidence.file:
        return render(request, "security/controls_no_file.html", {"evidence": evidence})
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage") from exc
    stored = evidence.file.name.rsplit("/", 1)[-1]
    name = stored.split("-", 1)[1] if "-" in stored else stored  # drop the random prefix
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Content-Type"] = content_type_for(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@client_view(Level.READ, ClientControl)
def control_history(request, client_slug, pk):
    from ciodesk.audit.models import ChangeRecord

    control = _control_or_404(pk)
    types = ContentType.objects.get_for_models(ClientControl, Evidence)
    evidence_ids = [
        str(i) for i in Evidence.objects.filter(control=control).values_list("pk", flat=True)
    ]
    records = ChangeRecord.objects.filter(
        Q(content_type=types[ClientControl], object_id=str(control.pk))
        | Q(content_type=types[Evidence], object_id__in=evidence_ids)
    ).select_related("actor", "content_type")
    context = {
        "object": control,
        "records": list(records),
        "title": control.definition.title,
        "back_url": reverse(
            "security:control-detail", kwargs={"client_slug": client_slug, "pk": control.pk}
        ),
    }
    return render(request, "audit/history.html", context)


# --- roll-ups ----------------------------------------------------------------------------------

_TALLY = [
    Column("applicable_controls", lambda t: t.applicable),
    Column("in_place", lambda t: t.in_place),
    Column("partial", lambda t: t.partial),
    Column("stale", lambda t: t.stale),
    Column("not_in_place_or_not_assessed", lambda t: t.gaps),
    Column("not_applicable", lambda t: t.mapped - t.applicable),
    Column("score_percent", lambda t: t.score),
]
ROLLUP_TABLES = {
    "csf-functions": ("csf_functions", [Column("function", lambda t: f"{t.id} {t.title}")]),
    "csf-categories": (
        "csf_categories",
        [Column("function", lambda t: t.group), Column("category", lambda t: f"{t.id} {t.title}")],
    ),
    "cpg": (
        "cpg",
        [
            Column("goal", lambda t: t.id),
            Column("title", lambda t: t.title),
            Column("verdict", lambda t: t.verdict_label),
        ],
    ),
    "cis": (
        "cis",
        [
            Column("safeguard", lambda t: t.id),
            Column("ciodesk_paraphrase", lambda t: t.title),
            Column("coverage", lambda t: t.cis_label),
            Column("controls", lambda t: t.control_titles),
        ],
    ),
    "e8": ("e8", [Column("strategy", lambda t: t.title)]),
}


def _rollups(request) -> tuple[services.Summary, services.Rollups]:
    summary = services.summary(request.client.today())
    return summary, services.rollups(summary.states)


@client_view(Level.READ)
@_needs_owner
def rollups(request, client_slug):
    summary, result = _rollups(request)
    context = {
        "summary": summary,
        "r": result.rows(),
        "cis_covered": result.cis_covered,
        "cpg_counts": [(services.VERDICT_LABELS[k], v) for k, v in result.cpg_counts().items()],
        "attribution": reference.ATTRIBUTION,
        "controls_url": _controls_url(client_slug),
    }
    return render(request, "security/controls_rollups.html", context)


@client_view(Level.READ)
@_needs_owner
def rollup_export(request, client_slug):
    table = request.GET.get("table", "csf-functions")
    if table not in ROLLUP_TABLES:
        raise Http404("Unknown roll-up table")
    attribute, head = ROLLUP_TABLES[table]
    _, result = _rollups(request)
    return export_response(
        request.GET.get("format", "csv"),
        f"{client_slug}-rollup-{table}",
        [*head, *_TALLY],
        getattr(result, attribute),
    )
