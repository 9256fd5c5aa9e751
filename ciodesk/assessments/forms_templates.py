"""Forms for the practice's template pages: copy, edit, domains, questions, YAML import.

Choices and number bands are edited as lines of text ("value | label | score" and
"min | max | score"), the same information as the YAML file, checked with the same rules.
"""

from __future__ import annotations

from django import forms

from ciodesk.assessments import yaml_io
from ciodesk.assessments.models import AssessmentTemplate, TemplateDomain, TemplateQuestion

MAX_YAML_BYTES = 1024 * 1024


class CopyForm(forms.Form):
    NEW_VERSION, NEW_TEMPLATE = "version", "template"
    mode = forms.ChoiceField(
        choices=[
            (NEW_VERSION, "A new version of this template (same slug, next version number)"),
            (NEW_TEMPLATE, "A new template of the practice's own (a new slug)"),
        ],
        widget=forms.RadioSelect,
        initial=NEW_VERSION,
        label="Copy as",
    )
    slug = forms.SlugField(
        required=False,
        max_length=80,
        label="New slug",
        help_text="For a new template only: lowercase letters, digits and hyphens.",
    )
    name = forms.CharField(max_length=200, label="Name")

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.NEW_TEMPLATE:
            slug = data.get("slug") or ""
            if not slug:
                self.add_error("slug", "A new template needs its own slug.")
            elif AssessmentTemplate.objects.filter(slug=slug).exists():
                self.add_error("slug", f"“{slug}” is taken: copy as a new version of it instead.")
        else:
            data["slug"] = ""
        return data


class TemplateForm(forms.ModelForm):
    class Meta:
        model = AssessmentTemplate
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DomainForm(forms.ModelForm):
    class Meta:
        model = TemplateDomain
        fields = ["key", "title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "key": "Matches this domain across versions when two assessments are compared.",
            "order": "Domains are listed by this number.",
        }

    def __init__(self, *args, template: AssessmentTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template

    def clean_key(self):
        key = self.cleaned_data["key"]
        clash = TemplateDomain.objects.filter(template=self.template, key=key)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"Another domain of this template uses “{key}”.")
        return key


def _control_choices() -> list[tuple[str, str]]:
    try:
        from ciodesk.security.baseline import CONTROLS
    except ImportError:
        return []
    return [(c.key, f"{c.title} ({c.key})") for c in CONTROLS]


def _lines(text: str) -> list[list[str]]:
    return [
        [part.strip() for part in line.split("|")] for line in text.splitlines() if line.strip()
    ]


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Choices",
        help_text="Single choice only: one per line, “value | label | credit from 0 to 1”.",
    )
    bands_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Number bands",
        help_text="Number only: one per line, “min | max | credit from 0 to 1”; min is "
        "included, max excluded, leave either empty for an open end. The first band that "
        "holds the number gives its credit.",
    )
    controls = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Controls it informs",
        help_text="Reviewed answers are recorded as evidence on these controls.",
    )

    class Meta:
        model = TemplateQuestion
        fields = [
            "domain",
            "key",
            "text",
            "help",
            "kind",
            "weight",
            "insurance_critical",
            "finding_title",
            "finding_risk",
            "finding_recommendation",
            "finding_disposition",
            "cost_low",
            "cost_high",
            "order",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "help": forms.Textarea(attrs={"rows": 2}),
            "finding_risk": forms.Textarea(attrs={"rows": 2}),
            "finding_recommendation": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "finding_title": "Finding title (when answered badly)",
            "finding_risk": "The risk, in plain words",
            "finding_recommendation": "Recommendation",
            "finding_disposition": "Disposition",
            "cost_low": "Rough cost, low",
            "cost_high": "Rough cost, high",
        }
        help_texts = {
            "weight": "0 to 10: how much the question counts in its domain's score.",
            "insurance_critical": "A No or Unknown caps the overall rating at High.",
        }

    def __init__(self, *args, template: AssessmentTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.fields["domain"].queryset = TemplateDomain.objects.filter(template=template)
        choices = _control_choices()
        if choices:
            self.fields["controls"].choices = choices
        else:
            del self.fields["controls"]
        instance = self.instance
        if instance.pk:
            self.fields["controls"].initial = list(instance.control_keys or [])
            self.fields["choices_text"].initial = "\n".join(
                f"{c['value']} | {c['label']} | {c['score']}" for c in instance.choices or []
            )
            self.fields["bands_text"].initial = "\n".join(
                f"{'' if b.get('min') is None else b['min']} | "
                f"{'' if b.get('max') is None else b['max']} | {b['score']}"
                for b in instance.number_bands or []
            )

    def clean_key(self):
        key = self.cleaned_data["key"]
        clash = TemplateQuestion.objects.filter(domain__template=self.template, key=key)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"Another question of this template uses “{key}”.")
        return key

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        raw = {"key": data.get("key") or "q", "text": data.get("text") or "?", "kind": kind}
        if kind == "choice":
            raw["choices"] = [
                {"value": p[0], "label": p[1] if len(p) > 1 else "", "score": _num(p, 2)}
                for p in _lines(data.get("choices_text", ""))
            ]
        if kind == "number":
            raw["bands"] = [
                {"min": _num(p, 0), "max": _num(p, 1), "score": _num(p, 2)}
                for p in _lines(data.get("bands_text", ""))
            ]
        spec, errors = yaml_io.check_question(raw)
        for error in errors:
            field = (
                "choices_text" if "choices" in error else "bands_text" if "bands" in error else None
            )
            self.add_error(field, error)
        data["choices"], data["bands"] = spec.choices, spec.bands
        low, high = data.get("cost_low"), data.get("cost_high")
        if low is not None and high is not None and low > high:
            self.add_error("cost_high", "The high end must not be below the low end.")
        if kind == "text" and (data.get("insurance_critical") or data.get("finding_title")):
            self.add_error(
                "kind", "Text questions are not scored: clear the finding and insurance-critical."
            )
        return data

    def save(self, commit: bool = True):
        question = super().save(commit=False)
        question.choices = self.cleaned_data.get("choices", [])
        question.number_bands = self.cleaned_data.get("bands", [])
        if "controls" in self.fields and question.kind != "text":
            question.control_keys = list(self.cleaned_data.get("controls") or [])
        elif question.kind == "text":
            question.control_keys = []
        if commit:
            question.save()
        return question


def _num(parts: list[str], index: int):
    """A number from a "a | b | c" line (a text that is not a number is left for the
    checker to name); an empty cell is None."""
    if index >= len(parts) or parts[index] == "":
        return None
    value = parts[index]
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


class ImportForm(forms.Form):
    file = forms.FileField(label="Template file (YAML)", help_text="At most 1 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_YAML_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB: is it really a template?")
        return upload
