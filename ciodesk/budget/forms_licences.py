"""Forms of the licence pages: the report upload, the SaaS column mapping, the SKU prices."""

from __future__ import annotations

from django import forms

from ciodesk.budget.importers.licences import M365, SAAS, SAAS_LABELS, SAAS_REQUIRED
from ciodesk.tenancy.models import CURRENCIES
from ciodesk.vendors.models import Vendor

KINDS = [
    (M365, "Microsoft 365 “Active users” report"),
    (SAAS, "SaaS user list (e-mail, licence, last used)"),
]
FILE_TYPES = ".csv,.xlsx,.txt,.tsv"


class _VendorChoice:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.all()  # the client's own vendors


class LicenceUploadForm(_VendorChoice, forms.Form):
    file = forms.FileField(
        label="File",
        help_text="CSV (UTF-8, with or without a byte-order mark) or XLSX.",
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )
    kind = forms.ChoiceField(label="What it is", choices=KINDS, initial=M365)
    app_name = forms.CharField(
        label="Application (SaaS lists)",
        max_length=200,
        required=False,
        help_text="The application the list is from, when the file has no application column.",
    )
    vendor = forms.ModelChoiceField(
        label="Vendor (SaaS lists)",
        queryset=Vendor.objects.none(),
        required=False,
        help_text="Optional: links the seats to the vendor's value review.",
    )


class SaasMappingForm(_VendorChoice, forms.Form):
    """One select per SaaS field, over the file's own headers."""

    upload = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)
    app_name = forms.CharField(label="Application", max_length=200, required=False)
    vendor = forms.ModelChoiceField(label="Vendor", queryset=Vendor.objects.none(), required=False)

    def __init__(self, headers: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in this file —"), *[(h, h) for h in headers if h]]
        for name, label in SAAS_LABELS.items():
            required = name in SAAS_REQUIRED
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label + (" (required)" if required else ""),
                choices=choices,
                required=required,
            )

    def clean(self):
        data = super().clean()
        picked = [data.get(f"map_{n}") for n in SAAS_LABELS if data.get(f"map_{n}")]
        if len(picked) != len(set(picked)):
            raise forms.ValidationError("Each column can hold one field only.")
        if not data.get("map_app_name") and not (data.get("app_name") or "").strip():
            self.add_error("app_name", "Name the application, or map its column.")
        return data

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"map_{name}"]
            for name in SAAS_LABELS
            if self.cleaned_data.get(f"map_{name}")
        }

    def field_rows(self):
        return [self[f"map_{name}"] for name in SAAS_LABELS]


class PriceForm(forms.Form):
    """One product's monthly price; an empty price means "not set" (the price is removed)."""

    sku = forms.CharField(label="Product", max_length=200, required=False)
    monthly_price = forms.DecimalField(
        label="Monthly price per user",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    currency = forms.ChoiceField(label="Currency", choices=CURRENCIES)

    def clean(self):
        data = super().clean()
        if data.get("monthly_price") is not None and not (data.get("sku") or "").strip():
            self.add_error("sku", "Name the product this price is for.")
        return data


PriceFormSet = forms.formset_factory(PriceForm, extra=0, max_num=500, absolute_max=500)


class PriceUploadForm(forms.Form):
    file = forms.FileField(
        label="Prices file",
        help_text="CSV or XLSX with the columns product, monthly price, currency.",
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )
