"""ciodesk import-licences --client SLUG [--kind m365|saas] [--app NAME] [--map F=H] FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ciodesk.budget.importers.licences import (
    M365,
    SAAS,
    SAAS_LABELS,
    NeedsMapping,
    import_licences,
)
from ciodesk.core.scope import acting_as
from ciodesk.tenancy.models import Client


def parse_maps(values: list[str], fields) -> dict[str, str]:
    """["email=User Email", …] → {"email": "user_email"} (headers as ciodesk normalises them)."""
    from ciodesk.core.tabular import normalise_header

    mapping = {}
    for value in values:
        name, sep, header = value.partition("=")
        name = name.strip()
        if not sep or name not in fields or not header.strip():
            known = ", ".join(fields)
            raise CommandError(
                f"--map {value}: write FIELD=Header with FIELD one of {known}", returncode=2
            )
        mapping[name] = normalise_header(header)
    return mapping


class Command(BaseCommand):
    help = (
        "Import a Microsoft 365 “Active users” report (--kind m365, the default) or a SaaS "
        "user list (--kind saas: e-mail, licence, last used; --app names the application when "
        "the file has no application column; --map email=Header maps unrecognised columns). "
        "A bad file writes nothing; importing the same file twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument("--kind", default=M365, choices=[M365, SAAS])
        parser.add_argument("--app", default="", help="the SaaS application the list is from")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help=f"SaaS lists: the column of a field ({', '.join(SAAS_LABELS)}); repeatable",
        )
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")

    def handle(self, *args, client: str, file: str, kind: str, app: str, **options):
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise CommandError(f"unknown client “{client}”", returncode=2)
        mapping = parse_maps(options["map"], SAAS_LABELS) or None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"cannot read {file}: no such file", returncode=2)
        try:
            with acting_as("ciodesk import-licences"):
                result = import_licences(
                    target, path, path.name, kind=kind, app_name=app, mapping=mapping
                )
        except NeedsMapping as exc:
            raise CommandError(
                f"{path.name}: nothing imported: {exc} with --map "
                + " ".join(f"{m}=HEADER" for m in exc.missing),
                returncode=2,
            ) from exc
        if not result.ok:
            shown = "; ".join(result.errors[:20])
            more = f" (and {len(result.errors) - 20} more)" if len(result.errors) > 20 else ""
            raise CommandError(f"{path.name}: nothing imported: {shown}{more}", returncode=2)
        self.stdout.write(result.summary())
