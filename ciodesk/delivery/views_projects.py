"""Projects: the list, one project's page, status updates, milestones and scope changes."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.delivery import services_projects as projects
from ciodesk.delivery.forms_projects import MilestoneForm, ProjectForm, ProjectUpdateForm
from ciodesk.delivery.models import Milestone, Project, ProjectUpdate
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404

COLUMNS = [
    Column("Project", lambda r: r.project.name),
    Column("Status", lambda r: r.project.get_status_display()),
    Column("Health", lambda r: r.health_label),
    Column("Stalled", lambda r: "yes" if r.stalled else "no"),
    Column("Latest update", lambda r: r.project.latest_update_on),
    Column("Next update due", lambda r: r.update_due_on),
    Column("Percent complete", lambda r: r.percent),
    Column("Owner", lambda r: r.project.owner.name),
    Column("Start", lambda r: r.project.start_on),
    Column("Target", lambda r: r.project.target_on),
    Column("Budget", lambda r: r.project.budget),
    Column("Currency", lambda r: r.project.currency),
    Column("Objective", lambda r: r.project.objective),
    Column("In scope", lambda r: r.project.scope_in),
    Column("Out of scope", lambda r: r.project.scope_out),
    Column("Roadmap item", lambda r: r.project.roadmap_item or ""),
]

# History and delete from the shared Crud; the other views are written below.
PROJECTS = Crud(
    model=Project,
    form_class=ProjectForm,
    kind="project",
    title="Projects",
    columns=COLUMNS,
    namespace="delivery",
)
STATUSES = [("open", "Active and on hold"), *Project.Status.choices, ("all", "All")]


def _redirect(request, name: str, pk: int | None = None):
    kwargs = {"client_slug": request.client.slug}
    if pk is not None:
        kwargs["pk"] = pk
    return redirect(f"delivery:{name}", **kwargs)


def _rows(request) -> tuple[list[projects.ProjectRow], str, str]:
    status = request.GET.get("status", "open")
    q = request.GET.get("q", "").strip()
    qs = Project.objects.all()
    if status == "open":
        qs = qs.filter(status__in=[Project.Status.ACTIVE, Project.Status.ON_HOLD])
    elif status in Project.Status.values:
        qs = qs.filter(status=status)
    else:
        status = "all"
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(objective__icontains=q))
    return projects.rows(qs, request.client.today()), status, q


@client_view(Level.READ)
def project_list(request, client_slug):
    rows, status, q = _rows(request)
    context = {
        "rows": rows,
        "status": status,
        "statuses": STATUSES,
        "q": q,
        "attention": sum(1 for r in rows if r.needs_attention),
        "can_write": request.access >= Level.PRACTICE,
    }
    template = "delivery/project_list.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ)
def project_export(request, client_slug):
    rows, _, _ = _rows(request)
    filename = f"{request.client.slug}-projects"
    return export_response(request.GET.get("format", "csv"), filename, COLUMNS, rows)


def _project(pk) -> Project:
    project = projects.with_facts(Project.objects.filter(pk=pk)).first()
    if project is None:
        raise Http404("No such project here")
    return project


def _detail_url(request, pk: int) -> str:
    return reverse("delivery:project-detail", kwargs={"client_slug": request.client.slug, "pk": pk})


@client_view(Level.READ, Project)
def project_detail(request, client_slug, pk):
    return _render_detail(request, pk)


def _render_detail(request, pk, update_form=None, milestone_form=None):
    """The project's page; with a form that failed validation, shown again with its errors."""
    project = _project(pk)
    today = request.client.today()
    can_write = request.access >= Level.PRACTICE
    context = {
        "project": project,
        "row": projects.ProjectRow(project, today),
        "today": today,
        "milestones": list(Milestone.objects.filter(project=project)),
        "updates": list(ProjectUpdate.objects.filter(project=project).select_related("author")),
        "scope_changes": list(project.scope_changes.select_related("author")),
        "vendors": list(project.vendors.all()),
        "actions": list(project.action_items.select_related("owner").order_by("status", "due_on")),
        "can_write": can_write,
        "update_form": update_form
        or (ProjectUpdateForm(initial={"on": today}) if can_write else None),
        "milestone_form": milestone_form or (MilestoneForm() if can_write else None),
        "health_badges": projects.HEALTH_BADGES,
    }
    status = 400 if (update_form or milestone_form) else 200
    return render(request, "delivery/project_detail.html", context, status=status)


def _edit(request, project: Project | None):
    form = ProjectForm(request.POST or None, instance=project)
    if project is None and request.method == "GET":
        form.initial.update(
            {"currency": request.client.currency, "start_on": request.client.today()}
        )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            change = (
                projects.describe_scope_change(form.initial, form.cleaned_data)
                if form.scope_changed
                else ""
            )
            saved = form.save(commit=False)
            saved.client = request.client
            saved.save()
            form.save_m2m()
            if change:
                projects.log_scope_change(
                    saved,
                    change,
                    form.cleaned_data["scope_change_reason"],
                    request.client.today(),
                    request.user,
                )
        messages.success(request, f"Project “{saved}” {'saved' if project else 'added'}.")
        return _redirect(request, "project-detail", saved.pk)
    context = {
        "form": form,
        "heading": f"Edit “{project}”" if project else "Add a project",
        "cancel_url": (
            PROJECTS.url(request.client, "list")
            if project is None
            else _detail_url(request, project.pk)
        ),
        "history_url": PROJECTS.url(request.client, "history", project.pk) if project else "",
    }
    return render(request, "core/form.html", context)


@client_view(Level.PRACTICE)
def project_create(request, client_slug):
    return _edit(request, None)


@client_view(Level.PRACTICE, Project)
def project_edit(request, client_slug, pk):
    return _edit(request, get_for_client_or_404(Project, pk=pk))


# --- status updates ---------------------------------------------------------------------------


@client_view(Level.PRACTICE, Project)
def project_update_create(request, client_slug, pk):
    project = get_for_client_or_404(Project, pk=pk)
    if request.method != "POST":
        return _redirect(request, "project-detail", project.pk)
    form = ProjectUpdateForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, update_form=form)
    projects.add_update(project, form.save(commit=False), request.user)
    messages.success(request, f"Status update of {form.instance.on:%Y-%m-%d} added.")
    return _redirect(request, "project-detail", project.pk)


@client_view(Level.PRACTICE, ProjectUpdate)
def project_update_delete(request, client_slug, pk):
    update = get_for_client_or_404(ProjectUpdate, pk=pk)
    if request.method == "POST":
        project_id = update.project_id
        projects.delete_update(update)
        messages.success(request, "Status update deleted.")
        return _redirect(request, "project-detail", project_id)
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": update,
            "cancel_url": _detail_url(request, update.project_id),
        },
    )


# --- milestones -------------------------------------------------------------------------------


@client_view(Level.PRACTICE, Project)
def milestone_create(request, client_slug, pk):
    project = get_for_client_or_404(Project, pk=pk)
    if request.method != "POST":
        return _redirect(request, "project-detail", project.pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, milestone_form=form)
    milestone = form.save(commit=False)
    milestone.project = project
    milestone.save()
    messages.success(request, f"Milestone “{milestone}” added.")
    return _redirect(request, "project-detail", project.pk)


@client_view(Level.PRACTICE, Milestone)
def milestone_edit(request, client_slug, pk):
    milestone = get_for_client_or_404(Milestone, pk=pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Milestone “{milestone}” saved.")
        return _redirect(request, "project-detail", milestone.project_id)
    cancel = _detail_url(request, milestone.project_id)
    return render(
        request,
        "core/form.html",
        {"form": form, "heading": f"Edit milestone “{milestone}”", "cancel_url": cancel},
    )


@client_view(Level.PRACTICE, Milestone)
def milestone_toggle(request, client_slug, pk):
    milestone = get_for_client_or_404(Milestone, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    projects.toggle_milestone(milestone, request.client.today())
    if request.htmx:
        context = {"m": milestone, "can_write": True, "today": request.client.today()}
        return render(request, "delivery/project_detail.html#milestone", context)
    return _redirect(request, "project-detail", milestone.project_id)


@client_view(Level.PRACTICE, Milestone)
def milestone_delete(request, client_slug, pk):
    milestone = get_for_client_or_404(Milestone, pk=pk)
    cancel = _detail_url(request, milestone.project_id)
    if request.method == "POST":
        milestone.delete()
        messages.success(request, f"Milestone “{milestone}” deleted.")
        return redirect(cancel)
    return render(request, "core/confirm_delete.html", {"object": milestone, "cancel_url": cancel})
