"""ciodesk export-oscal --client SLUG -o FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ciodesk.security.oscal.assessment_results import build_assessment_results, render_json
from ciodesk.tenancy.models import Client


class Command(BaseCommand):
    help = (
        "Write a client's control state as an OSCAL assessment-results document (JSON, "
        "OSCAL 1.1.3): one finding per control, one observation per evidence item, the open "
        "risks. Use -o - to write to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument("-o", "--output", required=True, help="the file to write, or -")

    def handle(self, *args, client: str, output: str, **options):
        target = Client.objects.filter(slug=client).first()
        if target is None:
            raise CommandError(f"unknown client “{client}”", returncode=2)
        text = render_json(build_assessment_results(target))
        if output == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"cannot write {output}: no such folder", returncode=2)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                f"cannot write {output}: {exc.strerror or exc}", returncode=2
            ) from exc
        findings = text.count('"target-id"')
        self.stdout.write(f"{path}: assessment results of {target.name}, {findings} findings")
