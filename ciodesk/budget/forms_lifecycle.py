"""Forms of the lifecycle pages: the RMM export upload, its column mapping, the policies."""

from __future__ import annotations

from django import forms

from ciodesk.budget.importers.devices import AUTO, FIELDS, FORMATS
from ciodesk.budget.models import LifecyclePolicy

FORMAT_CHOICES = [
    (AUTO, "Recognise it from the headers"),
    *[(f.key, f.label) for f in FORMATS.values()],
    ("map", "Other: map the columns myself"),
]


class DeviceUploadForm(forms.Form):
    file = forms.FileField(
        label="RMM device export",
        help_text="CSV (UTF-8) or XLSX, as NinjaOne, Datto RMM or N-able export it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,.tsv"}),
    )
    format = forms.ChoiceField(label="Exported from", choices=FORMAT_CHOICES, initial=AUTO)


class DeviceMappingForm(forms.Form):
    """One select per device field, over the file's own headers."""

    upload = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)

    def __init__(self, headers: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in this file —"), *[(h, h) for h in headers if h]]
        for name, label in FIELDS.items():
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label + (" (required)" if name == "name" else ""),
                choices=choices,
                required=name == "name",
            )

    def clean(self):
        data = super().clean()
        picked = [data.get(f"map_{n}") for n in FIELDS if data.get(f"map_{n}")]
        if len(picked) != len(set(picked)):
            raise forms.ValidationError("Each column can hold one field only.")
        return data

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"map_{name}"]
            for name in FIELDS
            if self.cleaned_data.get(f"map_{name}")
        }

    def field_rows(self):
        return [self[f"map_{name}"] for name in FIELDS]


class LifecyclePolicyForm(forms.ModelForm):
    class Meta:
        model = LifecyclePolicy
        fields = [
            "device_type",
            "replacement_years",
            "unit_cost",
            "currency",
            "source",
            "source_year",
        ]
        labels = {
            "replacement_years": "Replace after (years)",
            "unit_cost": "Cost of a replacement",
            "source_year": "Year of the source",
        }
        help_texts = {
            "device_type": "As the device list shows it: Laptop, Workstation, Server, Firewall…",
            "replacement_years": "Age at which a device of this type is replaced (0.5–20).",
            "unit_cost": "0.00 means not set: these devices are listed without a cost.",
            "source": "Where the figures come from (a benchmark, a quote, the client's policy).",
        }
        widgets = {"source": forms.TextInput()}

    def clean_device_type(self) -> str:
        value = self.cleaned_data["device_type"].strip()
        clash = LifecyclePolicy.objects.filter(device_type__iexact=value)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("This device type already has a policy.")
        return value
