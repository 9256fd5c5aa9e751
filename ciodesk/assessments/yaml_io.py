"""Assessment templates as YAML: the one format for the built-in template, exports and imports.

``parse(text)`` reads a file with ``yaml.safe_load`` and validates all of it before anything
is written, collecting every problem with the path at fault
(``domains[3].questions[2].kind: must be one of yes_no, choice, number, text``).
``dump(spec)`` writes the canonical form: fixed key order, empty optional fields left out,
so that exporting, importing and exporting again gives the same text byte for byte.

The shape::

    format: ciodesk-assessment-template/1
    slug: ciodesk-baseline
    version: 1
    name: ciodesk baseline IT assessment
    description: …
    domains:
    - key: identity
      title: Accounts and sign-in
      questions:
      - key: mfa-email
        text: Is multi-factor sign-in enforced for every mailbox?
        kind: yes_no            # yes_no | choice | number | text
        weight: 5               # 0–10
        insurance_critical: true
        controls: [mfa-email]   # baseline control keys it informs
        choices: [{value: …, label: …, score: 0–1}]   # choice questions only
        bands: [{min: 0, max: 10, score: 1}]           # number questions only
        finding: {title: …, risk: …, recommendation: …, disposition: fix,
                  cost_low: 0, cost_high: 2000}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

FORMAT = "ciodesk-assessment-template/1"
KINDS = ["yes_no", "choice", "number", "text"]
DISPOSITIONS = ["fix", "fund", "defer", "retire"]
SLUG = re.compile(r"^[-a-z0-9_]+$")
MAX_WEIGHT = 10
MAX_ERRORS = 50


class TemplateProblem(ValueError):
    """The file is not a valid template; ``errors`` lists every problem with its path."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors[:5]) + (" …" if len(errors) > 5 else ""))


@dataclass
class FindingSpec:
    title: str = ""
    risk: str = ""
    recommendation: str = ""
    disposition: str = "fix"
    cost_low: Decimal | None = None
    cost_high: Decimal | None = None


@dataclass
class QuestionSpec:
    key: str
    text: str
    kind: str = "yes_no"
    help: str = ""
    weight: int = 1
    insurance_critical: bool = False
    controls: list[str] = field(default_factory=list)
    choices: list[dict] = field(default_factory=list)
    bands: list[dict] = field(default_factory=list)
    finding: FindingSpec | None = None


@dataclass
class DomainSpec:
    key: str
    title: str
    description: str = ""
    questions: list[QuestionSpec] = field(default_factory=list)


@dataclass
class TemplateSpec:
    slug: str
    version: int
    name: str
    description: str = ""
    domains: list[DomainSpec] = field(default_factory=list)

    @property
    def question_count(self) -> int:
        return sum(len(d.questions) for d in self.domains)


# --- reading ------------------------------------------------------------------------------------


def known_control_keys() -> set[str] | None:
    """The baseline's control keys, or None when the security app is not installed."""
    try:
        from ciodesk.security.baseline import KEYS
    except ImportError:
        return None
    return set(KEYS)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(f"{path}: {message}" if path else message)

    def mapping(self, value: Any, path: str, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(value, dict):
            self.error(path, f"must be a mapping (key: value lines), not {_type(value)}")
            return {}
        for key in value:
            if key not in allowed:
                self.error(
                    _join(path, str(key)), f"unknown field; allowed: {', '.join(sorted(allowed))}"
                )
        for key in sorted(required - set(value)):
            self.error(_join(path, key), "is required")
        return value

    def text(
        self, data: dict, key: str, path: str, *, required: bool = False, limit: int = 0
    ) -> str:
        value = data.get(key)
        where = _join(path, key)
        if value is None:
            if required and key in data:
                self.error(where, "must not be empty")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(where, f"must be text, not {_type(value)}")
            return ""
        value = str(value)
        if required and not value.strip():
            self.error(where, "must not be empty")
        if limit and len(value) > limit:
            self.error(where, f"must be at most {limit} characters (it has {len(value)})")
        return value

    def slug(self, data: dict, key: str, path: str, limit: int = 80) -> str:
        value = self.text(data, key, path, required=True, limit=limit)
        if value and not SLUG.match(value):
            self.error(
                _join(path, key),
                f"“{value}” must use only lowercase letters, digits, hyphens and underscores",
            )
        return value

    def integer(
        self, data: dict, key: str, path: str, low: int, high: int | None, default: int
    ) -> int:
        if key not in data:
            return default
        value = data[key]
        where = _join(path, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"must be a whole number, not {_type(value)}")
            return default
        if value < low or (high is not None and value > high):
            span = f"between {low} and {high}" if high is not None else f"{low} or more"
            self.error(where, f"must be {span} (it is {value})")
        return value

    def boolean(self, data: dict, key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.error(_join(path, key), f"must be true or false, not {_type(value)}")
            return False
        return value

    def number(self, value: Any, where: str, *, allow_none: bool = True) -> Decimal | None:
        if value is None:
            if not allow_none:
                self.error(where, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.error(where, f"must be a number, not {_type(value)}")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.error(where, f"must be a number, not “{value}”")
            return None
        if not number.is_finite():
            self.error(where, "must be a finite number")
            return None
        return number

    def share(self, value: Any, where: str) -> int | float:
        """A credit between 0 and 1."""
        number = self.number(value, where, allow_none=False)
        if number is None:
            return 0
        if not 0 <= number <= 1:
            self.error(where, f"must be between 0 and 1 (it is {value})")
        return plain_number(number)

    def items(self, data: dict, key: str, path: str, *, required: bool) -> list:
        value = data.get(key)
        if value is None:
            if required:
                self.error(_join(path, key), "must list at least one item")
            return []
        if not isinstance(value, list):
            self.error(_join(path, key), f"must be a list, not {_type(value)}")
            return []
        if required and not value:
            self.error(_join(path, key), "must list at least one item")
        return value


def plain_number(number: Decimal | None) -> int | float | None:
    """A whole number as an int, else a float: how JSON and YAML keep it."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _type(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


TOP = {"format", "slug", "version", "name", "description", "domains"}
DOMAIN = {"key", "title", "description", "questions"}
QUESTION = {
    "key",
    "text",
    "help",
    "kind",
    "weight",
    "insurance_critical",
    "controls",
    "choices",
    "bands",
    "finding",
}
FINDING = {"title", "risk", "recommendation", "disposition", "cost_low", "cost_high"}


def parse(text: str | bytes) -> TemplateSpec:
    """Read and validate a whole template file; raise TemplateProblem listing every error."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TemplateProblem([f"the file is not UTF-8 text (byte {exc.start})"]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise TemplateProblem([f"{where}not valid YAML ({problem})"]) from exc
    check = _Checker()
    spec = _template(check, data)
    if check.errors:
        raise TemplateProblem(check.errors)
    return spec


def _template(check: _Checker, data: Any) -> TemplateSpec:
    data = check.mapping(data, "", TOP, {"slug", "version", "name", "domains"})
    if "format" in data and data["format"] != FORMAT:
        check.error("format", f"must be “{FORMAT}” (it is “{data['format']}”)")
    spec = TemplateSpec(
        slug=check.slug(data, "slug", ""),
        version=check.integer(data, "version", "", 1, 32767, 1),
        name=check.text(data, "name", "", required=True, limit=200),
        description=check.text(data, "description", ""),
    )
    domain_keys: set[str] = set()
    question_keys: dict[str, str] = {}
    controls = known_control_keys()
    for d, raw in enumerate(check.items(data, "domains", "", required=True)):
        path = f"domains[{d}]"
        domain = check.mapping(raw, path, DOMAIN, {"key", "title", "questions"})
        spec_d = DomainSpec(
            key=check.slug(domain, "key", path),
            title=check.text(domain, "title", path, required=True, limit=200),
            description=check.text(domain, "description", path),
        )
        if spec_d.key and spec_d.key in domain_keys:
            check.error(_join(path, "key"), f"“{spec_d.key}” is used by an earlier domain")
        domain_keys.add(spec_d.key)
        for q, raw_q in enumerate(check.items(domain, "questions", path, required=True)):
            q_path = f"{path}.questions[{q}]"
            question = _question(check, raw_q, q_path, controls)
            if question.key and question.key in question_keys:
                check.error(
                    _join(q_path, "key"),
                    f"“{question.key}” is already used at {question_keys[question.key]}",
                )
            question_keys.setdefault(question.key, q_path)
            spec_d.questions.append(question)
        spec.domains.append(spec_d)
    return spec


def _question(check: _Checker, raw: Any, path: str, controls: set[str] | None) -> QuestionSpec:
    data = check.mapping(raw, path, QUESTION, {"key", "text"})
    kind = data.get("kind", "yes_no")
    if kind not in KINDS:
        check.error(_join(path, "kind"), f"must be one of {', '.join(KINDS)} (it is “{kind}”)")
        kind = "yes_no"
    question = QuestionSpec(
        key=check.slug(data, "key", path),
        text=check.text(data, "text", path, required=True),
        kind=kind,
        help=check.text(data, "help", path),
        weight=check.integer(data, "weight", path, 0, MAX_WEIGHT, 1),
        insurance_critical=check.boolean(data, "insurance_critical", path),
    )
    for c, key in enumerate(check.items(data, "controls", path, required=False)):
        where = f"{path}.controls[{c}]"
        if not isinstance(key, str) or not key:
            check.error(where, "must be a control key (text)")
        elif controls is not None and key not in controls:
            check.error(where, f"“{key}” is not a control of the baseline")
        elif key in question.controls:
            check.error(where, f"“{key}” is listed twice")
        else:
            question.controls.append(key)
    question.choices = _choices(check, data, path, kind)
    question.bands = _bands(check, data, path, kind)
    if "finding" in data:
        question.finding = _finding(check, data["finding"], _join(path, "finding"))
    if kind == "text":
        for key in ("finding", "controls"):
            if data.get(key):
                check.error(_join(path, key), "text questions are not scored: remove it")
        if question.insurance_critical:
            check.error(
                _join(path, "insurance_critical"), "text questions are not scored: remove it"
            )
    return question


def check_question(raw: dict) -> tuple[QuestionSpec, list[str]]:
    """One question checked by the file's rules (the template editor's form uses it)."""
    checker = _Checker()
    spec = _question(checker, raw, "", None)
    return spec, [e.lstrip(". :") for e in checker.errors]


def _choices(check: _Checker, data: dict, path: str, kind: str) -> list[dict]:
    if kind != "choice":
        if data.get("choices"):
            check.error(_join(path, "choices"), "only choice questions have choices")
        return []
    raw = check.items(data, "choices", path, required=True)
    if 0 < len(raw) < 2:
        check.error(_join(path, "choices"), "a choice question needs at least two choices")
    out: list[dict] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"{path}.choices[{i}]"
        choice = check.mapping(
            item, where, {"value", "label", "score"}, {"value", "label", "score"}
        )
        value = check.text(choice, "value", where, required=True, limit=100)
        if value in seen:
            check.error(_join(where, "value"), f"“{value}” is listed twice")
        seen.add(value)
        out.append(
            {
                "value": value,
                "label": check.text(choice, "label", where, required=True, limit=200),
                "score": check.share(choice.get("score"), _join(where, "score")),
            }
        )
    return out


def _bands(check: _Checker, data: dict, path: str, kind: str) -> list[dict]:
    if kind != "number":
        if data.get("bands"):
            check.error(_join(path, "bands"), "only number questions have bands")
        return []
    out: list[dict] = []
    for i, item in enumerate(check.items(data, "bands", path, required=True)):
        where = f"{path}.bands[{i}]"
        band = check.mapping(item, where, {"min", "max", "score"}, {"score"})
        low = check.number(band.get("min"), _join(where, "min"))
        high = check.number(band.get("max"), _join(where, "max"))
        if low is not None and high is not None and low >= high:
            check.error(where, f"min ({band.get('min')}) must be below max ({band.get('max')})")
        out.append(
            {
                "min": plain_number(low),
                "max": plain_number(high),
                "score": check.share(band.get("score"), _join(where, "score")),
            }
        )
    return out


def _finding(check: _Checker, raw: Any, path: str) -> FindingSpec:
    data = check.mapping(raw, path, FINDING, {"title"})
    disposition = data.get("disposition", "fix")
    if disposition not in DISPOSITIONS:
        check.error(
            _join(path, "disposition"),
            f"must be one of {', '.join(DISPOSITIONS)} (it is “{disposition}”)",
        )
        disposition = "fix"
    finding = FindingSpec(
        title=check.text(data, "title", path, required=True, limit=200),
        risk=check.text(data, "risk", path),
        recommendation=check.text(data, "recommendation", path),
        disposition=disposition,
    )
    for key in ("cost_low", "cost_high"):
        value = check.number(data.get(key), _join(path, key))
        if value is not None and value < 0:
            check.error(_join(path, key), "must not be negative")
        elif value is not None and abs(value.as_tuple().exponent) > 2:
            check.error(_join(path, key), "must have at most two decimals")
        setattr(finding, key, value)
    low, high = finding.cost_low, finding.cost_high
    if low is not None and high is not None and low > high:
        check.error(path, "cost_low must not be above cost_high")
    return finding


# --- writing ------------------------------------------------------------------------------------


def _money(value: Decimal | None) -> int | str | None:
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return str(value.normalize())


def _empty(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str | list) and not value)


def _drop_empty(data: dict, keep: tuple[str, ...] = ()) -> dict:
    """Leave out empty optional fields (0 is a value, not empty)."""
    return {k: v for k, v in data.items() if k in keep or not _empty(v)}


def as_data(spec: TemplateSpec) -> dict:
    """The canonical structure ``dump`` writes (and tests compare)."""
    domains = []
    for d in spec.domains:
        questions = []
        for q in d.questions:
            finding = None
            if q.finding is not None:
                f = q.finding
                finding = _drop_empty(
                    {
                        "title": f.title,
                        "risk": f.risk,
                        "recommendation": f.recommendation,
                        "disposition": f.disposition,
                        "cost_low": _money(f.cost_low),
                        "cost_high": _money(f.cost_high),
                    },
                    keep=("title", "disposition"),
                )
            questions.append(
                _drop_empty(
                    {
                        "key": q.key,
                        "text": q.text,
                        "help": q.help,
                        "kind": q.kind,
                        "weight": q.weight,
                        "insurance_critical": q.insurance_critical,
                        "controls": list(q.controls),
                        # In the file's own key order: PostgreSQL's jsonb stores keys sorted.
                        "choices": [_in_order(c, CHOICE_KEYS) for c in q.choices],
                        "bands": [
                            _drop_empty(_in_order(b, BAND_KEYS), keep=("score",)) for b in q.bands
                        ],
                        "finding": finding,
                    },
                    keep=("key", "text", "kind", "weight"),
                )
            )
        domains.append(
            _drop_empty(
                {
                    "key": d.key,
                    "title": d.title,
                    "description": d.description,
                    "questions": questions,
                },
                keep=("key", "title", "questions"),
            )
        )
    return _drop_empty(
        {
            "format": FORMAT,
            "slug": spec.slug,
            "version": spec.version,
            "name": spec.name,
            "description": spec.description,
            "domains": domains,
        },
        keep=("format", "slug", "version", "name", "domains"),
    )


class _Dumper(yaml.SafeDumper):
    """Long texts as folded-free plain or quoted scalars; multi-line texts as blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


CHOICE_KEYS = ("value", "label", "score")
BAND_KEYS = ("min", "max", "score")


def _in_order(mapping: dict, keys: tuple[str, ...]) -> dict:
    return {k: mapping[k] for k in keys if k in mapping}


def dump(spec: TemplateSpec) -> str:
    return yaml.dump(
        as_data(spec),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
        default_flow_style=False,
    )
