"""ciodesk import-contracts --client SLUG FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ciodesk.core.scope import acting_as
from ciodesk.tenancy.models import Client
from ciodesk.vendors.importers.contracts import import_contracts


class Command(BaseCommand):
    help = (
        "Import contracts from a CSV or XLSX file with the columns vendor, contract, start_date, "
        "end_date, auto_renew, renewal_term_months, notice_days, annual_value, currency. "
        "A bad file writes nothing; importing the same file twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")

    def handle(self, *args, client: str, file: str, **options):
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise CommandError(f"unknown client “{client}”", returncode=2)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"cannot read {file}: no such file", returncode=2)
        with acting_as("ciodesk import-contracts"):
            result = import_contracts(target, path, path.name)
        if not result.ok:
            shown = "; ".join(result.errors[:20])
            more = f" (and {len(result.errors) - 20} more)" if len(result.errors) > 20 else ""
            raise CommandError(f"{path.name}: nothing imported: {shown}{more}", returncode=2)
        self.stdout.write(result.summary())
