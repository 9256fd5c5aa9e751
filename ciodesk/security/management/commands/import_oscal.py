"""ciodesk import-oscal FILE [--slug SLUG] [--licence TEXT]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ciodesk.security.oscal.catalog_import import import_catalog
from ciodesk.security.oscal.catalog_parse import CatalogProblem


class Command(BaseCommand):
    help = (
        "Import an OSCAL catalog (JSON or XML) as a reference framework with its official "
        "text, and print how many items of each kind are active and withdrawn. Importing the "
        "same file twice changes nothing; a newer version updates the framework in place. "
        "A bad file writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an OSCAL catalog, .json or .xml")
        parser.add_argument(
            "--slug", help="update (or create) the framework with this slug instead of guessing"
        )
        parser.add_argument("--licence", help="the licence to record (NIST's is recognised)")

    def handle(self, *args, file: str, slug: str | None, licence: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"cannot read {file}: no such file", returncode=2)
        try:
            result = import_catalog(path, path.name, slug=slug, licence=licence)
        except CatalogProblem as exc:
            raise CommandError(f"{path.name}: nothing imported: {exc}", returncode=2) from exc
        self.stdout.write(result.summary())
