"""Uploaded files waiting for their import: stored per client, never under a public URL.

    MEDIA_ROOT/clients/<client id>/<folder>/staged-<token>.<ext>   uploaded, not yet imported
    MEDIA_ROOT/clients/<client id>/<folder>/<kind>-<pk>.<ext>      the file an import read

A staged file waits for its column mapping; one left behind for a day is deleted at the
next upload. Files are served only by views that check the membership. Each importer
(tickets, ledgers, licences, devices) has one ``Staging`` with its folder, extensions and
size limit.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Callable
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.utils import timezone

KEEP_STAGED = datetime.timedelta(days=1)


class Staging:
    def __init__(
        self,
        subfolder: str,
        extensions: tuple[str, ...],
        max_bytes: int,
        refuse: Callable[[str], Exception],
    ):
        self.subfolder = subfolder
        self.extensions = extensions
        self.max_bytes = max_bytes
        self.refuse = refuse  # makes the importer's own error from a one-line reason
        suffixes = "|".join(re.escape(e.lstrip(".")) for e in extensions)
        self._key = re.compile(rf"^[0-9a-f]{{32}}\.({suffixes})$")

    def folder(self, client) -> str:
        return f"clients/{int(client.pk)}/{self.subfolder}"

    def extension(self, filename: str) -> str:
        suffix = PurePosixPath(filename.lower()).suffix
        return suffix if suffix in self.extensions else self.extensions[0]

    def stage(self, client, uploaded) -> str:
        """Store an uploaded file for this client; returns its key (token and extension)."""
        if uploaded.size > self.max_bytes:
            raise self.refuse(f"the file is larger than {self.max_bytes // (1024 * 1024)} MB")
        self.forget_old(client)
        key = secrets.token_hex(16) + self.extension(uploaded.name)
        default_storage.save(f"{self.folder(client)}/staged-{key}", uploaded)
        return key

    def staged_name(self, client, key: str) -> str | None:
        """The storage name of a staged upload, if the key is well formed and it exists."""
        if not self._key.match(key or ""):
            return None
        name = f"{self.folder(client)}/staged-{key}"
        return name if default_storage.exists(name) else None

    def read(self, client, key: str) -> bytes | None:
        """The staged file's bytes (up to one more than the limit), or None when it is gone."""
        name = self.staged_name(client, key)
        if name is None:
            return None
        with default_storage.open(name, "rb") as handle:
            return handle.read(self.max_bytes + 1)

    def discard(self, client, key: str) -> None:
        name = self.staged_name(client, key)
        if name:
            default_storage.delete(name)

    def forget_old(self, client) -> None:
        try:
            _, files = default_storage.listdir(self.folder(client))
        except FileNotFoundError:
            return
        cutoff = timezone.now() - KEEP_STAGED
        for name in files:
            if name.startswith("staged-"):
                path = f"{self.folder(client)}/{name}"
                try:
                    if default_storage.get_modified_time(path) < cutoff:
                        default_storage.delete(path)
                except (OSError, NotImplementedError):
                    continue

    def kept_name(self, record, kind: str, key_or_name: str) -> str:
        """Where the file of an import record is kept once its import has started."""
        return f"clients/{int(record.client_id)}/{self.subfolder}/{kind}-{int(record.pk)}" + (
            self.extension(key_or_name)
        )

    def stored_file(self, record, kind: str) -> str | None:
        """The storage name of the file an import record read, if it is still kept."""
        for ext in self.extensions:
            name = f"clients/{int(record.client_id)}/{self.subfolder}/{kind}-{int(record.pk)}{ext}"
            if default_storage.exists(name):
                return name
        return None


def kept_file_response(request, name: str | None, filename: str):
    """The file an import read, as a download: for views that have checked the membership
    (never served from MEDIA_URL)."""
    if name is None:
        raise Http404("The file of this import is no longer kept")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename)
