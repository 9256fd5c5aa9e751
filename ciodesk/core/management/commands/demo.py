import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

from ciodesk.core import demo
from ciodesk.core.scope import acting_as


class DemoContext:
    def __init__(self, password: str | None, stdout, style):
        self.password = password
        self.stdout = stdout
        self.style = style
        self.clients: dict[str, object] = {}
        self.new_users: list[str] = []
        self.kept_users: list[str] = []


class Command(BaseCommand):
    help = "Load the demo practice, its clients and users (running it twice changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo user (default: a random one, printed once; "
            "existing demo users keep theirs unless this is given).",
        )

    def handle(self, *args, password=None, **options):
        from django.apps import apps

        apps.get_app_configs()  # every app's ready() has registered its loader
        generated = password is None
        context = DemoContext(password or secrets.token_urlsafe(12), self.stdout, self.style)
        context.explicit_password = not generated
        steps = demo.loaders()
        with acting_as("ciodesk demo"), transaction.atomic():
            for index, (key, loader) in enumerate(steps, start=1):
                self.stdout.write(f"[{index}/{len(steps)}] {key} …")
                loader(context)
        self.stdout.write(self.style.SUCCESS("Demo loaded: http://127.0.0.1:8000/"))
        if context.new_users:
            self.stdout.write(f"New demo users: {', '.join(context.new_users)}")
            self.stdout.write(self.style.WARNING(f"Their password: {context.password}"))
        if context.kept_users and generated:
            self.stdout.write(
                "Existing demo users kept their password; "
                "`ciodesk demo --password NEW` sets a new one."
            )
        self.stdout.write("Practice users enrol an authenticator app at their first sign-in.")
