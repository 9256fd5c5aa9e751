"""Forms of the meetings pages: the meeting itself and an action item taken in it."""

from __future__ import annotations

from django import forms

from ciodesk.delivery.models import ActionItem, Decision, Meeting
from ciodesk.tenancy.models import Person


class MeetingForm(forms.ModelForm):
    """Date and time are entered in the client's time zone (the page activates it)."""

    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_at",
            "duration_minutes",
            "location",
            "owner",
            "attendees",
            "agenda",
            "minutes",
            "decisions",
        ]
        labels = {
            "starts_at": "Date and time",
            "duration_minutes": "Duration (minutes)",
            "owner": "Organiser",
            "decisions": "Decisions taken",
        }
        help_texts = {
            "location": "A room, an address or a video-call link.",
            "attendees": "The invitation goes to those with an e-mail address.",
            "agenda": "Markdown. Generated from live data; edit freely.",
            "minutes": "Markdown: what was discussed and agreed.",
        }
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "attendees": forms.CheckboxSelectMultiple,
            "decisions": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 16}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.order_by("client", "name")
        self.fields["attendees"].queryset = Person.objects.order_by("client", "name")
        if "decisions" in self.fields:
            self.fields["decisions"].queryset = Decision.objects.order_by("-pk")
        self.fields["duration_minutes"].widget.attrs.update({"min": 5, "max": 600, "step": 5})

    def clean_duration_minutes(self) -> int:
        value = self.cleaned_data["duration_minutes"]
        if not 5 <= value <= 600:
            raise forms.ValidationError("A meeting lasts from 5 to 600 minutes.")
        return value


class MeetingCreateForm(MeetingForm):
    """Planning a meeting: no minutes or decisions yet."""

    class Meta(MeetingForm.Meta):
        fields = [f for f in MeetingForm.Meta.fields if f not in ("minutes", "decisions")]


class MeetingActionForm(forms.ModelForm):
    """An action item agreed in the meeting: what, who, by when."""

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_on", "notes"]
        labels = {"title": "Action", "due_on": "Due"}
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.order_by("client", "name")
        self.fields["due_on"].required = True
