"""Forms of the coverage pages: the upload, and the column mapping for unknown headers."""

from __future__ import annotations

from django import forms

from ciodesk.core.tabular import MAX_BYTES
from ciodesk.security.importers.common import Spec
from ciodesk.security.models import CoverageImport
from ciodesk.tenancy.models import time_zone_choices

DATE_ORDERS = [
    ("mdy", "Month first (US, as Microsoft writes them): 11/3/2026 is 3 November"),
    ("dmy", "Day first: 3/11/2026 is 3 November"),
]
COLUMN_CHOICES = [
    ("auto", "Recognise them from the headers"),
    ("map", "Let me pick which column holds what"),
]


class _Reading(forms.Form):
    """How to read the file's times: the zone of times without an offset, the date order."""

    time_zone = forms.ChoiceField(
        label="Time zone of times written without an offset",
        help_text="Times with a Z or an offset (+01:00) are exact and keep it.",
    )
    date_order = forms.ChoiceField(
        label="Dates written with slashes are", choices=DATE_ORDERS, initial="mdy"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()

    @property
    def day_first(self) -> bool:
        return self.cleaned_data.get("date_order") == "dmy"


class UploadForm(_Reading):
    kind = forms.ChoiceField(label="What the file is", choices=CoverageImport.Kind.choices)
    file = forms.FileField(
        label="Export file",
        help_text="CSV (UTF-8) or XLSX as the tool exports it, up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    columns = forms.ChoiceField(
        label="Columns", choices=COLUMN_CHOICES, initial="auto", widget=forms.RadioSelect
    )
    field_order = ["kind", "file", "columns", "time_zone", "date_order"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; export a shorter "
                "period or fewer columns."
            )
        return upload


class MappingForm(_Reading):
    """One select per field ciodesk reads, over the file's own headers."""

    upload = forms.CharField(widget=forms.HiddenInput, max_length=40)
    kind = forms.CharField(widget=forms.HiddenInput, max_length=10)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)

    def __init__(self, spec: Spec, headers: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        choices = [("", "— not in this file —"), *[(h, h) for h in headers if h]]
        for item in spec.fields:
            self.fields[f"map_{item.key}"] = forms.ChoiceField(
                label=item.label + (" (required)" if item.required else ""),
                choices=choices,
                required=item.required,
                help_text=item.help,
            )

    def clean(self):
        data = super().clean()
        chosen = [data.get(f"map_{f.key}") for f in self.spec.fields]
        picked = [c for c in chosen if c]
        if len(picked) != len(set(picked)):
            raise forms.ValidationError("A column can hold only one field: pick each once.")
        return data

    def mapping(self) -> dict[str, str]:
        return {
            f.key: self.cleaned_data[f"map_{f.key}"]
            for f in self.spec.fields
            if self.cleaned_data.get(f"map_{f.key}")
        }

    def field_rows(self):
        return [self[f"map_{f.key}"] for f in self.spec.fields]
