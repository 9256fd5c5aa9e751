"""ciodesk import-coverage --client SLUG --kind mfa|rmm|edr|backup FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ciodesk.core.scope import acting_as
from ciodesk.security.importers import SPECS
from ciodesk.security.importers.common import CoverageFailed
from ciodesk.security.services_coverage import AlreadyImported, headline, import_coverage
from ciodesk.tenancy.models import Client


class Command(BaseCommand):
    help = (
        "Import a coverage export: mfa (Microsoft Entra user registration details), rmm (an "
        "RMM device list), edr (an EDR agent list) or backup (a backup job report), as CSV "
        "or XLSX. A file with unknown headers uses the column mapping saved for its headers "
        "on the web page. A bad file writes nothing; the same file twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument("--kind", required=True, choices=sorted(SPECS), help="what the file is")
        parser.add_argument(
            "--time-zone",
            default=None,
            help="zone of times written without an offset (default: the client's)",
        )
        parser.add_argument(
            "--day-first", action="store_true", help="dates like 03/11/2026 are day first"
        )
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")

    def handle(self, *args, client: str, kind: str, file: str, **options):
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise CommandError(f"unknown client “{client}”", returncode=2)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"cannot read {file}: no such file", returncode=2)
        try:
            with acting_as("ciodesk import-coverage"):
                outcome = import_coverage(
                    target,
                    path,
                    path.name,
                    kind,
                    time_zone=options["time_zone"],
                    day_first=options["day_first"],
                )
        except AlreadyImported as exc:
            self.stdout.write(str(exc))
            return
        except CoverageFailed as exc:
            shown = "; ".join(exc.errors[:20])
            more = f" (and {len(exc.errors) - 20} more)" if len(exc.errors) > 20 else ""
            raise CommandError(
                f"{path.name}: nothing imported: {shown}{more}", returncode=2
            ) from None
        record = outcome.record
        self.stdout.write(f"{path.name}: {record.get_kind_display()} imported: {headline(record)}")
        for note in outcome.notes:
            self.stdout.write(f"note: {note}")
