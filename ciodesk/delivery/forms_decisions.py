"""Forms of a decision request, its options, and the executive's decision."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory

from ciodesk.delivery.models import Decision, DecisionOption
from ciodesk.delivery.services_decisions import executives
from ciodesk.tenancy.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = [
            "question",
            "context",
            "recommendation",
            "recommendation_why",
            "deadline",
            "decider",
            "owner",
            "contracts",
            "risks",
            "roadmap_items",
        ]
        widgets = {
            "context": forms.Textarea(attrs={"rows": 4}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
            "recommendation_why": forms.Textarea(attrs={"rows": 3}),
            "deadline": DATE,
        }
        labels = {
            "question": "The decision needed",
            "recommendation_why": "Why we recommend it",
            "decider": "Executive who decides",
            "owner": "Owner",
            "roadmap_items": "Roadmap items",
        }
        help_texts = {
            "question": "One question the executive can answer, e.g. “Replace the firewall "
            "this quarter?”",
            "context": "Where things stand and what happens if nothing is decided.",
            "decider": "Only the client's executives can be asked. They get an e-mail with a "
            "link to this request.",
            "contracts": "Contracts this decision affects.",
            "risks": "Risks this decision treats.",
        }

    def __init__(self, *args, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decider"].queryset = executives(client)
        self.fields["decider"].empty_label = "Choose an executive…"
        # Person.objects is scoped: this client's people and the practice's, nobody else's.
        self.fields["owner"].queryset = Person.objects.all()
        for name in ("contracts", "risks", "roadmap_items"):
            field = self.fields[name]
            field.queryset = field.queryset.model.objects.all()
            field.widget.attrs["size"] = 4


class DecisionOptionForm(forms.ModelForm):
    class Meta:
        model = DecisionOption
        fields = ["title", "cost", "currency", "risk", "pros", "cons"]
        widgets = {
            "risk": forms.Textarea(attrs={"rows": 2}),
            "pros": forms.Textarea(attrs={"rows": 2}),
            "cons": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"title": "Option", "cost": "Cost (one-time or first year)"}

    def __init__(self, *args, currency: str = "USD", **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.initial.setdefault("currency", currency)


def option_formset(extra: int):
    return inlineformset_factory(
        Decision,
        DecisionOption,
        form=DecisionOptionForm,
        extra=extra,
        can_delete=True,
    )


class DecideForm(forms.Form):
    OUTCOMES = [
        ("approve", "Approve"),
        ("reject", "Reject"),
        ("defer", "Defer — decide later"),
    ]
    outcome = forms.ChoiceField(choices=OUTCOMES, widget=forms.RadioSelect, label="Decision")
    option = forms.ModelChoiceField(
        queryset=DecisionOption.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        label="The option you approve",
        empty_label=None,
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Your reason",
        help_text="Kept in the decision log with your name and the time.",
    )

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(decision.options.all())
        if self.options:
            self.fields["option"].queryset = decision.options.all()
        else:
            del self.fields["option"]

    def clean(self):
        data = super().clean()
        if self.options and data.get("outcome") == "approve" and not data.get("option"):
            self.add_error("option", "Choose the option you approve.")
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why it is withdrawn",
        help_text="Kept in the decision log.",
    )
