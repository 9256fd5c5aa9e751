"""The public review form, and the practice's forms for leads."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from ciodesk.intake import dns_checks
from ciodesk.intake.models import Lead
from ciodesk.intake.questions import QUESTIONS
from ciodesk.intake.services import Submission
from ciodesk.tenancy.forms import ClientForm
from ciodesk.tenancy.models import Client

HONEYPOT = "website"


class ReviewForm(forms.Form):
    company = forms.CharField(label="Company name", max_length=200)
    contact_name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(label="Your work e-mail", max_length=254)
    domain = forms.CharField(
        label="Company e-mail domain",
        max_length=253,
        required=False,
        help_text="Only if it differs from your e-mail address's, e.g. example.com.",
    )
    employee_count = forms.IntegerField(
        label="How many people work at the company?", min_value=1, max_value=100000, required=False
    )
    worry = forms.CharField(
        label="What worries you most about your technology? (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label="You may contact me about this review (we keep my name and e-mail for that).",
        required=False,
    )
    # The honeypot: hidden from people by the stylesheet and aria-hidden; bots fill it in.
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[f"q_{question.key}"] = forms.ChoiceField(
                label=question.text,
                choices=[(o.value, o.label) for o in question.options],
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer (“Not sure” is fine)."},
            )

    def about_fields(self):
        return [
            self[name] for name in ("company", "contact_name", "email", "domain", "employee_count")
        ]

    def question_fields(self):
        return [self[f"q_{q.key}"] for q in QUESTIONS]

    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def clean_domain(self) -> str:
        value = self.cleaned_data.get("domain", "")
        return dns_checks.clean_domain(value) if value.strip() else ""

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if email and not data.get("domain"):
            try:
                domain = dns_checks.clean_domain(email)
            except ValidationError as exc:
                self.add_error("email", exc)
                return data
            if domain in dns_checks.FREE_MAIL:
                self.add_error(
                    "domain",
                    f"{domain} is a personal e-mail service: enter your company's domain.",
                )
                return data
            data["domain"] = domain
        if data.get("domain") in dns_checks.FREE_MAIL:
            self.add_error("domain", "Enter your company's own domain, not a personal e-mail one.")
        return data

    def submission(self) -> Submission:
        data = self.cleaned_data
        answers = {q.key: data[f"q_{q.key}"] for q in QUESTIONS}
        if data.get("worry", "").strip():
            answers["worry"] = data["worry"].strip()
        return Submission(
            company=data["company"].strip(),
            contact_name=data["contact_name"].strip(),
            email=data["email"].strip().lower(),
            domain=data["domain"],
            employee_count=data.get("employee_count"),
            answers=answers,
            consent=bool(data.get("consent")),
        )


class LeadStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[c for c in Lead.Status.choices if c[0] != Lead.Status.CONVERTED]
    )


class ConvertForm(ClientForm):
    """The new client's essentials; the rest is edited on the client later."""

    fiscal_year_start_month = None  # the default (January) until the client is edited

    class Meta(ClientForm.Meta):
        fields = ["name", "slug", "industry", "employee_count", "time_zone", "currency"]

    @classmethod
    def initial_for(cls, lead: Lead) -> dict:
        slug = slugify(lead.company)[:50] or slugify(lead.domain.split(".")[0])
        base, n = slug, 2
        while Client.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return {"name": lead.company, "slug": slug, "employee_count": lead.employee_count}
