"""Forms of the roadmap: an item, a goal, the priority weights, a review, a move."""

from __future__ import annotations

from django import forms

from ciodesk.reports.periods import PeriodError
from ciodesk.roadmap.models import Goal, PriorityWeights, RoadmapItem, RoadmapReview
from ciodesk.roadmap.planning import parse_slot, plan_choices, slot_label
from ciodesk.tenancy.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _slot_choices(client, current: tuple[int | None, int | None]) -> list[tuple[str, str]]:
    choices = plan_choices(client)
    fy, q = current
    if fy and q and f"{fy}Q{q}" not in dict(choices):
        choices.append((f"{fy}Q{q}", slot_label(fy, q)))
    return choices


class ItemForm(forms.ModelForm):
    plan = forms.ChoiceField(
        label="Target quarter",
        required=False,
        help_text="In the client's fiscal year (named by the calendar year in which it ends).",
    )

    class Meta:
        model = RoadmapItem
        fields = [
            "title",
            "why",
            "goals",
            "disposition",
            "status",
            "owner",
            "one_time_cost",
            "recurring_cost",
            "currency",
            "effort",
            "risk_reduced",
            "business_value",
            "manual_rank",
            "findings",
            "risks",
        ]
        widgets = {"why": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "recurring_cost": "Recurring cost (per year)",
            "risk_reduced": "Risk reduced (1–5)",
            "business_value": "Business value (1–5)",
            "findings": "Linked findings",
            "risks": "Linked risks",
        }
        help_texts = {
            "title": "What will be done, e.g. “Replace the end-of-support firewall”.",
            "goals": "The business goals this item serves.",
        }

    field_order = ["title", "why", "goals", "disposition", "status", "owner", "plan"]

    def __init__(self, *args, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        item = self.instance
        self.fields["plan"].choices = _slot_choices(client, (item.fiscal_year, item.quarter))
        if item.fiscal_year and item.quarter:
            self.initial.setdefault("plan", f"{item.fiscal_year}Q{item.quarter}")
        if item.pk is None and client is not None:
            self.initial.setdefault("currency", client.currency)
        # The scoped managers: this client's rows (and the practice's people), nobody else's.
        self.fields["owner"].queryset = Person.objects.all()
        for name in ("goals", "findings", "risks"):
            field = self.fields[name]
            field.queryset = field.queryset.model.objects.all()
            field.widget.attrs["size"] = 4

    def clean_plan(self):
        try:
            return parse_slot(self.cleaned_data.get("plan", ""), self.client)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def save(self, commit: bool = True):
        self.instance.fiscal_year, self.instance.quarter = self.cleaned_data["plan"]
        return super().save(commit)


class MoveForm(forms.Form):
    to = forms.CharField(required=False, max_length=12)

    def __init__(self, *args, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_to(self):
        text = self.cleaned_data.get("to", "")
        valid = dict(plan_choices(self.client))
        if text not in valid:
            raise forms.ValidationError("Choose one of the board's quarters or unscheduled.")
        try:
            return parse_slot(text, self.client)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["text", "detail", "owner", "target", "order"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": "Goal", "target": "By when"}
        help_texts = {"text": "In the client's own words, e.g. “Open a second office in Q3”."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()


class WeightsForm(forms.ModelForm):
    class Meta:
        model = PriorityWeights
        fields = ["risk_weight", "value_weight", "cost_unit"]
        labels = {"cost_unit": "Cost unit"}
        help_texts = {
            "risk_weight": "How much reducing risk counts (1 = as much as business value).",
            "value_weight": "How much business value counts.",
            "cost_unit": "Cost is counted in units of this amount (one-time plus a year of "
            "recurring cost), never less than one unit.",
        }


class ReviewForm(forms.ModelForm):
    class Meta:
        model = RoadmapReview
        fields = ["reviewed_on", "owner", "note"]
        widgets = {"reviewed_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {"reviewed_on": "Reviewed on"}
        help_texts = {
            "reviewed_on": "“What changed since the last review” compares with the roadmap "
            "as it stood at the end of this day."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()
