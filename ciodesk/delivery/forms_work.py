"""Forms of action items and time entries."""

from __future__ import annotations

from django import forms

from ciodesk.delivery.models import ActionItem, Project, TimeEntry
from ciodesk.tenancy.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_on", "status", "done_on", "project", "notes"]
        widgets = {"due_on": DATE, "done_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"title": "Action", "due_on": "Due", "done_on": "Done on"}
        help_texts = {"done_on": "Filled in for you when the item is marked done."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()
        self.fields["project"].queryset = Project.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("status") == ActionItem.Status.OPEN:
            data["done_on"] = None
        return data


class TimeEntryForm(forms.ModelForm):
    hours = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=24,
        decimal_places=2,
        label="or hours",
        help_text="Either minutes or hours, e.g. 1.5.",
    )

    class Meta:
        model = TimeEntry
        fields = ["on", "minutes", "hours", "category", "note"]
        widgets = {"on": DATE}
        labels = {"on": "Date"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].required = False
        self.order_fields(["on", "minutes", "hours", "category", "note"])

    def clean(self):
        data = super().clean()
        minutes, hours = data.get("minutes"), data.get("hours")
        if not minutes and hours:
            data["minutes"] = int((hours * 60).to_integral_value())
            self.instance.minutes = data["minutes"]
        if not data.get("minutes"):
            self.add_error("minutes", "Enter the time spent, in minutes or hours.")
        elif data["minutes"] > 1440:
            self.add_error("minutes", "At most 24 hours in one entry.")
        return data
