"""Forms of the reports app: the CIO's commentary on the brief, and asking for a report."""

from __future__ import annotations

from django import forms

from ciodesk.reports.models import Report
from ciodesk.reports.periods import PeriodError, last_ended_quarter, parse_period

COMMENTARY_MAX = 2000


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label="Commentary",
        required=False,
        max_length=COMMENTARY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain words for the executive, shown beside the area's light (the PDF keeps "
        "the first few hundred characters). Leave it empty to remove the commentary.",
    )


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label="Report", choices=Report.Kind.choices)
    period = forms.CharField(
        label="Quarter (QBR only)",
        required=False,
        max_length=20,
        help_text="The fiscal quarter, e.g. 2026Q3; empty for the last quarter that has ended.",
    )

    def __init__(self, client, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["period"].widget.attrs["placeholder"] = last_ended_quarter(client).key

    def clean(self):
        data = super().clean()
        data["quarter"] = None
        if data.get("kind") == Report.Kind.QBR:
            text = (data.get("period") or "").strip()
            try:
                data["quarter"] = (
                    parse_period(text, self.client) if text else last_ended_quarter(self.client)
                )
            except PeriodError as exc:
                self.add_error("period", str(exc))
        return data
