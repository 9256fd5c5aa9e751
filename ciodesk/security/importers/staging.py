"""Uploads waiting for their column mapping: stored per client, never under a public URL.

    MEDIA_ROOT/clients/<client id>/coverage/staged-<token>.<ext>

A staged file is deleted once imported; one left behind for a day is deleted at the next
upload of the same client.
"""

from __future__ import annotations

import datetime
import re
import secrets
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from ciodesk.core.tabular import MAX_BYTES

EXTENSIONS = (".csv", ".xlsx", ".txt")
_KEY = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx|txt)$")


def folder(client) -> str:
    return f"clients/{int(client.pk)}/coverage"


def _name(client, key: str) -> str | None:
    if not _KEY.match(key or ""):
        return None
    return f"{folder(client)}/staged-{key}"


def stage(client, data: bytes, filename: str) -> str:
    """Keep an upload for the mapping page; returns its key (a token and the extension)."""
    _forget_old(client)
    suffix = PurePosixPath(filename.lower()).suffix
    key = secrets.token_hex(16) + (suffix if suffix in EXTENSIONS else ".csv")
    default_storage.save(f"{folder(client)}/staged-{key}", ContentFile(data))
    return key


def staged_bytes(client, key: str) -> bytes | None:
    """The staged file's bytes, or None when the key is malformed or the file is gone."""
    name = _name(client, key)
    if name is None or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def discard(client, key: str) -> None:
    name = _name(client, key)
    if name and default_storage.exists(name):
        default_storage.delete(name)


def _forget_old(client) -> None:
    try:
        _, files = default_storage.listdir(folder(client))
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - datetime.timedelta(days=1)
    for name in files:
        if not name.startswith("staged-"):
            continue
        path = f"{folder(client)}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (OSError, NotImplementedError):
            continue
