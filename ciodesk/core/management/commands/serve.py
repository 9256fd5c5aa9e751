import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run ciodesk in production: migrate (stop if that fails), collect static files, serve."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CIODESK_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3))
        )
        parser.add_argument("--skip-migrate", action="store_true")

    def handle(self, *args, bind, workers, skip_migrate, **options):
        if settings.DEBUG:
            self.stderr.write("Warning: DEBUG is on; production runs with DEBUG=0.")
        if not skip_migrate:
            try:
                call_command("migrate", interactive=False, verbosity=1)
            except Exception as exc:
                raise CommandError(f"Migration failed, not starting: {exc}") from exc
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "ciodesk.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"Serving on http://{bind}/ with {workers} workers")
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 — replaces this process with gunicorn
