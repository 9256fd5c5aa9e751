from __future__ import annotations

from django import forms

from ciodesk.tenancy.models import (
    Client,
    ClientMembership,
    KeySystem,
    Note,
    Person,
    Practice,
    Site,
    time_zone_choices,
)

MONTHS = [
    (i, name)
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
]


class ClientForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, initial="America/Los_Angeles")
    fiscal_year_start_month = forms.TypedChoiceField(choices=MONTHS, coerce=int, initial=1)

    class Meta:
        model = Client
        fields = [
            "name",
            "slug",
            "industry",
            "employee_count",
            "annual_revenue",
            "time_zone",
            "currency",
            "fiscal_year_start_month",
            "retainer_monthly_fee",
            "retainer_included_hours",
            "meeting_cadence",
            "status",
        ]


class PracticeForm(forms.ModelForm):
    LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}

    class Meta:
        model = Practice
        fields = ["name", "logo", "brand_colour"]
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}
        help_texts = {"logo": "PNG or JPEG, at most 1 MB; used on reports."}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "read") and getattr(logo, "size", 0):
            if logo.size > 1024 * 1024:
                raise forms.ValidationError("The logo is larger than 1 MB.")
            head = logo.read(8)
            logo.seek(0)
            if not any(head.startswith(magic) for magic in self.LOGO_TYPES):
                raise forms.ValidationError("The logo must be a PNG or JPEG image.")
        return logo


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "title", "email", "phone", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class KeySystemForm(forms.ModelForm):
    class Meta:
        model = KeySystem
        fields = ["name", "purpose", "vendor_name", "owner", "criticality", "data_location"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Person.objects is scoped: this client's people and the practice's, nobody else's.
        self.fields["owner"].queryset = Person.objects.all()


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "address", "internet_circuit", "notes"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(
        choices=ClientMembership.Role.choices[:2], initial=ClientMembership.Role.EXECUTIVE
    )
