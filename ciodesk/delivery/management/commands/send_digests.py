"""ciodesk send-digests [--dry-run] [--practice-only | --clients-only] [--user EMAIL ...]

Run it weekly from a scheduler (cron: ``0 7 * * MON ciodesk send-digests``). Mail goes
through SMTP when EMAIL_HOST is set (EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
EMAIL_USE_TLS, EMAIL_USE_SSL, DEFAULT_FROM_EMAIL), else to the console.
"""

from __future__ import annotations

import smtplib

from django.core.management.base import BaseCommand, CommandError

from ciodesk.delivery.services_digest import send_digests


class Command(BaseCommand):
    help = (
        "E-mail the weekly digest: to each practice user what needs them across their "
        "clients, to each client executive the decisions waiting and the highlights. Users "
        "who switched the digest off, and digests with nothing in them, are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list who would receive what; send nothing"
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--practice-only", action="store_true", help="only the practice's users")
        group.add_argument("--clients-only", action="store_true", help="only the client executives")
        parser.add_argument(
            "--user",
            action="append",
            default=[],
            metavar="EMAIL",
            help="only this user (repeatable)",
        )

    def handle(self, *args, dry_run=False, practice_only=False, clients_only=False, **options):
        users = options["user"]
        try:
            outcome = send_digests(
                practice=not clients_only,
                executives=not practice_only,
                dry_run=dry_run,
                only=users,
            )
        except (smtplib.SMTPException, OSError) as exc:
            raise CommandError(f"cannot reach the mail server: {exc}", returncode=1) from exc
        verb = "Would send" if dry_run else "Sent"
        for address, subject in outcome.sent:
            self.stdout.write(f"{verb} to {address}: {subject}")
        for address, reason in outcome.failed:
            self.stderr.write(f"Not sent to {address}: {reason}")
        self.stdout.write(
            f"{verb} {len(outcome.sent)} digest{'s' if len(outcome.sent) != 1 else ''}; "
            f"skipped {len(outcome.opted_out)} switched off, {len(outcome.empty)} with nothing "
            "to report."
        )
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} digest(s) could not be sent", returncode=1)
