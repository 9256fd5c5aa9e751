from __future__ import annotations

from django import forms


class CatalogUploadForm(forms.Form):
    catalog = forms.FileField(
        label="OSCAL catalog",
        help_text="A catalog in OSCAL JSON or XML, such as NIST's CSF 2.0 or SP 800-53 "
        "(a profile must be resolved into a catalog first). Up to 50 MB.",
    )
