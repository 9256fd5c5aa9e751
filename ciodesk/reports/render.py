"""Rendering reports: the document templates (overridable from a data directory), the
practice's branding, and HTML → PDF with WeasyPrint.

Overriding a template: a file named ``qbr.html``, ``brief.html`` or ``dossier.html`` in the
report templates directory wins over the built-in ``reports/<kind>_doc.html``. The
directory is the setting ``REPORT_TEMPLATES_DIR`` when set, else the environment variable
``CIODESK_REPORT_TEMPLATES_DIR``, else ``<CIODESK_DATA_DIR>/report-templates``. The file is
a Django template like the built-in one: it may ``{% extends "reports/doc_base.html" %}``
or include the built-in partials, and receives the same context.

PDFs fetch nothing from outside: the logo is embedded as a data: URI and any other URL in
a template is refused.
"""

from __future__ import annotations

import base64
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import engines
from django.template.loader import get_template
from django.utils import timezone

KIND_FILES = {"brief": "brief.html", "qbr": "qbr.html", "dossier": "dossier.html"}
LETTER_ZONES = ("America/",)  # clients there get US Letter pages; everyone else A4


def templates_dir() -> Path:
    configured = getattr(settings, "REPORT_TEMPLATES_DIR", None) or os.environ.get(
        "CIODESK_REPORT_TEMPLATES_DIR"
    )
    return Path(configured) if configured else Path(settings.DATA_DIR) / "report-templates"


def document_template(kind: str):
    """The practice's own template for ``kind`` when there is one, else the built-in."""
    override = templates_dir() / KIND_FILES[kind]
    if override.is_file():
        return engines["django"].from_string(override.read_text(encoding="utf-8"))
    return get_template(f"reports/{kind}_doc.html")


def template_source(kind: str) -> str:
    """Where the template of ``kind`` comes from, for the report list's note."""
    override = templates_dir() / KIND_FILES[kind]
    return str(override) if override.is_file() else "built in"


# --- branding ----------------------------------------------------------------------------------


def logo_data_uri(practice) -> str:
    """The practice's logo as a data: URI ("" without a readable logo)."""
    if practice is None or not practice.logo:
        return ""
    try:
        with practice.logo.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    kind = mimetypes.guess_type(practice.logo.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def branding(client) -> dict[str, Any]:
    from ciodesk.tenancy.models import Practice

    practice = Practice.objects.order_by("pk").first()
    return {
        "practice": practice,
        "brand": (practice.brand_colour if practice else "") or "#1f4e79",
        "logo": logo_data_uri(practice),
        "page_size": "letter" if client.time_zone.startswith(LETTER_ZONES) else "A4",
        "generated_at": timezone.localtime(timezone.now(), client.tz),
    }


def render_document(kind: str, context: dict[str, Any]) -> str:
    """The document (the PDF's HTML) of ``kind``, rendered in the client's time zone."""
    client = context["client"]
    with timezone.override(client.tz):
        return document_template(kind).render({**branding(client), **context})


# --- PDF ------------------------------------------------------------------------------------------


def _fetch_nothing(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"Reports fetch nothing from outside: {url[:80]}")


@dataclass(frozen=True)
class Pdf:
    content: bytes
    pages: int


def layout(html: str):
    """WeasyPrint's laid-out document (its pages can be counted before writing)."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_fetch_nothing).render()


def to_pdf(html: str) -> Pdf:
    document = layout(html)
    return Pdf(document.write_pdf(), len(document.pages))
