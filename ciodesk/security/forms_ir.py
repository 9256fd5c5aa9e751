"""Forms of incident response: the plan and its contacts, tabletop exercises, incidents.

The plan starts from ciodesk's own first-hour steps and message templates (below), written
for a small business without a security team; the CIO adapts them to the client.
"""

from __future__ import annotations

from django import forms

from ciodesk.security.models import (
    Incident,
    IncidentEvent,
    IRContact,
    IRPlan,
    Tabletop,
    TabletopAction,
)
from ciodesk.tenancy.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

FIRST_HOUR_STEPS = """\
1. **Write down the time and what you saw** (the incident's timeline in ciodesk is the place).
2. **Unplug, do not switch off.** Take affected computers off the network (cable out, Wi-Fi \
off) but leave them running: evidence lives in memory.
3. **Call the MSP** and say "security incident".
4. **Call the insurer's claims hotline before hiring anyone or paying anything**: most \
policies pay only for responders they approve, and late notice can cost the cover.
5. **Tell the incident lead** (the owner or CEO); they decide who else is told.
6. **Do not pay, reply to or bargain with an attacker.** Leave that to the insurer's \
responders and legal counsel.
7. **Change passwords from a clean device** for the accounts that may be affected \
(e-mail, banking, admin accounts); keep MFA on.
8. **Keep the evidence**: suspicious e-mails, ransom notes (photograph the screen), logs.
9. **Call legal counsel** if personal, health or card data may be involved: some \
notification deadlines are 72 hours.
10. **Tell staff what to do** with the staff notice, and nothing more for now.
"""

COMMUNICATION_TEMPLATES = """\
## Staff notice
We are dealing with an IT problem that may be a security incident. Until further notice: \
do not turn computers off, do not open unexpected attachments, report anything unusual to \
{incident lead} at {phone}, and do not discuss this outside the company or on social media.

## Customer notice (only after legal counsel has reviewed it)
On {date} we discovered a security incident affecting {systems}. We acted at once to \
contain it and are working with specialists. {What this means for you.} We will update you \
by {date}. Questions: {contact}.

## Bank and payment provider (phone script)
We may have a security incident. Please put a hold on outgoing payments from account \
{account} and confirm any payment instruction by calling {name} on {known number}.
"""


class IRPlanForm(forms.ModelForm):
    class Meta:
        model = IRPlan
        fields = ["owner", "reviewed_on", "first_hour_steps", "communication_templates"]
        labels = {"reviewed_on": "Last reviewed on"}
        widgets = {
            "reviewed_on": DATE,
            "first_hour_steps": forms.Textarea(attrs={"rows": 14}),
            "communication_templates": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {
            "first_hour_steps": "Markdown: a numbered list, one short step a line. The printed "
            "plan must fit one page, so keep to about ten steps.",
            "communication_templates": "Markdown: one “## heading” per message, with "
            "{placeholders} to fill in on the day.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()
        self.fields["owner"].label = "Plan owner"


class IRContactForm(forms.ModelForm):
    class Meta:
        model = IRContact
        fields = ["role", "name", "organisation", "phone", "email", "when_to_call", "order"]
        help_texts = {
            "when_to_call": "One line: when and why to call them.",
            "order": "Contacts are listed and printed in this order (1 first).",
        }


class TabletopForm(forms.ModelForm):
    class Meta:
        model = Tabletop
        fields = ["held_on", "scenario", "participants", "findings", "owner"]
        widgets = {
            "held_on": DATE,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "findings": "What went well and what did not (Markdown). Turn each gap into an "
            "action item on the exercise's page.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()


class TabletopActionForm(forms.ModelForm):
    class Meta:
        model = TabletopAction
        fields = ["tabletop", "title", "owner", "due_on", "done"]
        labels = {"tabletop": "Exercise", "title": "Action"}
        widgets = {"due_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tabletop"].queryset = Tabletop.objects.all()
        self.fields["owner"].queryset = Person.objects.all()


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "title",
            "detected_at",
            "severity",
            "status",
            "owner",
            "summary",
            "insurer_notified_at",
        ]
        labels = {"detected_at": "Detected at", "insurer_notified_at": "Insurer notified at"}
        widgets = {
            "detected_at": DATETIME,
            "insurer_notified_at": DATETIME,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "detected_at": "In the client's time zone.",
            "insurer_notified_at": "When the claims hotline was called; leave empty until then.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.all()
        self.fields["owner"].label = "Incident lead"


class IncidentEventForm(forms.ModelForm):
    class Meta:
        model = IncidentEvent
        fields = ["at", "entry"]
        labels = {"at": "When", "entry": "What happened or was done"}
        widgets = {"at": DATETIME, "entry": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"at": "In the client's time zone."}
