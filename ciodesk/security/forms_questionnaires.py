"""Forms of the questionnaire import (upload, then mapping), review and the answer library."""

from __future__ import annotations

from django import forms
from openpyxl.utils import get_column_letter

from ciodesk.core.tabular import MAX_BYTES, FileProblem
from ciodesk.security import questionnaire_workbook as workbook
from ciodesk.security.models import AnswerLibraryEntry, ClientControl, Questionnaire
from ciodesk.tenancy.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COLUMN_CHOICES = [(get_column_letter(i), get_column_letter(i)) for i in range(1, 53)]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Questionnaire workbook (.xlsx)",
        help_text=f"The customer's Excel file as they sent it, at most "
        f"{MAX_BYTES // (1024 * 1024)} MB. It is kept unchanged; the export fills in a copy.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; it is refused."
            )
        data = upload.read()
        try:
            self.sheets = workbook.check_workbook(data, upload.name)
        except FileProblem as exc:
            raise forms.ValidationError(f"{upload.name}: {exc}.") from exc
        self.data_bytes = data
        return upload


class MappingForm(forms.Form):
    """Which sheet, which columns, which first row; and what the questionnaire is."""

    title = forms.CharField(max_length=200)
    requested_by = forms.CharField(
        max_length=200, required=False, label="Customer", help_text="Who asks the questions."
    )
    due_on = forms.DateField(required=False, widget=DATE, label="Due on")
    owner = forms.ModelChoiceField(queryset=Person.objects.none())
    sheet = forms.ChoiceField(help_text="The sheet that holds the questions.")
    question_column = forms.ChoiceField(choices=COLUMN_CHOICES, label="Question column")
    answer_column = forms.ChoiceField(
        choices=COLUMN_CHOICES,
        label="Answer column",
        help_text="Where the approved answers are written in the exported workbook.",
    )
    first_row = forms.IntegerField(
        min_value=1,
        max_value=1_048_576,
        label="First question row",
        help_text="Rows above it (title, instructions, column headings) are left alone.",
    )

    def __init__(self, *args, sheets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(s, s) for s in sheets]
        self.fields["owner"].queryset = Person.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("question_column") and data.get("question_column") == data.get("answer_column"):
            self.add_error("answer_column", "The answers go in another column than the questions.")
        return data

    def mapping(self) -> workbook.Mapping:
        d = self.cleaned_data
        return workbook.Mapping(
            d["sheet"], d["question_column"], d["answer_column"], d["first_row"]
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the answer before approving it."},
    )


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "requested_by", "due_on", "owner", "status"]
        labels = {"requested_by": "Customer"}
        widgets = {"due_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()


class AnswerLibraryForm(forms.ModelForm):
    class Meta:
        model = AnswerLibraryEntry
        fields = ["question", "answer", "control", "approved_on", "source"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "answer": forms.Textarea(attrs={"rows": 4}),
            "approved_on": DATE,
        }
        help_texts = {
            "control": "The control this answer rests on: while it is not in place, the "
            "suggestion is flagged for review.",
            "source": "Where the answer was approved (a questionnaire, a policy).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["control"].queryset = ClientControl.objects.select_related("definition")
