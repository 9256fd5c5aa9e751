"""ciodesk import-devices --client SLUG [--format F] [--map FIELD=HEADER …] FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ciodesk.budget.importers.devices import AUTO, FIELDS, FORMATS, NeedsMapping, import_devices
from ciodesk.budget.management.commands.import_licences import parse_maps
from ciodesk.core.scope import acting_as
from ciodesk.tenancy.models import Client


class Command(BaseCommand):
    help = (
        "Import an RMM device export (NinjaOne, Datto RMM, N-able N-sight / N-central), "
        "recognised from its headers; another layout needs --map name=Header (and the other "
        "fields it has). A bad file writes nothing; a device already on file (same serial "
        "number, else same name) is updated; importing the same file twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument("--format", default=AUTO, choices=[AUTO, *FORMATS])
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help=f"the column of a field ({', '.join(FIELDS)}); repeatable",
        )
        parser.add_argument("file", help="the export, .csv (UTF-8) or .xlsx")

    def handle(self, *args, client: str, file: str, **options):
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise CommandError(f"unknown client “{client}”", returncode=2)
        mapping = parse_maps(options["map"], FIELDS) or None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"cannot read {file}: no such file", returncode=2)
        try:
            with acting_as("ciodesk import-devices"):
                result = import_devices(
                    target, path, path.name, fmt=options["format"], mapping=mapping
                )
        except NeedsMapping as exc:
            raise CommandError(
                f"{path.name}: nothing imported: {exc} with --map name=HEADER "
                f"(headers: {', '.join(h for h in exc.headers if h)})",
                returncode=2,
            ) from exc
        if not result.ok:
            shown = "; ".join(result.errors[:20])
            more = f" (and {len(result.errors) - 20} more)" if len(result.errors) > 20 else ""
            raise CommandError(f"{path.name}: nothing imported: {shown}{more}", returncode=2)
        self.stdout.write(result.summary())
