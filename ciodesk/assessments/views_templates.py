"""The practice's assessment templates (outside /c/): list, view, copy, edit, YAML in and out.

Only the practice's own people see and change templates (they are the practice's method, not
a client's data). A built-in version, or one an assessment has used, is read-only: the pages
offer to copy it instead, so past assessments keep the questions they were asked.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ciodesk.assessments import services_templates as services
from ciodesk.assessments.forms_templates import (
    CopyForm,
    DomainForm,
    ImportForm,
    QuestionForm,
    TemplateForm,
)
from ciodesk.assessments.models import (
    Assessment,
    AssessmentTemplate,
    TemplateDomain,
    TemplateQuestion,
)
from ciodesk.assessments.yaml_io import TemplateProblem
from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.views import _require_practice

TEMPLATE_COLUMNS = [
    Column("Template", lambda t: t.name, link=True),
    Column("Slug", lambda t: t.slug),
    Column("Version", lambda t: t.version),
    Column("Built in", lambda t: t.builtin),
    Column("Domains", lambda t: t.domain_count),
    Column("Based on", lambda t: str(t.based_on) if t.based_on else ""),
    Column("Created", lambda t: t.created_at),
]
QUESTION_COLUMNS = [
    Column("Domain", lambda q: q.domain.title),
    Column("Key", lambda q: q.key),
    Column("Question", lambda q: q.text),
    Column("Kind", lambda q: q.get_kind_display()),
    Column("Weight", lambda q: q.weight),
    Column("Insurance critical", lambda q: q.insurance_critical),
    Column("Controls", lambda q: " ".join(q.control_keys or [])),
    Column("Finding", lambda q: q.finding_title),
    Column("Disposition", lambda q: q.get_finding_disposition_display() if q.finding_title else ""),
    Column("Cost low", lambda q: q.cost_low),
    Column("Cost high", lambda q: q.cost_high),
]


def _templates():
    return AssessmentTemplate.objects.select_related("based_on").annotate(
        domain_count=Count("domains", distinct=True), question_count=Count("domains__questions")
    )


def _template_or_404(pk) -> AssessmentTemplate:
    template = AssessmentTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404("No such template")
    return template


def detail_url(pk: int) -> str:
    return reverse("assessment_templates:detail", kwargs={"pk": pk})


def _locked(request, template: AssessmentTemplate):
    """None when the template may be edited; else a redirect with the reason."""
    try:
        services.require_editable(template)
    except services.TemplateLocked as exc:
        messages.error(request, str(exc))
        return redirect(detail_url(template.pk))
    return None


@login_required
def template_list(request):
    _require_practice(request)
    services.ensure_builtin_templates()  # the first visit installs the built-in template
    templates = list(_templates().order_by("name", "slug", "-version"))
    used = set(
        Assessment.unscoped.filter(template__in=templates)  # a count per version, no client data
        .values_list("template_id", flat=True)
        .distinct()
    )
    rows = [(t, t.pk in used) for t in templates]
    return render(request, "assessments/templates_list.html", {"rows": rows})


@login_required
def template_export(request):
    _require_practice(request)
    return export_response(
        request.GET.get("format", "csv"), "assessment-templates", TEMPLATE_COLUMNS, _templates()
    )


@login_required
def template_detail(request, pk):
    _require_practice(request)
    template = _template_or_404(pk)
    domains = list(template.domains.all())
    questions = list(
        TemplateQuestion.objects.filter(domain__template=template).order_by(
            "domain__order", "order", "pk"
        )
    )
    grouped = [(d, [q for q in questions if q.domain_id == d.pk]) for d in domains]
    context = {
        "template": template,
        "grouped": grouped,
        "question_count": len(questions),
        "editable": services.is_editable(template),
        "used": services.is_used(template),
        "versions": list(
            AssessmentTemplate.objects.filter(slug=template.slug).order_by("-version")
        ),
    }
    return render(request, "assessments/template_detail.html", context)


@login_required
def template_questions_export(request, pk):
    _require_practice(request)
    template = _template_or_404(pk)
    questions = (
        TemplateQuestion.objects.filter(domain__template=template)
        .select_related("domain")
        .order_by("domain__order", "order", "pk")
    )
    name = f"{template.slug}-v{template.version}-questions"
    return export_response(request.GET.get("format", "csv"), name, QUESTION_COLUMNS, questions)


@login_required
def template_yaml(request, pk):
    _require_practice(request)
    template = _template_or_404(pk)
    response = HttpResponse(
        services.export_yaml(template), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{template.slug}-v{template.version}.yaml"'
    )
    return response


@login_required
def template_import(request):
    _require_practice(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            template, created = services.import_yaml(
                form.cleaned_data["file"].read(), created_by=request.user
            )
        except TemplateProblem as exc:
            errors = exc.errors
        except services.AlreadyExists as exc:
            errors = [str(exc)]
        else:
            if created:
                messages.success(request, f"“{template}” imported.")
            else:
                messages.info(request, f"“{template}” was already here: nothing changed.")
            return redirect(detail_url(template.pk))
    status = 400 if request.method == "POST" and (errors or form.errors) else 200
    return render(
        request, "assessments/template_import.html", {"form": form, "errors": errors}, status=status
    )


@login_required
def template_copy(request, pk):
    _require_practice(request)
    template = _template_or_404(pk)
    form = CopyForm(request.POST or None, initial={"name": template.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        copy = services.copy_template(
            template, slug=data["slug"], name=data["name"], created_by=request.user
        )
        messages.success(request, f"Copied to “{copy}”: edit its questions below.")
        return redirect(detail_url(copy.pk))
    return _form_page(request, form, f"Copy “{template}”", detail_url(template.pk), "Copy")


def _form_page(request, form, heading: str, cancel_url: str, submit: str = "Save"):
    return render(
        request,
        "core/form.html",
        {"form": form, "heading": heading, "cancel_url": cancel_url, "submit_label": submit},
        status=400 if form.errors else 200,
    )


@login_required
def template_edit(request, pk):
    _require_practice(request)
    template = _template_or_404(pk)
    if refused := _locked(request, template):
        return refused
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"“{template}” saved.")
        return redirect(detail_url(template.pk))
    return _form_page(request, form, f"Edit “{template}”", detail_url(template.pk))


@login_required
def template_delete(request, pk):
    _require_practice(request)
    template = _template_or_404(pk)
    if refused := _locked(request, template):
        return refused
    if request.method == "POST":
        template.delete()
        messages.success(request, f"“{template}” deleted.")
        return redirect("assessment_templates:list")
    return render(
        request,
        "assessments/template_confirm_delete.html",
        {"object": template, "cancel_url": detail_url(template.pk)},
    )


# --- domains and questions of an editable version ------------------------------------------------


@login_required
def domain_edit(request, pk=None, template_pk=None):
    """Add a domain (``template_pk``) or edit one (``pk``)."""
    _require_practice(request)
    domain = TemplateDomain.objects.filter(pk=pk).first() if pk else None
    if pk and domain is None:
        raise Http404("No such domain")
    template = domain.template if domain else _template_or_404(template_pk)
    if refused := _locked(request, template):
        return refused
    initial = {} if domain else {"order": services.next_order(template.domains.all())}
    form = DomainForm(request.POST or None, instance=domain, initial=initial, template=template)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.template = template
        saved.save()
        messages.success(request, f"Domain “{saved.title}” saved.")
        return redirect(detail_url(template.pk))
    heading = f"Edit domain “{domain.title}”" if domain else f"Add a domain to “{template}”"
    return _form_page(request, form, heading, detail_url(template.pk))


@login_required
def domain_delete(request, pk):
    _require_practice(request)
    domain = TemplateDomain.objects.select_related("template").filter(pk=pk).first()
    if domain is None:
        raise Http404("No such domain")
    if refused := _locked(request, domain.template):
        return refused
    if request.method == "POST":
        domain.delete()
        messages.success(request, f"Domain “{domain.title}” and its questions deleted.")
        return redirect(detail_url(domain.template_id))
    return render(
        request,
        "assessments/template_confirm_delete.html",
        {"object": domain, "cancel_url": detail_url(domain.template_id)},
    )


@login_required
def question_edit(request, pk=None, template_pk=None):
    """Add a question (``template_pk``, optional ?domain=) or edit one (``pk``)."""
    _require_practice(request)
    question = (
        TemplateQuestion.objects.select_related("domain__template").filter(pk=pk).first()
        if pk
        else None
    )
    if pk and question is None:
        raise Http404("No such question")
    template = question.domain.template if question else _template_or_404(template_pk)
    if refused := _locked(request, template):
        return refused
    initial = {}
    if question is None:
        domain = template.domains.filter(pk=request.GET.get("domain") or 0).first()
        domain = domain or template.domains.first()
        initial = {"domain": domain, "weight": 3}
        if domain is not None:
            initial["order"] = services.next_order(domain.questions.all())
    form = QuestionForm(request.POST or None, instance=question, initial=initial, template=template)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Question “{saved.key}” saved.")
        return redirect(f"{detail_url(template.pk)}#question-{saved.pk}")
    heading = f"Edit question “{question.key}”" if question else f"Add a question to “{template}”"
    return _form_page(request, form, heading, detail_url(template.pk))


@login_required
def question_delete(request, pk):
    _require_practice(request)
    question = TemplateQuestion.objects.select_related("domain__template").filter(pk=pk).first()
    if question is None:
        raise Http404("No such question")
    template = question.domain.template
    if refused := _locked(request, template):
        return refused
    if request.method == "POST":
        question.delete()
        messages.success(request, f"Question “{question.key}” deleted.")
        return redirect(detail_url(template.pk))
    return render(
        request,
        "assessments/template_confirm_delete.html",
        {"object": question, "cancel_url": detail_url(template.pk)},
    )
