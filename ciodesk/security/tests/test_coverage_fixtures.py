"""Helpers of the coverage tests (no tests here): a fresh client and one-line imports."""

from __future__ import annotations

from pathlib import Path

from ciodesk.conftest import make_client
from ciodesk.core.scope import acting_as, scope
from ciodesk.security.models import (
    BackupRun,
    ClientControl,
    CoverageImport,
    CoverageMapping,
    DeviceRecord,
    Evidence,
    MfaAccount,
)
from ciodesk.security.services_coverage import Outcome, import_coverage
from ciodesk.tenancy.models import Person

FILES = Path(__file__).parent / "files" / "coverage"


def new_client(slug: str = "delta"):
    """A client of its own (America/Los_Angeles) with one person to own its controls."""
    with acting_as("test setup"):
        client = make_client(slug, "Delta Clinic")
        Person.objects.create(client=client, name="Dana Owner")
    return client


def load(client, name: str, kind: str, **options) -> Outcome:
    with acting_as("test"):
        return import_coverage(client, FILES / name, name, kind, **options)


def load_bytes(client, data: bytes, name: str, kind: str, **options) -> Outcome:
    with acting_as("test"):
        return import_coverage(client, data, name, kind, **options)


def control(client, key: str) -> ClientControl:
    with scope(client):
        return ClientControl.objects.select_related("definition").get(definition__key=key)


def evidence(client, key: str) -> list[Evidence]:
    with scope(client):
        return list(Evidence.objects.filter(control__definition__key=key))


def counts(client) -> dict[str, int]:
    models = (CoverageImport, MfaAccount, DeviceRecord, BackupRun, Evidence, CoverageMapping)
    with scope(client):
        return {model.__name__: model.objects.count() for model in models}
