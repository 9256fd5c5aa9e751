"""Reference frameworks (practice-wide, outside /c/): the list, one framework's items as a
tree with their official text, and importing an OSCAL catalog.

Only the practice's own people see these pages: the texts are the practice's reference
library, not any client's data, and importing changes what every client's pages show.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render

from ciodesk.core.exports import Column, export_response
from ciodesk.security.models import Framework, FrameworkItem
from ciodesk.security.oscal.catalog_import import count_kinds, ensure_csf, import_catalog
from ciodesk.security.oscal.catalog_parse import CatalogProblem
from ciodesk.security.oscal.forms import CatalogUploadForm
from ciodesk.tenancy.views import _require_practice

FRAMEWORK_COLUMNS = [
    Column("Framework", lambda f: f.name, link=True),
    Column("Version", lambda f: f.version),
    Column("Active items", lambda f: f.active),
    Column("Withdrawn items", lambda f: f.withdrawn_count),
    Column("Imported", lambda f: f.imported_at),
    Column("Source", lambda f: f.source),
    Column("Licence", lambda f: f.licence),
]
ITEM_COLUMNS = [
    Column("ID", lambda i: i.item_id),
    Column("Kind", lambda i: i.kind),
    Column("Parent", lambda i: i.parent.item_id if i.parent else ""),
    Column("Title", lambda i: i.title),
    Column("Official text", lambda i: i.text),
    Column("Withdrawn", lambda i: i.withdrawn),
]


def _frameworks():
    return Framework.objects.annotate(
        active=Count("items", filter=Q(items__withdrawn=False)),
        withdrawn_count=Count("items", filter=Q(items__withdrawn=True)),
    ).order_by("name", "pk")


def _framework_or_404(slug: str) -> Framework:
    framework = Framework.objects.filter(slug=slug).first()
    if framework is None:
        raise Http404("No such framework")
    return framework


@login_required
def framework_list(request):
    _require_practice(request)
    ensure_csf()  # ciodesk ships the CSF 2.0 catalog: the list never starts empty
    return render(request, "security/frameworks_list.html", {"frameworks": list(_frameworks())})


@login_required
def framework_export(request):
    _require_practice(request)
    return export_response(
        request.GET.get("format", "csv"), "frameworks", FRAMEWORK_COLUMNS, _frameworks()
    )


@login_required
def framework_import(request):
    _require_practice(request)
    form = CatalogUploadForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["catalog"]
        try:
            result = import_catalog(upload, upload.name)
        except CatalogProblem as exc:
            error = f"{upload.name}: nothing imported: {exc}"
        else:
            messages.success(request, f"{result.headline}. {'; '.join(result.kind_lines())}.")
            return redirect("frameworks:detail", slug=result.framework.slug)
    return render(request, "security/frameworks_import.html", {"form": form, "error": error})


def _tree(items: list[FrameworkItem]) -> list[dict]:
    """Items nested under their parents (children in catalog order), from one query's rows."""
    nodes = {item.pk: {"item": item, "children": []} for item in items}
    roots = []
    for item in items:
        parent = nodes.get(item.parent_id)
        (parent["children"] if parent else roots).append(nodes[item.pk])
    return roots


@login_required
def framework_detail(request, slug):
    _require_practice(request)
    framework = _framework_or_404(slug)
    items = list(FrameworkItem.objects.filter(framework=framework).order_by("order", "pk"))
    show_withdrawn = request.GET.get("withdrawn") == "1"
    shown = items if show_withdrawn else [i for i in items if not i.withdrawn]
    context = {
        "framework": framework,
        "tree": _tree(shown),
        "counts": count_kinds(items),
        "show_withdrawn": show_withdrawn,
        "withdrawn_total": sum(1 for i in items if i.withdrawn),
    }
    return render(request, "security/frameworks_detail.html", context)


@login_required
def framework_items_export(request, slug):
    _require_practice(request)
    framework = _framework_or_404(slug)
    items = FrameworkItem.objects.filter(framework=framework).select_related("parent")
    return export_response(
        request.GET.get("format", "csv"), framework.slug[:31], ITEM_COLUMNS, items.order_by("order")
    )
