"""The `ciodesk` command: Django's management commands plus ciodesk's own.

    ciodesk demo [--password PW]   load the demo practice (idempotent)
    ciodesk serve                  production server (migrates first; stops if that fails)
    ciodesk runserver              development server
    ciodesk db_worker              background worker (imports, reports)
    ciodesk import-tickets ...     an MSP's ticket export (see --help)
    ciodesk sla ... --json         SLA scorecard computed from the raw tickets
    ciodesk renewals --json        contracts by notice deadline
    ciodesk help                   every command

Hyphenated names map to Django's underscored command names.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciodesk.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        # `ciodesk import-tickets` runs the management command `import_tickets`.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["ciodesk", *args])


if __name__ == "__main__":
    main()
