import getpass

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ciodesk.tenancy.models import Practice, PracticeMembership


class Command(BaseCommand):
    help = "Create the practice lead (or make an existing user the lead)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Full name")
        parser.add_argument("--practice", help="Name of the practice (first run)")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input"
        )

    def handle(self, email, name, practice, password_stdin, **options):
        User = get_user_model()
        email = email.strip().lower()
        user = User.objects.filter(email=email).first()
        password = None
        if user is None:
            password = (
                input().strip() if password_stdin else getpass.getpass(f"Password for {email}: ")
            )
            try:
                password_validation.validate_password(password, User(email=email))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(email, password=password, full_name=name)
            PracticeMembership.objects.update_or_create(user=user, defaults={"role": "lead"})
            current = Practice.current()
            if practice:
                current.name = practice
                current.save()
        self.stdout.write(
            self.style.SUCCESS(f"{email} is the lead of {current.name}. ")
            + "Sign in and enrol an authenticator app."
        )
