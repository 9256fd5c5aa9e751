"""Forms for running an assessment: starting one, assigning a section, one answer, a finding."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from ciodesk.assessments import scoring
from ciodesk.assessments.models import Assessment, AssessmentTemplate, Finding, TemplateQuestion
from ciodesk.tenancy.models import ClientMembership, Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FALLBACK_TYPES = {".pdf", ".png", ".jpg", ".jpeg", ".txt", ".csv", ".xlsx", ".docx"}
FALLBACK_MAX_BYTES = 20 * 1024 * 1024


def check_evidence_file(upload) -> None:
    """The security app's checks for evidence files (size, type, no HTML in disguise); a
    strict allow-list of types when the security app is not installed."""
    try:
        from ciodesk.security.forms_controls import check_evidence_file as check
    except ImportError:
        name = PurePath(upload.name or "").name
        if upload.size > FALLBACK_MAX_BYTES or PurePath(name).suffix.lower() not in FALLBACK_TYPES:
            raise forms.ValidationError(
                f"“{name}”: evidence must be a PDF, image, text or Office file of at most 20 MB."
            ) from None
        return
    check(upload)


def template_label(template: AssessmentTemplate) -> str:
    return f"{template.name} (v{template.version}{', built in' if template.builtin else ''})"


class StartForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["template", "title", "owner", "started_on"]
        widgets = {"started_on": DATE}
        labels = {"owner": "Owner (accountable for the assessment)"}
        help_texts = {
            "template": "The version is kept with the assessment: later edits of the template "
            "do not change it."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = AssessmentTemplate.objects.order_by("name", "-version")
        self.fields["template"].label_from_instance = template_label
        self.fields["owner"].queryset = Person.objects.all()


class AssessmentEditForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["title", "owner", "started_on"]
        widgets = {"started_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()


def answerers():
    """Users who may answer this client's sections: its contributors and the practice's
    people who can open it (the lead, assigned consultants)."""
    user_model = get_user_model()
    member_ids = ClientMembership.objects.filter(
        role__in=[ClientMembership.Role.CONTRIBUTOR, ClientMembership.Role.CONSULTANT]
    ).values("user_id")
    return user_model.objects.filter(
        Q(pk__in=member_ids) | Q(practice_membership__role="lead"), is_active=True
    ).order_by("full_name", "email")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Nobody (any contributor may answer)",
        label="Who answers this section",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = answerers()


class AnswerForm(forms.Form):
    """One question's answer, note and evidence; field names carry the question's prefix so
    that a section page can hold one form per question."""

    value = forms.ChoiceField(required=False, widget=forms.RadioSelect)
    number = forms.DecimalField(required=False, max_digits=14, decimal_places=2)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note")
    evidence_url = forms.URLField(required=False, max_length=500, label="Evidence link")
    evidence_file = forms.FileField(required=False, label="Evidence file")
    clear_evidence = forms.BooleanField(required=False, label="Remove the file")

    def __init__(self, *args, question: TemplateQuestion, **kwargs):
        kwargs.setdefault("prefix", f"q{question.pk}")
        super().__init__(*args, **kwargs)
        self.question = question
        kind = question.kind
        if kind == "yes_no":
            self.fields["value"].choices = list(scoring.YES_NO_LABELS.items())
        elif kind == "choice":
            self.fields["value"].choices = [
                (str(c["value"]), c["label"]) for c in question.choices or []
            ]
        for name, keep in (
            ("value", ("yes_no", "choice")),
            ("number", ("number",)),
            ("text", ("text",)),
        ):
            if kind not in keep:
                del self.fields[name]

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            check_evidence_file(upload)
        return upload

    def answer_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "value": data.get("value", "") or "",
            "number": data.get("number"),
            "text": (data.get("text") or "").strip(),
            "note": (data.get("note") or "").strip(),
            "evidence_url": data.get("evidence_url") or "",
            "evidence_file": data.get("evidence_file") or None,
            "clear_file": bool(data.get("clear_evidence")),
        }

    @classmethod
    def initial_for(cls, answer) -> dict:
        if answer is None:
            return {}
        return {
            "value": answer.value,
            "number": answer.number,
            "text": answer.text,
            "note": answer.note,
            "evidence_url": answer.evidence_url,
        }


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = [
            "title",
            "risk",
            "recommendation",
            "disposition",
            "status",
            "severity",
            "cost_low",
            "cost_high",
            "currency",
            "owner",
        ]
        widgets = {
            "risk": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"severity": "1 (minor) to 5 (severe)."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()

    def clean(self):
        data = super().clean()
        low, high = data.get("cost_low"), data.get("cost_high")
        if low is not None and high is not None and low > high:
            self.add_error("cost_high", "The high end of the range must not be below the low end.")
        return data
