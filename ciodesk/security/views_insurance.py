"""Cyber-insurance readiness pages: the answers, their exports, the CIO's notes and the
policies (thin: the answers come from ``services_insurance``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.security import services_insurance as services
from ciodesk.security.insurance_pdf import evidence_pack
from ciodesk.security.insurance_questions import BY_ID
from ciodesk.security.models import InsuranceAnswerNote, InsurancePolicy
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.models import Person
from ciodesk.tenancy.permissions import client_view

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyForm(forms.ModelForm):
    class Meta:
        model = InsurancePolicy
        fields = [
            "carrier",
            "broker",
            "policy_number",
            "renewal_date",
            "coverage_limit",
            "retention",
            "premium",
            "currency",
            "claims_hotline",
            "owner",
            "notes",
        ]
        widgets = {"renewal_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "carrier": "The insurer, e.g. Coalition, Chubb, Beazley.",
            "renewal_date": "The readiness page counts down to it.",
            "retention": "The deductible the business pays on a claim.",
            "claims_hotline": "Whom to call first in an incident (also in the IR plan).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Context for the broker or a reminder for the team: a compensating "
        "control, a planned fix, an exception. Leave empty to remove the note.",
    )


POLICIES = Crud(
    model=InsurancePolicy,
    form_class=PolicyForm,
    kind="insurance-policy",
    title="Cyber insurance policies",
    namespace="security",
    columns=[
        Column("Carrier", lambda p: p.carrier, link=True),
        Column("Broker", lambda p: p.broker),
        Column("Policy number", lambda p: p.policy_number),
        Column("Renewal date", lambda p: p.renewal_date),
        Column("Coverage limit", lambda p: p.coverage_limit),
        Column("Retention", lambda p: p.retention),
        Column("Premium", lambda p: p.premium),
        Column("Currency", lambda p: p.currency),
        Column("Claims hotline", lambda p: p.claims_hotline),
        Column("Owner", lambda p: p.owner.name),
        Column("Notes", lambda p: p.notes),
    ],
    search_fields=["carrier", "broker", "policy_number", "notes"],
    queryset=lambda: InsurancePolicy.objects.select_related("owner"),
    empty_text="No policy recorded. Add the cyber policy so the readiness page counts down "
    "to its renewal.",
)

COLUMNS = [
    Column("ID", lambda a: a.question.id),
    Column("Category", lambda a: a.question.category),
    Column("Question", lambda a: a.question.text),
    Column("Answer", lambda a: a.answer),
    Column("Evidence", lambda a: a.evidence_text),
    Column("Evidence date", lambda a: a.evidence_date),
    Column("Note", lambda a: a.note),
]


def _url(request, name: str) -> str:
    return reverse(f"security:{name}", kwargs={"client_slug": request.client.slug})


@client_view(Level.READ)
def insurance(request, client_slug):
    readiness = services.readiness(request.client.today())
    context = {
        "readiness": readiness,
        "columns": COLUMNS,
        "can_write": request.access >= Level.PRACTICE,
        "weights": sorted({q.question.weight for q in readiness.answers}, reverse=True),
    }
    return render(request, "security/insurance_page.html", context)


@client_view(Level.READ)
def insurance_xlsx(request, client_slug):
    readiness = services.readiness(request.client.today())
    filename = f"{request.client.slug}-insurance-readiness"
    return export_response("xlsx", filename, COLUMNS, readiness.answers)


@client_view(Level.READ)
def insurance_pdf(request, client_slug):
    readiness = services.readiness(request.client.today())
    pdf = evidence_pack(request.client, readiness, practice=_practice())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{request.client.slug}-insurance-evidence-{readiness.today:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _practice():
    from ciodesk.tenancy.models import Practice

    return Practice.objects.order_by("pk").first()


@client_view(Level.PRACTICE)
def insurance_note(request, client_slug):
    """The CIO's note on one question (?question=INS-07); an empty note removes it."""
    question = BY_ID.get(request.GET.get("question", ""))
    if question is None:
        raise Http404("No such question")
    note = InsuranceAnswerNote.objects.filter(question=question.id).first()
    form = NoteForm(request.POST or None, initial={"note": note.note if note else ""})
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["note"].strip()
        with transaction.atomic():
            if text:
                note = note or InsuranceAnswerNote(question=question.id)
                note.note, note.author = text, request.user
                note.save()
            elif note is not None:
                note.delete()
        messages.success(request, f"Note on {question.id} {'saved' if text else 'removed'}.")
        return redirect(_url(request, "insurance") + f"#{question.id}")
    return render(
        request,
        "security/insurance_note.html",
        {"question": question, "form": form, "cancel_url": _url(request, "insurance")},
    )
