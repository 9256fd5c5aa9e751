"""ciodesk import-tickets --client SLUG --vendor NAME [--format F] [--timezone TZ] FILE"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from ciodesk.core.scope import acting_as, scope
from ciodesk.tenancy.models import Client
from ciodesk.vendors.importers.tickets import (
    FORMATS,
    ImportFailed,
    import_tickets,
    unchanged_count,
)
from ciodesk.vendors.importers.tickets.parsing import zone_named
from ciodesk.vendors.models import Vendor


def _plain(text: str) -> str:
    return text


class ProgressBar:
    """A one-line bar on stderr for imports that take more than a second.

    On a terminal it is redrawn in place at most twice a second; into a file or a pipe, a
    line every five seconds. Each row counts twice (checked, then written): the bar says
    "checking" up to half way and "writing" after.
    """

    WIDTH = 30

    def __init__(self, out: OutputWrapper):
        self.out = out
        self.live = out.isatty()
        self.every = 0.5 if self.live else 5.0
        self.started = time.monotonic()
        self.last = self.started
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < 1.0 or now - self.last < self.every:
            return
        self.last = now
        total = max(total, 1)
        share = min(done / total, 1.0)
        filled = int(share * self.WIDTH)
        half = total // 2
        phase, rows = ("checking", done) if done < half else ("writing", done - half)
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%} "
            f"{phase} {min(rows, half):,} of ~{half:,} rows"
        )
        self.out.write(
            ("\r" + line) if self.live else line,
            style_func=_plain,  # not in the red of error messages
            ending="" if self.live else "\n",
        )
        self.out.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn and self.live:
            self.out.write("", style_func=_plain, ending="\n")


class Command(BaseCommand):
    help = (
        "Import an MSP's ticket export (ConnectWise PSA, Autotask, HaloPSA, Syncro or "
        "Freshservice; CSV or XLSX). The format is recognised from the headers unless "
        "--format names it. Timestamps without an offset are read in --timezone (default: "
        "the client's). A bad file writes nothing; tickets already imported are updated by "
        "their number, so importing the same file twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument("--vendor", required=True, help="the vendor's name (the MSP)")
        parser.add_argument(
            "--format",
            default="auto",
            choices=["auto", *FORMATS],
            help="the PSA that wrote the file (default: recognise it from the headers)",
        )
        parser.add_argument(
            "--timezone",
            default=None,
            help="time zone of timestamps without an offset, e.g. America/Los_Angeles",
        )
        parser.add_argument("file", help="the export, .csv or .xlsx")

    def handle(self, *args, client: str, vendor: str, file: str, **options):
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise CommandError(f"unknown client “{client}”", returncode=2)
        with scope(target):
            found = Vendor.objects.filter(name__iexact=vendor.strip()).first()
        if found is None:
            raise CommandError(f"{target.slug} has no vendor named “{vendor}”", returncode=2)
        zone = options["timezone"]
        if zone:
            try:
                zone_named(zone)
            except ValueError as exc:
                raise CommandError(str(exc), returncode=2) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"cannot read {file}: no such file", returncode=2)
        bar = ProgressBar(self.stderr)
        try:
            with acting_as("ciodesk import-tickets"):
                result = import_tickets(
                    target,
                    found,
                    path,
                    filename=path.name,
                    fmt=options["format"],
                    time_zone=zone,
                    progress=bar,
                )
        except ImportFailed as exc:
            bar.close()
            more = len(exc.errors) - 1
            suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
            raise CommandError(
                f"{path.name}: nothing imported: {exc}{suffix}", returncode=2
            ) from None
        bar.close()
        known = FORMATS.get(result.source_format)
        self.stdout.write(
            f"{path.name} ({known.label if known else result.source_format}): "
            f"{result.rows_total:,} tickets — {result.created_count:,} created, "
            f"{result.updated_count:,} updated, {unchanged_count(result):,} unchanged"
        )
