"""Forms of projects, their milestones and their dated status updates."""

from __future__ import annotations

from django import forms

from ciodesk.delivery.models import Milestone, Project, ProjectUpdate
from ciodesk.delivery.services_projects import SCOPE_FIELDS
from ciodesk.tenancy.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


class ProjectForm(forms.ModelForm):
    """A project; changing its scope on an existing project asks for the reason."""

    scope_change_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for the scope change",
        help_text="Needed when you change what is in or out of scope; kept in the scope log.",
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "objective",
            "scope_in",
            "scope_out",
            "owner",
            "vendors",
            "budget",
            "currency",
            "start_on",
            "target_on",
            "update_cadence_days",
            "status",
            "roadmap_item",
        ]
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 3}),
            "scope_in": forms.Textarea(attrs={"rows": 3}),
            "scope_out": forms.Textarea(attrs={"rows": 3}),
            "start_on": DATE,
            "target_on": DATE,
        }
        labels = {
            "start_on": "Start date",
            "target_on": "Target date",
            "update_cadence_days": "Status update every (days)",
            "roadmap_item": "Roadmap item",
        }
        help_texts = {
            "objective": "The outcome the business gets, in its own words.",
            "update_cadence_days": "The project counts as stalled when its latest update is "
            "older than this.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()
        for name in ("vendors", "roadmap_item"):
            field = self.fields[name]
            field.queryset = field.queryset.model.objects.all()
        self.fields["vendors"].widget.attrs["size"] = 4
        if self.instance.pk is None:
            del self.fields["scope_change_reason"]

    @property
    def scope_changed(self) -> bool:
        """Compared on the text itself: browsers send CRLF line ends, the database has LF."""
        if self.instance.pk is None:
            return False
        data = getattr(self, "cleaned_data", {})
        return any(_text(data.get(name)) != _text(self.initial.get(name)) for name in SCOPE_FIELDS)

    def clean_scope_in(self) -> str:
        return _text(self.cleaned_data.get("scope_in"))

    def clean_scope_out(self) -> str:
        return _text(self.cleaned_data.get("scope_out"))

    def clean(self):
        data = super().clean()
        if self.scope_changed and not (data.get("scope_change_reason") or "").strip():
            self.add_error("scope_change_reason", "Say why the scope changes.")
        start, target = data.get("start_on"), data.get("target_on")
        if start and target and target < start:
            self.add_error("target_on", "The target date comes after the start date.")
        return data


class ProjectUpdateForm(forms.ModelForm):
    class Meta:
        model = ProjectUpdate
        fields = ["on", "health", "text", "next_steps"]
        widgets = {
            "on": DATE,
            "health": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"on": "Date", "health": "Status", "text": "Where it stands"}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]
        widgets = {"due_on": DATE, "done_on": DATE}
        labels = {"due_on": "Due", "done_on": "Done on"}
        help_texts = {"done_on": "Empty while the milestone is open."}
