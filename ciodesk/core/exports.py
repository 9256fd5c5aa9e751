"""CSV and XLSX downloads of any table, from the same columns the page shows."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from openpyxl import Workbook


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    link: bool = False


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | Decimal | datetime.date):
        return value
    return str(value)


def table_rows(columns: Sequence[Column], objects: Iterable[Any]) -> list[list[Any]]:
    return [[_plain(column.value(obj)) for column in columns] for obj in objects]


def export_response(
    fmt: str, filename: str, columns: Sequence[Column], objects: Iterable[Any]
) -> HttpResponse:
    headers = [c.header for c in columns]
    rows = table_rows(columns, objects)
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 correctly only with the byte-order mark
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(
                [v.isoformat(sep=" ") if isinstance(v, datetime.datetime) else v for v in row]
            )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("Export as csv or xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
