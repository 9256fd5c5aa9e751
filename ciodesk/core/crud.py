"""List, export, create, edit, delete and history views for a client-owned model.

One ``Crud`` per model keeps those six views alike across apps; a view that needs more
than this is written by hand next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404


@dataclass
class Crud:
    model: type[models.Model]
    form_class: type[forms.ModelForm]
    kind: str  # URL segment and name prefix: "systems" → /c/<slug>/systems/, "systems-list"
    title: str
    columns: Sequence[Column]
    search_fields: Sequence[str] = ()
    write_level: Level = Level.PRACTICE
    delete_level: Level = Level.PRACTICE
    empty_text: str = ""
    list_template: str = "core/list.html"
    intro: str = ""
    queryset: Callable[[], models.QuerySet] | None = None
    namespace: str = field(default="tenancy")

    # --- helpers -------------------------------------------------------------------------
    def url(self, client, action: str, pk: int | None = None) -> str:
        kwargs = {"client_slug": client.slug}
        if pk is not None:
            kwargs["pk"] = pk
        return reverse(f"{self.namespace}:{self.kind}-{action}", kwargs=kwargs)

    def objects(self) -> models.QuerySet:
        qs = self.queryset() if self.queryset else self.model.objects.all()
        if issubclass(self.model, models.Model) and self.model._meta.get_field("client").null:
            qs = qs.filter(client__isnull=False)  # a client's list shows its own rows only
        return qs

    def search(self, qs: models.QuerySet, q: str) -> models.QuerySet:
        if not q or not self.search_fields:
            return qs
        condition = Q()
        for name in self.search_fields:
            condition |= Q(**{f"{name}__icontains": q})
        return qs.filter(condition)

    # --- views ---------------------------------------------------------------------------
    def list_view(self, request, client_slug):
        q = request.GET.get("q", "").strip()
        objects = list(self.search(self.objects(), q))
        context = {
            "crud": self,
            "objects": objects,
            "rows": [(obj, [c.value(obj) for c in self.columns]) for obj in objects],
            "q": q,
            "can_write": request.access >= self.write_level,
            "can_delete": request.access >= self.delete_level,
            "create_url": self.url(request.client, "create"),
            "export_url": self.url(request.client, "export"),
        }
        template = self.list_template + ("#rows" if request.htmx else "")
        return render(request, template, context)

    def export_view(self, request, client_slug):
        fmt = request.GET.get("format", "csv")
        q = request.GET.get("q", "").strip()
        filename = f"{request.client.slug}-{self.kind}"
        return export_response(fmt, filename, self.columns, self.search(self.objects(), q))

    def _form(self, request, instance=None):
        data = request.POST if request.method == "POST" else None
        return self.form_class(data, request.FILES or None, instance=instance)

    def _save(self, request, form, verb: str):
        with transaction.atomic():
            obj = form.save(commit=False)
            obj.client = request.client
            obj.save()
            form.save_m2m()
        messages.success(request, f"{self.model._meta.verbose_name.capitalize()} “{obj}” {verb}.")
        return redirect(self.url(request.client, "list"))

    def create_view(self, request, client_slug):
        form = self._form(request)
        if request.method == "POST" and form.is_valid():
            return self._save(request, form, "added")
        return render(
            request,
            "core/form.html",
            {
                "crud": self,
                "form": form,
                "heading": f"Add {self.model._meta.verbose_name}",
                "cancel_url": self.url(request.client, "list"),
            },
        )

    def _get(self, pk):
        obj = get_for_client_or_404(self.model, pk=pk)
        if getattr(obj, "client_id", True) is None:
            raise Http404("Not a client record")
        return obj

    def edit_view(self, request, client_slug, pk):
        obj = self._get(pk)
        form = self._form(request, instance=obj)
        if request.method == "POST" and form.is_valid():
            return self._save(request, form, "saved")
        return render(
            request,
            "core/form.html",
            {
                "crud": self,
                "form": form,
                "object": obj,
                "heading": f"Edit {obj}",
                "cancel_url": self.url(request.client, "list"),
                "history_url": self.url(request.client, "history", obj.pk),
            },
        )

    def delete_view(self, request, client_slug, pk):
        obj = self._get(pk)
        if request.method == "POST":
            try:
                with transaction.atomic():
                    obj.delete()
            except ProtectedError as exc:
                used_by = ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])
                messages.error(
                    request, f"“{obj}” is still in use ({used_by}). Reassign those first."
                )
                return redirect(self.url(request.client, "list"))
            messages.success(
                request, f"{self.model._meta.verbose_name.capitalize()} “{obj}” deleted."
            )
            return redirect(self.url(request.client, "list"))
        return render(
            request,
            "core/confirm_delete.html",
            {"crud": self, "object": obj, "cancel_url": self.url(request.client, "list")},
        )

    def history_view(self, request, client_slug, pk):
        from ciodesk.audit.models import ChangeRecord

        records = list(
            ChangeRecord.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model), object_id=str(pk)
            ).select_related("actor")
        )
        obj = self.model.objects.filter(pk=pk).first()
        if obj is None and not records:
            raise Http404("No such record")
        if obj is not None and getattr(obj, "client_id", True) is None:
            raise Http404("Not a client record")
        return render(
            request,
            "audit/history.html",
            {
                "crud": self,
                "object": obj,
                "records": records,
                "title": str(obj) if obj else records[0].object_repr,
                "back_url": self.url(request.client, "list"),
            },
        )

    ACTIONS = ("list", "export", "create", "edit", "delete", "history")

    def urls(self, segment: str | None = None, actions: Sequence[str] = ACTIONS) -> list:
        """URL patterns named ``<kind>-<action>``, under ``segment/`` (the kind by default;
        "" for the namespace's root), each marked with the level it needs."""
        seg = self.kind if segment is None else segment
        prefix = f"{seg}/" if seg else ""
        m = self.model
        routes = {
            "list": ("", self.list_view, Level.READ, None),
            "export": ("export/", self.export_view, Level.READ, None),
            "create": ("new/", self.create_view, self.write_level, None),
            "edit": ("<int:pk>/edit/", self.edit_view, self.write_level, m),
            "delete": ("<int:pk>/delete/", self.delete_view, self.delete_level, m),
            "history": ("<int:pk>/history/", self.history_view, Level.READ, m),
        }
        return [
            path(
                prefix + routes[action][0],
                client_view(routes[action][2], routes[action][3])(routes[action][1]),
                name=f"{self.kind}-{action}",
            )
            for action in actions
        ]
