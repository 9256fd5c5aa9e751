"""The `ciodesk` command: Django's management commands plus ciodesk's own.

ciodesk demo            load the demo practice (idempotent)
ciodesk serve           production server (migrates first; stops if that fails)
ciodesk runserver       development server
ciodesk help            every command
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciodesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ciodesk", *sys.argv[1:]])


if __name__ == "__main__":
    main()
