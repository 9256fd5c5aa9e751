"""ciodesk report --client SLUG --kind brief|qbr|dossier --format pdf|html [--period 2026Q3]
-o FILE"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ciodesk.core.scope import acting_as
from ciodesk.reports import documents
from ciodesk.reports.periods import PeriodError, last_ended_quarter, parse_period
from ciodesk.reports.sections import KINDS, QBR
from ciodesk.tenancy.models import Client

FORMATS = ("pdf", "html")


def bad(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def writable_target(text: str) -> Path:
    """The output path, checked before any work: its folder exists and may be written."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise bad(f"cannot write {text}: it is a folder")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise bad(f"cannot write {text}: no folder {folder}")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise bad(f"cannot write {text}: permission denied")
    return path


class Command(BaseCommand):
    help = (
        "Write a client's one-page executive brief, QBR / board report or dossier as PDF or "
        "HTML. Periods are the client's fiscal quarters (2026Q3); a QBR without --period "
        "covers the last quarter that has ended. Bad input exits with status 2 and writes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument("--kind", required=True, help="brief, qbr or dossier")
        parser.add_argument("--format", dest="fmt", default="pdf", help="pdf (default) or html")
        parser.add_argument("--period", help="for a QBR: the fiscal quarter, e.g. 2026Q3")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args, client: str, kind: str, fmt: str, period, output: str, **options):
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise bad(f"unknown client “{client}”")
        if kind not in KINDS:
            raise bad(f"unknown kind “{kind}”: use brief, qbr or dossier")
        if fmt not in FORMATS:
            raise bad(f"unknown format “{fmt}”: use pdf or html")
        quarter = None
        if kind == QBR:
            try:
                quarter = parse_period(period, target) if period else last_ended_quarter(target)
            except PeriodError as exc:
                raise bad(str(exc)) from exc
        elif period:
            raise bad("--period applies to --kind qbr only")
        path = writable_target(output)

        with acting_as("ciodesk report"):
            if fmt == "pdf":
                pdf = documents.document_pdf(kind, target, quarter, self._progress)
                content, pages = pdf.content, pdf.pages
            else:
                html = documents.document_html(kind, target, quarter, self._progress)
                content, pages = html.encode("utf-8"), None
        self._clear_progress()
        self._write(path, content)
        what = f"{kind}" + (f" {quarter.key}" if quarter else "")
        more = f", {pages} page{'s' if pages != 1 else ''}" if pages is not None else ""
        self.stdout.write(f"Wrote {path} ({what} of {target.slug}{more})")

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        """Write next to the target, then rename: the file is whole or not there at all."""
        handle, temporary = tempfile.mkstemp(prefix=".report-", dir=path.parent or Path("."))
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _progress(self, percent: int, step: str) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{percent:3d} %  {step[:60]:<60}")
            sys.stderr.flush()

    def _clear_progress(self) -> None:
        if sys.stderr.isatty():
            sys.stderr.write("\r" + " " * 70 + "\r")
