"""ciodesk import-spend --client SLUG [--format F] [--dates mdy|dmy] FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ciodesk.budget.importers import GENERIC, QBO, XERO, AlreadyImported, ImportFailed
from ciodesk.budget.importers import import_spend as run_import
from ciodesk.budget.importers.spend import FORMAT_NAMES
from ciodesk.budget.models import SpendColumnMapping, header_signature
from ciodesk.core.scope import acting_as, scope
from ciodesk.tenancy.models import Client
from ciodesk.vendors.management.commands.import_tickets import ProgressBar


class Command(BaseCommand):
    help = (
        "Import an accounting export into a client's IT spend: QuickBooks Online "
        "(Transaction Detail by Account or General Ledger) or Xero (Account Transactions), "
        "CSV or XLSX, recognised from its headers; another layout is read with the column "
        "mapping saved for its headers on the web import page (--format generic). A bad file "
        "writes nothing; lines already imported (the same file, or an overlapping export) "
        "are not added again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument(
            "--format",
            default="auto",
            choices=["auto", QBO, XERO, GENERIC],
            help="qbo, xero, or generic (the mapping saved for the file's headers); "
            "default: recognise QuickBooks or Xero from the headers",
        )
        parser.add_argument(
            "--dates",
            default="",
            choices=["", "mdy", "dmy"],
            help="how to read dates like 03/04/2026: mdy (March 4) or dmy (3 April); "
            "default: from the file, else month first for a client in USD",
        )
        parser.add_argument("file", help="the export, .csv or .xlsx")

    def handle(self, *args, client: str, file: str, **options):
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise CommandError(f"unknown client “{client}”", returncode=2)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"cannot read {file}: no such file", returncode=2)
        fmt = options["format"]
        mapping = None
        date_order = options["dates"]
        if fmt == GENERIC:
            mapping, saved_order = self._saved_mapping(target, path)
            date_order = date_order or saved_order
        bar = ProgressBar(self.stderr)
        try:
            with acting_as("ciodesk import-spend"):
                record = run_import(
                    target,
                    path,
                    filename=path.name,
                    fmt=fmt,
                    mapping=mapping,
                    date_order=date_order,
                    progress=bar,
                )
        except AlreadyImported as exc:
            bar.close()
            self.stdout.write(str(exc))
            return
        except ImportFailed as exc:
            bar.close()
            more = len(exc.errors) - 1
            suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
            raise CommandError(
                f"{path.name}: nothing imported: {exc}{suffix}", returncode=2
            ) from None
        bar.close()
        name = FORMAT_NAMES.get(record.source_format, "mapped columns")
        self.stdout.write(
            f"{path.name} ({name}): {record.rows_total:,} lines — {record.created_count:,} "
            f"added, {record.skipped_count:,} already there; {record.matched_count:,} of the "
            "new lines classified by the rules"
        )

    def _saved_mapping(self, client, path: Path) -> tuple[dict, str]:
        from ciodesk.budget.importers.ledger import read
        from ciodesk.budget.importers.spend import file_bytes

        try:
            table = read(file_bytes(path), path.name)
        except ImportFailed as exc:
            raise CommandError(f"{path.name}: nothing imported: {exc}", returncode=2) from None
        with scope(client):
            saved = SpendColumnMapping.objects.filter(
                headers_signature=header_signature(table.headers)
            ).first()
        if saved is None:
            raise CommandError(
                f"{path.name}: nothing imported: no column mapping is saved for these headers; "
                "import the file once on the web import page to map its columns",
                returncode=2,
            )
        return saved.mapping, saved.date_format
