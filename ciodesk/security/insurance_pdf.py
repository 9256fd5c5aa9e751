"""The broker's evidence pack: the readiness answers as a PDF (WeasyPrint).

Cover (client, policy, renewal date, date produced), the answers table, the gaps, and an
appendix listing every evidence item the answers rest on with its date and who verified
it. Rendered from a template of its own so the pack prints the same whatever the page's
styles; the CSS lives in the template (no static files to fetch).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from ciodesk.security.services_insurance import Readiness


def evidence_pack(client, readiness: Readiness, practice=None) -> bytes:
    from weasyprint import HTML

    produced = timezone.localtime(timezone.now(), client.tz)
    html = render_to_string(
        "security/insurance_pdf.html",
        {
            "client": client,
            "practice": practice,
            "readiness": readiness,
            "produced": produced,
            "produced_on": produced.date(),
        },
    )
    return HTML(string=html).write_pdf()
