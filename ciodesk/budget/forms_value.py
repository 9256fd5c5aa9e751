"""Forms of spend vs value and the forecast: a vendor's value rating, the forecast settings."""

from __future__ import annotations

from django import forms

from ciodesk.budget.models import ForecastSettings, VendorValue
from ciodesk.core.scope import active_client
from ciodesk.tenancy.models import Person
from ciodesk.vendors.models import Vendor

RATINGS = [
    (1, "1 — poor: we would not miss it"),
    (2, "2 — below what it costs"),
    (3, "3 — fair for the money"),
    (4, "4 — good value"),
    (5, "5 — excellent: essential and well priced"),
]


class VendorValueForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label="Value for money", choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )

    class Meta:
        model = VendorValue
        fields = ["vendor", "rating", "comment", "owner", "rated_on"]
        labels = {"owner": "Rated by (the owner)", "rated_on": "Rated on"}
        help_texts = {
            "comment": "Why: what it delivers for what it costs, in a sentence or two.",
            "owner": "The person accountable for this vendor relationship.",
        }
        widgets = {
            "comment": forms.Textarea(attrs={"rows": 3}),
            "rated_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.all()
        self.fields["owner"].queryset = Person.objects.all()
        client = active_client()
        if client is not None and not self.is_bound and self.instance.pk is None:
            self.fields["rated_on"].initial = client.today()


class ForecastSettingsForm(forms.ModelForm):
    class Meta:
        model = ForecastSettings
        fields = ["years", "escalator_pct"]
        labels = {"years": "Fiscal years forecast", "escalator_pct": "Yearly escalator (%)"}
        help_texts = {
            "years": "From the current fiscal year; 1 to 10.",
            "escalator_pct": "How much prices rise each year: applied to contracts at their "
            "renewals and to licences each fiscal year.",
        }
