"""Forms for a control's status and its evidence, with the checks every evidence file passes.

Evidence files are shown to the client's members and sent to insurers, so an upload is
refused when it is too large (SECURITY_EVIDENCE_MAX_BYTES, 20 MB by default), when its
type is not a document, image or export, or when its content is really a web page or
script whatever its name says (an HTML file renamed .pdf would otherwise run in a
browser that sniffs it). Files are also always served as downloads with nosniff.
"""

from __future__ import annotations

import datetime
from pathlib import PurePath

from django import forms
from django.conf import settings

from ciodesk.security.models import ClientControl, Evidence
from ciodesk.tenancy.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# Extension → the content type the download is served with (never a type a browser renders
# as a page). Anything else is refused at upload.
SAFE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".txt": "text/plain; charset=utf-8",
    ".log": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/octet-stream",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".rtf": "application/rtf",
    ".msg": "application/vnd.ms-outlook",
    ".eml": "message/rfc822",
    ".zip": "application/zip",
}

# What a browser's content sniffing treats as HTML (the WHATWG MIME sniffing rules), plus
# SVG and XML, which can carry script too.
_MARKUP_STARTS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
    b"<?xml",
    b"<svg",
)
_MARKUP_ANYWHERE = (b"<script", b"<svg", b"<html", b"<iframe")
_TAG_ENDS = b" >\t\n\r\x0c/"


def max_bytes() -> int:
    return int(getattr(settings, "SECURITY_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def content_type_for(name: str) -> str:
    return SAFE_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")


def looks_like_markup(head: bytes) -> bool:
    """True when the first bytes of a file would be sniffed as HTML, SVG, XML or script."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip(b"\xfe\xff").lstrip(b"\xff\xfe")
    text = text.replace(b"\x00", b"")  # UTF-16 markup
    lowered = text.lstrip(b" \t\n\r\x0c").lower()
    for start in _MARKUP_STARTS:
        if lowered.startswith(start):
            rest = lowered[len(start) : len(start) + 1]
            if start in (b"<!--", b"<?xml") or not rest or rest in _TAG_ENDS:
                return True
    return any(marker in lowered[:4096] for marker in _MARKUP_ANYWHERE)


def check_evidence_file(upload) -> None:
    """Raise ValidationError with a message the user can act on; the file is left unread."""
    name = PurePath(upload.name or "").name
    limit = max_bytes()
    if upload.size > limit:
        raise forms.ValidationError(
            f"“{name}” is {upload.size / 1_048_576:.1f} MB; evidence files can be at most "
            f"{limit / 1_048_576:.0f} MB. Upload a smaller export or a link to the document."
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in SAFE_TYPES:
        allowed = ", ".join(sorted(s.lstrip(".") for s in SAFE_TYPES))
        raise forms.ValidationError(
            f"“{name}” is not a type ciodesk keeps as evidence. Use one of: {allowed}."
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    if looks_like_markup(head):
        raise forms.ValidationError(
            f"“{name}” contains a web page or script (HTML, SVG or JavaScript), whatever its "
            "name says. Save the page as PDF or take a screenshot, and upload that instead."
        )


class ControlStatusForm(forms.ModelForm):
    """The consultant's judgement of a control; "not applicable" needs its reason."""

    class Meta:
        model = ClientControl
        fields = ["status", "not_applicable_reason", "owner", "notes"]
        widgets = {
            "not_applicable_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"not_applicable_reason": "Why it does not apply"}
        help_texts = {
            "not_applicable_reason": "Required when the status is “Not applicable”: the "
            "reason is shown to anyone reading the posture (and insurers).",
            "status": "In place and partial count only while the newest evidence is younger "
            "than the control's interval.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Person.objects is scoped: this client's people and the practice's, nobody else's.
        self.fields["owner"].queryset = Person.objects.all()

    def clean(self):
        data = super().clean()
        status = data.get("status")
        reason = (data.get("not_applicable_reason") or "").strip()
        if status == ClientControl.Status.NOT_APPLICABLE and not reason:
            self.add_error(
                "not_applicable_reason", "Say why this control does not apply to the client."
            )
        elif status and status != ClientControl.Status.NOT_APPLICABLE:
            data["not_applicable_reason"] = ""
        else:
            data["not_applicable_reason"] = reason
        return data


EVIDENCE_KINDS = [
    (Evidence.Kind.FILE, "File (screenshot, report, export)"),
    (Evidence.Kind.LINK, "Link (to a document or console page)"),
    (Evidence.Kind.NOTE, "Note (what was checked and seen)"),
]
STATUS_AFTER = [
    ("", "Leave the status as it is"),
    (ClientControl.Status.IN_PLACE, "In place"),
    (ClientControl.Status.PARTIAL, "Partial"),
    (ClientControl.Status.NOT_IN_PLACE, "Not in place"),
]


class EvidenceForm(forms.Form):
    """New evidence for a control. ``can_set_status`` adds the status choice (practice)."""

    kind = forms.ChoiceField(choices=EVIDENCE_KINDS, initial=Evidence.Kind.FILE)
    title = forms.CharField(max_length=200, help_text="What this shows, in a few words.")
    file = forms.FileField(required=False, help_text="For a file: at most 20 MB.")
    url = forms.URLField(required=False, max_length=500, label="Link")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    verified_on = forms.DateField(
        widget=DATE, label="Verified on", help_text="The day it was checked."
    )
    status = forms.ChoiceField(
        choices=STATUS_AFTER, required=False, label="Then mark the control as"
    )

    def __init__(self, *args, today: datetime.date, can_set_status: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["verified_on"].initial = today
        self.fields["file"].help_text = f"For a file: at most {max_bytes() // 1_048_576} MB."
        if not can_set_status:
            del self.fields["status"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_evidence_file(upload)
        return upload

    def clean_verified_on(self):
        day = self.cleaned_data["verified_on"]
        if day > self.today:
            raise forms.ValidationError("Evidence cannot be verified in the future.")
        return day

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needed = {
            Evidence.Kind.FILE: ("file", "Choose the file to upload."),
            Evidence.Kind.LINK: ("url", "Enter the link."),
            Evidence.Kind.NOTE: ("note", "Write what was checked and what was seen."),
        }.get(kind)
        if needed and not data.get(needed[0]) and needed[0] not in self.errors:
            self.add_error(needed[0], needed[1])
        return data


class EvidenceEditForm(forms.ModelForm):
    """Correct an evidence item; a new file replaces the old one (checked like an upload)."""

    class Meta:
        model = Evidence
        fields = ["title", "file", "url", "note", "verified_on"]
        widgets = {"verified_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {"url": "Link", "verified_on": "Verified on"}

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.old_file = self.instance.file.name if self.instance.file else ""
        if self.instance.kind != Evidence.Kind.FILE:
            del self.fields["file"]
        else:
            self.fields["file"].help_text = "Choose a file only to replace the current one."
        # The content that makes each kind what it is stays required.
        self.fields["url"].required = self.instance.kind == Evidence.Kind.LINK
        self.fields["note"].required = self.instance.kind == Evidence.Kind.NOTE

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.name != self.old_file and hasattr(upload, "content_type"):
            check_evidence_file(upload)
        return upload

    def clean_verified_on(self):
        day = self.cleaned_data["verified_on"]
        if day > self.today:
            raise forms.ValidationError("Evidence cannot be verified in the future.")
        return day
