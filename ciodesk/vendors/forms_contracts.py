"""Forms of the vendor register, contracts, SLA policies, priority mappings and the import."""

from __future__ import annotations

from pathlib import PurePath

from django import forms

from ciodesk.tenancy.models import Person, time_zone_choices
from ciodesk.vendors.models import PRIORITIES, Contract, Holiday, SLAPolicy, Vendor

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DOCUMENT_TYPES = {
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".rtf",
    ".txt",
    ".xlsx",
    ".png",
    ".jpg",
    ".jpeg",
    ".msg",
    ".eml",
}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = ["name", "category", "website", "account_manager", "owner", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Person.objects is scoped: this client's people and the practice's, nobody else's.
        self.fields["owner"].queryset = Person.objects.all()


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "vendor",
            "title",
            "start_date",
            "end_date",
            "auto_renew",
            "renewal_term_months",
            "notice_days",
            "cancellation_method",
            "annual_value",
            "currency",
            "billing_frequency",
            "document",
            "owner",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}
        help_texts = {
            "renewal_term_months": "How long each automatic renewal runs.",
            "document": "PDF, Word, image or e-mail, at most 20 MB. Only this client's members "
            "can download it.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.all()
        self.fields["owner"].queryset = Person.objects.all()

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "size") and "document" in self.files:
            if document.size > MAX_DOCUMENT_BYTES:
                raise forms.ValidationError("The document is larger than 20 MB.")
            if PurePath(document.name).suffix.lower() not in DOCUMENT_TYPES:
                raise forms.ValidationError("Upload a PDF, Word, text, XLSX, image or e-mail file.")
        return document

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and start > end:
            self.add_error("start_date", "The start date is after the end of the term.")
        return data


class SLAPolicyForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Working days of the business-hours calendar.",
    )
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    class Meta:
        model = SLAPolicy
        fields = [
            "calendar",
            "weekdays",
            "opens_at",
            "closes_at",
            "time_zone",
            "p1_response_minutes",
            "p1_resolution_minutes",
            "p2_response_minutes",
            "p2_resolution_minutes",
            "p3_response_minutes",
            "p3_resolution_minutes",
            "p4_response_minutes",
            "p4_resolution_minutes",
        ]
        widgets = {"calendar": forms.RadioSelect, "opens_at": TIME, "closes_at": TIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.weekdays is not None:
            self.initial["weekdays"] = [d for d in self.instance.weekdays.split(",") if d]
        for priority, _ in PRIORITIES:
            for kind in ("response", "resolution"):
                field = self.fields[f"{priority.lower()}_{kind}_minutes"]
                field.min_value = 1
                field.widget.attrs["min"] = 1
                field.label = f"{priority} {kind} target (minutes)"

    def clean_weekdays(self) -> str:
        return ",".join(sorted(self.cleaned_data.get("weekdays") or []))

    def clean(self):
        data = super().clean()
        if data.get("calendar") == SLAPolicy.Calendar.BUSINESS:
            if not data.get("weekdays"):
                self.add_error("weekdays", "Pick at least one working day.")
            opens, closes = data.get("opens_at"), data.get("closes_at")
            if opens and closes and opens >= closes:
                self.add_error("closes_at", "Closing time must be after opening time.")
        for priority, _ in PRIORITIES:
            for kind in ("response", "resolution"):
                value = data.get(f"{priority.lower()}_{kind}_minutes")
                if value is not None and value < 1:
                    self.add_error(f"{priority.lower()}_{kind}_minutes", "At least 1 minute.")
        return data


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name"]
        widgets = {"date": DATE}


HolidayFormSet = forms.inlineformset_factory(
    SLAPolicy, Holiday, form=HolidayForm, extra=3, can_delete=True
)

PRIORITY_CHOICES = [("", "Default (by the label)"), *PRIORITIES]


class PriorityMappingForm(forms.Form):
    label = forms.CharField(max_length=120, required=False)
    priority = forms.ChoiceField(choices=PRIORITY_CHOICES, required=False)


PriorityMappingFormSet = forms.formset_factory(PriorityMappingForm, extra=2)


class ContractImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV (UTF-8) or XLSX with the columns vendor, contract, start_date, "
        "end_date, auto_renew, renewal_term_months, notice_days, annual_value, currency."
    )
