"""Reading an export as rows of cells: CSV in any common encoding and delimiter, or XLSX.

Rows are streamed and can be read more than once (the importer checks the whole file
before it writes). A file that is not a table fails at once with a plain reason: binary
data is recognised in its first 64 KB, long before a 10 MB file has been read.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import itertools
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ciodesk.vendors.importers.tickets.errors import ImportFailed

HEAD = 64 * 1024
CHUNK = 1 << 20
DELIMITERS = (",", ";", "\t", "|")
NOT_A_TABLE = (
    "This is not a CSV or XLSX file ({what}). Export the tickets from the PSA as CSV or "
    "XLSX and upload that file."
)

Source = str | os.PathLike | IO[bytes]


class Table:
    """One export: its headers, and its data rows as (row number, cells), row 1 = first line.

    Cells are text, except that XLSX date cells stay datetime objects.
    """

    kind: str = ""
    headers: list[str]
    header_row: int
    sha256: str
    size: int

    def __init__(self, path: Path, size: int, sha256: str, cleanup: bool):
        self.path = path
        self.size = size
        self.sha256 = sha256
        self._cleanup = cleanup
        self._fraction = 0.0
        self.headers = []
        self.header_row = 0

    def rows(self) -> Iterator[tuple[int, list[Any]]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def fraction_read(self) -> float:
        """How far the current pass over the rows has got, 0–1 (for progress estimates)."""
        return self._fraction

    def preview(self, limit: int = 20) -> list[list[str]]:
        out = []
        for _, cells in self.rows():
            out.append([_display(c) for c in cells])
            if len(out) >= limit:
                break
        return out

    def close(self) -> None:
        if self._cleanup:
            self.path.unlink(missing_ok=True)
            self._cleanup = False

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _display(cell: Any) -> str:
    if isinstance(cell, datetime.datetime):
        return cell.isoformat(sep=" ")
    return str(cell)


class CsvTable(Table):
    kind = "csv"

    def __init__(self, path, size, sha256, cleanup, encoding: str):
        super().__init__(path, size, sha256, cleanup)
        self.encoding = encoding
        self._raw: IO[bytes] | None = None
        self.delimiter = ","
        self._skip_sep_line = False
        self._find_headers()

    def _find_headers(self) -> None:
        with open(self.path, "rb") as raw:
            head = raw.read(HEAD).decode(self.encoding, errors="replace")
        first = next((line for line in head.splitlines() if line.strip()), "")
        if first.lower().startswith("sep=") and len(first.strip()) == 5:
            # Excel's hint line: "sep=;" names the delimiter, the headers follow.
            self.delimiter = first.strip()[4]
            self._skip_sep_line = True
        else:
            counts = {d: first.count(d) for d in DELIMITERS}
            best = max(counts, key=lambda d: counts[d])
            self.delimiter = best if counts[best] else ","
        for number, cells in self._records():
            if self._skip_sep_line and number == 1:
                continue
            if any(str(c).strip() for c in cells):
                self.headers = [c.strip() for c in cells]
                self.header_row = number
                return
        raise ImportFailed(["The file is empty: it has no header row and no tickets."])

    def _records(self, after: int = 0) -> Iterator[tuple[int, list[str]]]:
        return self.records_between(0, None, skip=after)

    def records_between(
        self, start: int, end: int | None, skip: int = 0
    ) -> Iterator[tuple[int, list[str]]]:
        """Records from byte `start` to byte `end` (a record boundary, see split_point),
        numbered from 1 at `start`, the first `skip` of them left out."""
        with open(self.path, "rb") as raw:
            raw.seek(start)
            stream = raw if end is None else io.BufferedReader(_Slice(raw, end - start), CHUNK)
            text = io.TextIOWrapper(stream, encoding=self.encoding, errors="strict", newline="")
            reader = csv.reader(text, delimiter=self.delimiter)
            self._raw = raw
            try:
                for _ in itertools.islice(reader, skip):
                    pass
                yield from enumerate(reader, skip + 1)
            except csv.Error as exc:
                raise ImportFailed(
                    [
                        f"line {reader.line_num}: the CSV cannot be read ({exc}). Is this "
                        "really a CSV export?"
                    ]
                ) from None
            except UnicodeDecodeError:
                raise ImportFailed(
                    [
                        f"line {reader.line_num + 1}: the text is not {self.encoding}: export "
                        "the file again as CSV (UTF-8)."
                    ]
                ) from None
            finally:
                self._raw = None

    def split_point(self) -> int | None:
        """A byte offset near the middle where a record starts: just after a line end
        with an even number of quote characters before it (so not inside a field)."""
        middle = self.size // 2
        if middle <= HEAD or self.encoding == "utf-16":
            return None
        quotes = 0
        with open(self.path, "rb") as raw:
            left = middle
            while left > 0 and (chunk := raw.read(min(CHUNK, left))):
                quotes += chunk.count(b'"')
                left -= len(chunk)
            window = raw.read(CHUNK)
        position = 0
        while (line_end := window.find(b"\n", position)) >= 0:
            quotes += window.count(b'"', position, line_end)
            if quotes % 2 == 0:
                split = middle + line_end + 1
                return split if split < self.size else None
            position = line_end + 1
        return None

    def fraction_read(self) -> float:
        raw = self._raw
        if raw is None or not self.size:
            return 1.0
        try:
            return min(raw.tell() / self.size, 1.0)
        except (OSError, ValueError):
            return 0.0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        return self._records(after=self.header_row)


class XlsxTable(Table):
    kind = "xlsx"

    def __init__(self, path, size, sha256, cleanup):
        super().__init__(path, size, sha256, cleanup)
        for number, cells in self._records():
            if any(str(c).strip() for c in cells):
                self.headers = [str(c).strip() for c in cells]
                self.header_row = number
                return
        raise ImportFailed(["The workbook's first sheet is empty: no header row, no tickets."])

    def _records(self) -> Iterator[tuple[int, list[Any]]]:
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # zipfile, XML and openpyxl errors alike
            raise ImportFailed(
                [
                    f"This .xlsx workbook cannot be read ({type(exc).__name__}). Save it again "
                    "from Excel, or export the tickets as CSV."
                ]
            ) from None
        try:
            if not book.worksheets:
                return
            sheet = book.worksheets[0]
            total = sheet.max_row or 0
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if total and number % 1024 == 0:
                    self._fraction = min(number / total, 1.0)
                yield number, [_cell(v) for v in values]
            self._fraction = 1.0
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ImportFailed(
                [
                    f"This .xlsx workbook cannot be read ({exc}). Save it again from Excel, or "
                    "export the tickets as CSV."
                ]
            ) from None
        finally:
            book.close()

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        for number, cells in self._records():
            if number > self.header_row:
                yield number, cells


class _Slice(io.RawIOBase):
    """At most `size` bytes of a file, from where it stands."""

    def __init__(self, raw: IO[bytes], size: int):
        self.raw = raw
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.left <= 0:
            return 0
        view = memoryview(buffer)[: min(len(buffer), self.left)]
        got = self.raw.readinto(view) or 0
        self.left -= got
        return got


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if value.__class__ is str:
        return value
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _local_copy(source: Source) -> tuple[Path, bool]:
    """A path to read the source from, and whether it is a temporary copy to delete."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise ImportFailed([f"Cannot read {path}: no such file."])
        if not os.access(path, os.R_OK):
            raise ImportFailed([f"Cannot read {path}: permission denied."])
        return path, False
    temporary = getattr(source, "temporary_file_path", None)
    if callable(temporary):
        return Path(temporary()), False
    if hasattr(source, "seek"):
        source.seek(0)
    handle = tempfile.NamedTemporaryFile(prefix="ciodesk-import-", delete=False)  # noqa: SIM115
    with handle:
        shutil.copyfileobj(source, handle, CHUNK)
    return Path(handle.name), True


def _fingerprint(path: Path, check_utf8: bool) -> tuple[str, int, bool]:
    """sha256, size, and whether the whole file is valid UTF-8 — in one read."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")() if check_utf8 else None
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            digest.update(chunk)
            if decoder is not None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    decoder = None
                    check_utf8 = False
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            check_utf8 = False
    return digest.hexdigest(), size, check_utf8


def _is_cp1252(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("cp1252")()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    return True


def open_table(source: Source) -> Table:
    """Open an export for reading. Raises ImportFailed when it is not a readable table."""
    path, cleanup = _local_copy(source)
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD)
        if not head.strip(b" \t\r\n\xef\xbb\xbf"):
            raise ImportFailed(["The file is empty: it has no header row and no tickets."])
        if head.startswith(b"PK\x03\x04"):
            sha, size, _ = _fingerprint(path, check_utf8=False)
            return XlsxTable(path, size, sha, cleanup)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportFailed(
                ["This is an old Excel .xls workbook: save it as .xlsx or CSV and upload that."]
            )
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            sha, size, _ = _fingerprint(path, check_utf8=False)
            return CsvTable(path, size, sha, cleanup, "utf-16")
        if b"\x00" in head:
            raise ImportFailed([NOT_A_TABLE.format(what="it holds binary data")])
        if head.startswith(b"%PDF"):
            raise ImportFailed([NOT_A_TABLE.format(what="it is a PDF")])
        sha, size, utf8 = _fingerprint(path, check_utf8=True)
        if utf8:
            encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        elif _is_cp1252(path):
            encoding = "cp1252"
        else:
            raise ImportFailed(
                [NOT_A_TABLE.format(what="its text is neither UTF-8 nor Windows-1252")]
            )
        return CsvTable(path, size, sha, cleanup, encoding)
    except BaseException:
        if cleanup:
            path.unlink(missing_ok=True)
        raise
