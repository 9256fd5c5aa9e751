"""Forms for the risk register: the practice's risk form and the executive's acceptance."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms

from ciodesk.core.scope import require_client
from ciodesk.security.models import ClientControl, Risk
from ciodesk.security.services_risks import IMPACT_LABELS, LIKELIHOOD_LABELS
from ciodesk.tenancy.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_REVIEW_DAYS = 90


def _choices(labels: dict[int, str], blank: bool = False) -> list[tuple[str, str]]:
    choices = [(str(n), f"{n} — {label}") for n, label in labels.items()]
    return [("", "Not rated yet"), *choices] if blank else choices


class RiskForm(forms.ModelForm):
    """Everything about a risk except its acceptance, which only a client executive records
    (on the risk's page): the practice cannot choose "accept" here."""

    likelihood = forms.TypedChoiceField(
        choices=_choices(LIKELIHOOD_LABELS), coerce=int, help_text="How likely in the next year."
    )
    impact = forms.TypedChoiceField(
        choices=_choices(IMPACT_LABELS), coerce=int, help_text="How bad if it happens."
    )
    residual_likelihood = forms.TypedChoiceField(
        choices=_choices(LIKELIHOOD_LABELS, blank=True),
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Likelihood once the planned actions are done.",
    )
    residual_impact = forms.TypedChoiceField(
        choices=_choices(IMPACT_LABELS, blank=True),
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Impact once the planned actions are done.",
    )

    class Meta:
        model = Risk
        fields = [
            "title",
            "description",
            "category",
            "owner",
            "likelihood",
            "impact",
            "treatment",
            "planned_actions",
            "cost_estimate",
            "currency",
            "controls",
            "residual_likelihood",
            "residual_impact",
            "next_review_on",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "planned_actions": forms.Textarea(attrs={"rows": 4}),
            "next_review_on": DATE,
            "controls": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "title": "e.g. “Ransomware encrypts the file server”.",
            "description": "What could happen and what it would cost the business, in plain words.",
            "category": "e.g. Cyber, Supplier, People, Compliance.",
            "treatment": "Accepting a risk is the client executive's decision, recorded on the "
            "risk's page.",
            "cost_estimate": "What the planned actions cost, in the currency beside it.",
            "controls": "The controls that reduce this risk; their real state shows on the risk.",
            "next_review_on": "The register flags the risk from the day after this date.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        client = require_client()
        self.fields["owner"].queryset = Person.objects.all()
        self.fields["controls"].queryset = ClientControl.objects.select_related("definition")
        self.fields["controls"].required = False
        accepted = self.instance.pk and self.instance.treatment == Risk.Treatment.ACCEPT
        if not accepted:
            self.fields["treatment"].choices = [
                c for c in Risk.Treatment.choices if c[0] != Risk.Treatment.ACCEPT
            ]
        if not self.instance.pk:
            self.fields["currency"].initial = client.currency
            self.fields["next_review_on"].initial = client.today() + datetime.timedelta(
                days=DEFAULT_REVIEW_DAYS
            )

    def clean(self):
        data = super().clean()
        pair = (data.get("residual_likelihood"), data.get("residual_impact"))
        if (pair[0] is None) != (pair[1] is None):
            missing = "residual_impact" if pair[1] is None else "residual_likelihood"
            self.add_error(missing, "Rate both residual likelihood and impact, or neither.")
        cost = data.get("cost_estimate")
        if cost is not None and cost < 0:
            self.add_error("cost_estimate", "A cost cannot be negative.")
        if data.get("cost_estimate") is None:
            data["cost_estimate"] = Decimal("0.00")
        return data


class AcceptanceForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the business accepts this risk rather than reducing it — e.g. the cost "
        "outweighs the harm, or a change is planned next year.",
        error_messages={
            "required": "Say why the risk is accepted: the insurer and the auditor will ask."
        },
    )
    review_by = forms.DateField(
        required=False,
        widget=DATE,
        label="Review by",
        help_text="When to look at this decision again; becomes the risk's next review date.",
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the risk is accepted.")
        return reason

    def clean_review_by(self):
        value = self.cleaned_data.get("review_by")
        if value is not None and value <= self.today:
            raise forms.ValidationError("Choose a date after today.")
        return value
