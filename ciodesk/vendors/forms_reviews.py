"""Forms for quarterly reviews, the escalation log and vendor evaluations."""

from __future__ import annotations

from django import forms

from ciodesk.core.scope import require_client
from ciodesk.tenancy.models import Person
from ciodesk.vendors.models import (
    Candidate,
    Escalation,
    Evaluation,
    EvaluationCriterion,
    TransitionTask,
    Vendor,
    VendorReview,
)
from ciodesk.vendors.services_reviews import (
    MAX_SCORE,
    RATINGS,
    Matrix,
    last_full_quarter,
    parse_ticket_numbers,
    recent_quarters,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATING_HELP = {
    "responsiveness": "How fast they pick up and fix things.",
    "communication": "Updates without chasing; plain language.",
    "proactivity": "Do they bring problems and ideas before we ask?",
    "value": "What we get for what we pay.",
}


def rating_field(name: str) -> forms.IntegerField:
    message = f"Rate {name} from 1 (poor) to 5 (excellent)."
    return forms.IntegerField(
        label=name.capitalize(),
        min_value=1,
        max_value=5,
        help_text=f"1–5. {RATING_HELP[name]}",
        error_messages=dict.fromkeys(("required", "min_value", "max_value", "invalid"), message),
        widget=forms.NumberInput(attrs={"min": 1, "max": 5, "step": 1}),
    )


class _ScopedChoices:
    """Form choices are built per request: the active client's people and vendors only."""

    def _scope_choices(self) -> None:
        for name in ("owner",):
            if name in self.fields:
                self.fields[name].queryset = Person.objects.all()
        for name in ("vendor", "incumbent"):
            if name in self.fields:
                self.fields[name].queryset = Vendor.objects.all()


class ReviewForm(_ScopedChoices, forms.ModelForm):
    """Ratings, comments, owner and date. The quarter and scorecard are fixed once saved."""

    responsiveness = rating_field("responsiveness")
    communication = rating_field("communication")
    proactivity = rating_field("proactivity")
    value = rating_field("value")

    class Meta:
        model = VendorReview
        fields = [*RATINGS, "comments", "owner", "reviewed_on"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 5}), "reviewed_on": DATE}
        help_texts = {
            "comments": "What went well, what did not, what we asked them to change.",
            "owner": "Who ran the review.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_choices()


class ReviewCreateForm(ReviewForm):
    quarter = forms.ChoiceField(
        help_text="The calendar quarter reviewed; its SLA scorecard is frozen into the review."
    )

    field_order = ["quarter", *RATINGS, "comments", "owner", "reviewed_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = require_client().today()
        self.fields["quarter"].choices = [(q, q) for q in recent_quarters(today)]
        self.fields["quarter"].initial = last_full_quarter(today)
        self.fields["reviewed_on"].initial = today


class EscalationForm(_ScopedChoices, forms.ModelForm):
    class Meta:
        model = Escalation
        fields = [
            "vendor",
            "issue",
            "severity",
            "raised_on",
            "vendor_contact",
            "due",
            "owner",
            "ticket_numbers",
            "resolution",
            "resolved_on",
        ]
        widgets = {
            "raised_on": DATE,
            "due": DATE,
            "resolved_on": DATE,
            "resolution": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "vendor_contact": "Whom at the vendor we escalated to.",
            "due": "When the vendor promised a fix.",
            "resolved_on": "Leave empty while the escalation is open.",
            "ticket_numbers": "The vendor's ticket numbers, e.g. 1041, 1057.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_choices()
        if not self.instance.pk:
            self.fields["raised_on"].initial = require_client().today()

    def clean_ticket_numbers(self) -> str:
        return ", ".join(parse_ticket_numbers(self.cleaned_data.get("ticket_numbers", "")))

    def clean(self):
        data = super().clean()
        raised, due, resolved = data.get("raised_on"), data.get("due"), data.get("resolved_on")
        if raised and due and due < raised:
            self.add_error("due", "The due date cannot be before the day it was raised.")
        if raised and resolved and resolved < raised:
            self.add_error("resolved_on", "It cannot be resolved before it was raised.")
        if resolved and not (data.get("resolution") or "").strip():
            self.add_error("resolution", "Say how it was resolved before closing it.")
        return data


class EvaluationForm(_ScopedChoices, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["title", "incumbent", "status", "owner", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": "e.g. “MSP renegotiation 2027” or “Phone system replacement”.",
            "incumbent": "The vendor being renegotiated or replaced, if any.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_choices()


class CriterionForm(forms.ModelForm):
    class Meta:
        model = EvaluationCriterion
        fields = ["name", "weight"]
        help_texts = {
            "name": "e.g. Security practices, Response times, Price, References.",
            "weight": "How much it counts relative to the others (0–100; 1–5 is usual).",
        }


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["name", "annual_cost", "currency", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"annual_cost": "Their quoted cost per year, in the currency beside it."}


class TransitionTaskForm(_ScopedChoices, forms.ModelForm):
    class Meta:
        model = TransitionTask
        fields = ["title", "owner", "due", "done"]
        widgets = {"due": DATE}
        help_texts = {"title": "e.g. Collect admin credentials, Transfer domain registrar."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_choices()


def score_field_name(candidate_id: int, criterion_id: int) -> str:
    return f"score_{candidate_id}_{criterion_id}"


class ScoreMatrixForm(forms.Form):
    """Every candidate × criterion score in one form; an empty cell means "not scored yet"."""

    def __init__(self, matrix: Matrix, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        message = f"Scores run from 0 to {MAX_SCORE}."
        for result in matrix.results:
            for criterion, score in zip(matrix.criteria, result.scores, strict=True):
                name = score_field_name(result.candidate.pk, criterion.pk)
                self.fields[name] = forms.IntegerField(
                    label=f"{result.candidate.name}: {criterion.name}",
                    required=False,
                    min_value=0,
                    max_value=MAX_SCORE,
                    initial=score,
                    error_messages={"min_value": message, "max_value": message},
                    widget=forms.NumberInput(attrs={"min": 0, "max": MAX_SCORE, "step": 1}),
                )

    def grid(self) -> list[tuple[EvaluationCriterion, list[forms.BoundField]]]:
        """Rows of bound fields (one per criterion, a cell per candidate) for the template."""
        return [
            (
                criterion,
                [self[score_field_name(r.candidate.pk, criterion.pk)] for r in self.matrix.results],
            )
            for criterion in self.matrix.criteria
        ]

    def values(self) -> dict[tuple[int, int], int | None]:
        return {
            (r.candidate.pk, c.pk): self.cleaned_data.get(score_field_name(r.candidate.pk, c.pk))
            for r in self.matrix.results
            for c in self.matrix.criteria
        }
