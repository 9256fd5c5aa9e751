"""Forms of the spend and budget pages: rules, categories, budget lines, explanations,
classifying a line, the import upload and its column mapping."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms

from ciodesk.budget.importers.ledger import FIELDS
from ciodesk.budget.models import (
    Budget,
    BudgetLine,
    Category,
    MatchRule,
    VarianceNote,
)
from ciodesk.budget.services_matching import compile_pattern
from ciodesk.core.scope import active_client
from ciodesk.tenancy.models import Person
from ciodesk.vendors.models import Vendor

MONTH_CHOICES = [
    ("", "— the whole year —"),
    *[
        (str(i), name)
        for i, name in enumerate(
            [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            start=1,
        )
    ],
]
DATE_ORDERS = [
    ("", "recognise it from the file (else month first for US dollars)"),
    ("mdy", "month first, as in the US (03/04/2026 = 4 March)"),
    ("dmy", "day first (03/04/2026 = 3 April)"),
]
FORMAT_CHOICES = [
    ("auto", "Recognise it (QuickBooks Online or Xero)"),
    ("qbo", "QuickBooks Online: Transaction Detail by Account or General Ledger"),
    ("xero", "Xero: Account Transactions"),
    ("generic", "Another layout: map the columns myself"),
]


class RuleForm(forms.ModelForm):
    class Meta:
        model = MatchRule
        fields = ["field", "match_type", "pattern", "vendor", "category", "priority", "owner"]
        labels = {"field": "Look at the line's", "match_type": "Rule", "pattern": "Text"}
        help_texts = {
            "vendor": "Lines that match are paid to this vendor.",
            "category": "Lines that match count in this IT category.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.all()
        self.fields["category"].queryset = Category.objects.all()
        self.fields["owner"].queryset = Person.objects.all()

    def clean(self):
        data = super().clean()
        if not data.get("vendor") and not data.get("category"):
            raise forms.ValidationError("Choose a vendor, a category or both.")
        pattern = (data.get("pattern") or "").strip()
        if not pattern:
            self.add_error("pattern", "Enter the text to look for.")
        elif data.get("match_type") == MatchRule.MatchType.REGEX:
            try:
                compile_pattern(MatchRule.MatchType.REGEX, pattern)
            except re.error as exc:
                self.add_error("pattern", f"This regular expression is not valid: {exc}.")
        data["pattern"] = pattern
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "slug", "order", "is_spend"]
        help_texts = {"slug": "A short stable name for exports, e.g. managed-services."}

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = Category.objects.filter(slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"Another category is called “{slug}” already.")
        return slug


class BudgetForm(forms.ModelForm):
    class Meta:
        model = Budget
        fields = ["fiscal_year", "owner", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()

    def clean_fiscal_year(self):
        year = self.cleaned_data["fiscal_year"]
        taken = Budget.objects.filter(fiscal_year=year)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"FY{year} has a budget already: edit that one.")
        return year


class BudgetLineForm(forms.ModelForm):
    month = forms.TypedChoiceField(
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The whole year spreads the amount evenly over its twelve months.",
    )

    class Meta:
        model = BudgetLine
        fields = ["budget", "category", "vendor", "month", "amount", "currency", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = Budget.objects.all()
        self.fields["category"].queryset = Category.objects.filter(is_spend=True)
        self.fields["vendor"].queryset = Vendor.objects.all()
        client = active_client()
        if client is not None and not self.instance.pk:
            # Only amounts in the client's currency count on the budget page.
            self.initial.setdefault("currency", client.currency)


class VarianceNoteForm(forms.ModelForm):
    month = forms.TypedChoiceField(
        choices=MONTH_CHOICES, coerce=int, empty_value=None, required=False
    )

    class Meta:
        model = VarianceNote
        fields = ["fiscal_year", "month", "category", "explanation", "author"]
        labels = {"category": "Category (empty: the whole budget)"}
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_spend=True)
        self.fields["author"].queryset = Person.objects.all()


class ClassifyForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        required=False,
        empty_label="— unclassified (back to the queue) —",
    )
    vendor = forms.ModelChoiceField(
        queryset=Vendor.objects.all(), required=False, empty_label="— no vendor —"
    )
    offer_rule = forms.BooleanField(
        label="Then save a rule so lines like this one are classified the same way",
        required=False,
        initial=True,
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Accounting export",
        help_text="CSV or XLSX as QuickBooks Online or Xero writes it, or any table of "
        "transactions (you map its columns next).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    format = forms.ChoiceField(label="Exported from", choices=FORMAT_CHOICES, initial="auto")
    date_order = forms.ChoiceField(
        label="Dates like 03/04/2026 are", choices=DATE_ORDERS, required=False
    )


class MappingForm(forms.Form):
    """One select per ledger field, over the file's own (normalised) headers."""

    upload = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)
    date_order = forms.ChoiceField(
        label="Dates like 03/04/2026 are", choices=DATE_ORDERS, required=False
    )

    def __init__(self, headers: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in this file —"), *[(h, h) for h in headers if h]]
        for name, label in FIELDS.items():
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label + (" (required)" if name == "date" else ""),
                choices=choices,
                required=name == "date",
            )

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"map_{name}"]
            for name in FIELDS
            if self.cleaned_data.get(f"map_{name}")
        }

    def field_rows(self):
        return [self[f"map_{name}"] for name in FIELDS]


class PlanForm(forms.Form):
    """One annual amount per spend category for a fiscal year."""

    owner = forms.ModelChoiceField(queryset=Person.objects.all(), label="Budget owner")

    def __init__(self, categories: list[Category], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories:
            self.fields[f"amount_{category.pk}"] = forms.DecimalField(
                label=category.name,
                max_digits=14,
                decimal_places=2,
                required=False,
                min_value=Decimal("0"),
            )

    def amounts(self) -> dict[int, Decimal | None]:
        return {c.pk: self.cleaned_data.get(f"amount_{c.pk}") for c in self.categories}

    def amount_fields(self):
        return [self[f"amount_{c.pk}"] for c in self.categories]
