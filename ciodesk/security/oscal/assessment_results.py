"""A client's control state as an OSCAL assessment-results document (JSON, OSCAL 1.1.3).

What the document holds, and why it is shaped so:

* ``metadata``: the practice (prepared by, assessor) and the client (prepared for) as
  parties; ``version`` is the as-of date plus a digest of the results, so it changes exactly
  when the content does.
* ``import-ap``: OSCAL requires a link to the assessment plan the results answer. ciodesk has
  no separate plan document: its plan is the "ciodesk essentials" baseline, assessed
  continuously (a control is in place only while its newest evidence is younger than its
  interval). ``import-ap`` therefore points at a back-matter resource inside the same
  document (``#<uuid>``) that says so and links to the client's security dashboard, where
  the plan (controls, evidence expected, intervals) is shown. Each control is one objective,
  ``<key>_obj``; its finding's target carries ciodesk's wording of what "in place" means.
* one ``result`` per export, as of the client's today:
  - one ``observation`` per evidence item (method EXAMINE, collected on the day it was
    verified, its link, file or note as relevant evidence);
  - one ``finding`` per control: target ``objective-id`` ``<key>_obj``; status
    ``satisfied`` only while the control is in place with fresh evidence (a not-applicable
    control is ``satisfied`` with reason ``other``); the effective status (``stale``
    included) and the mapped CSF 2.0 subcategory IDs are properties in ciodesk's namespace;
  - one ``risk`` per open risk of the register, related to the findings of its controls;
  - ``reviewed-controls`` lists every mapped CSF 2.0 subcategory.

Every UUID is a version-5 UUID of the client and the object, so two exports of the same
state are equal except ``last-modified``. Everything is read inside the client's scope: no
other client's row can reach the document.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import re
import uuid
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ciodesk.core.scope import scope
from ciodesk.security import state as states_module
from ciodesk.security.baseline import BASELINE_NAME
from ciodesk.security.models import ClientControl, Evidence, Risk
from ciodesk.security.state import ControlState, state_of
from ciodesk.tenancy.models import Client, Practice

OSCAL_VERSION = "1.1.3"
NS = "urn:ciodesk:oscal"  # ciodesk's own property namespace (a URI, as OSCAL asks)
ROOT = uuid.uuid5(uuid.NAMESPACE_URL, NS)
STATUS = {  # effective status → (OSCAL status state, reason)
    states_module.IN_PLACE: ("satisfied", "pass"),
    states_module.NOT_APPLICABLE: ("satisfied", "other"),
    states_module.PARTIAL: ("not-satisfied", "fail"),
    states_module.NOT_IN_PLACE: ("not-satisfied", "fail"),
    states_module.STALE: ("not-satisfied", "other"),
    states_module.NOT_ASSESSED: ("not-satisfied", "other"),
}
MAPPINGS = (("csf", "csf-subcategory"), ("cpg", "cpg-goal"), ("cis", "cis-safeguard"))


class _Ids:
    """Deterministic UUIDs: the same client and object always give the same UUID."""

    def __init__(self, client: Client) -> None:
        created = client.created_at.isoformat() if client.created_at else ""
        self.base = uuid.uuid5(ROOT, f"client/{client.pk}/{created}")

    def __call__(self, *parts: object) -> str:
        return str(uuid.uuid5(self.base, "/".join(str(p) for p in parts)))


def export_filename(client: Client, today: datetime.date) -> str:
    return f"{client.slug}-assessment-results-{today.isoformat()}.json"


def build_assessment_results(
    client: Client,
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The document for ``client`` as of ``today`` (the client's today by default)."""
    today = today or client.today()
    now = now or timezone.now()
    ids = _Ids(client)
    practice = Practice.current()
    with scope(client):
        control_states = _control_states(client, today)
        evidence = list(Evidence.objects.order_by("control_id", "-verified_on", "-pk"))
        risks = list(
            Risk.objects.filter(status=Risk.Status.OPEN)
            .select_related("owner")
            .prefetch_related("controls", "acceptances")
            .order_by("pk")
        )
    parties = {"practice": str(uuid.uuid5(ROOT, f"practice/{practice.pk}")), "client": ids("party")}
    builder = _Builder(client, today, ids, parties)
    result = builder.result(control_states, evidence, risks)
    digest = hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()[:10]
    document = {
        "uuid": ids("assessment-results"),
        "metadata": _metadata(client, practice, parties, today, now, digest),
        "import-ap": {
            "href": f"#{ids('assessment-plan')}",
            "remarks": "ciodesk assesses its baseline continuously; the plan is described in "
            "the back matter.",
        },
        "results": [result],
        "back-matter": {"resources": _resources(client, ids)},
    }
    return {"assessment-results": _compact(document)}


def render_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _control_states(client: Client, today: datetime.date) -> list[ControlState]:
    """Every control of the client with its effective state, the baseline ensured first
    when the client has people to own the controls."""
    from ciodesk.security import services_controls

    with contextlib.suppress(services_controls.NoOwnerError):
        services_controls.ensure_client_controls(client)
    controls = ClientControl.objects.select_related("definition", "owner")
    found = [state_of(control, today) for control in controls]
    return sorted(found, key=lambda s: (s.control.definition.order, s.control.definition.key))


def _when(day: datetime.date, client: Client) -> str:
    """A day as OSCAL's date-time with a time zone: midnight where the client is."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=client.tz).isoformat()


def _line(value: object) -> str:
    """One trimmed line: OSCAL's string values may not start or end with whitespace."""
    return re.sub(r"\s+", " ", str(value)).strip()


def _prop(name: str, value: object) -> dict[str, str] | None:
    text = _line(value) if value is not None else ""
    return {"name": name, "ns": NS, "value": text} if text else None


def _props(*pairs: tuple[str, object]) -> list[dict[str, str]]:
    return [p for name, value in pairs if (p := _prop(name, value)) is not None]


def _compact(value: Any) -> Any:
    """Drop empty lists, empty strings and None: OSCAL arrays need at least one item."""
    if isinstance(value, dict):
        out = {k: _compact(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def _metadata(
    client: Client,
    practice: Practice,
    parties: dict[str, str],
    today: datetime.date,
    now: datetime.datetime,
    digest: str,
) -> dict[str, Any]:
    return {
        "title": f"{client.name}: security controls, assessment results as of {today.isoformat()}",
        "last-modified": now.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "version": f"{today.isoformat()}+{digest}",
        "oscal-version": OSCAL_VERSION,
        "props": _props(("baseline", BASELINE_NAME), ("as-of", today.isoformat())),
        "roles": [
            {"id": "prepared-by", "title": "Prepared by"},
            {"id": "prepared-for", "title": "Prepared for"},
            {"id": "assessor", "title": "Assessor"},
        ],
        "parties": [
            {"uuid": parties["practice"], "type": "organization", "name": practice.name},
            {"uuid": parties["client"], "type": "organization", "name": client.name},
        ],
        "responsible-parties": [
            {"role-id": "prepared-by", "party-uuids": [parties["practice"]]},
            {"role-id": "assessor", "party-uuids": [parties["practice"]]},
            {"role-id": "prepared-for", "party-uuids": [parties["client"]]},
        ],
    }


def _resources(client: Client, ids: _Ids) -> list[dict[str, Any]]:
    try:
        dashboard = reverse("security:dashboard", kwargs={"client_slug": client.slug})
    except NoReverseMatch:
        dashboard = ""
    return [
        {
            "uuid": ids("assessment-plan"),
            "title": f"Assessment plan: the {BASELINE_NAME} baseline, assessed continuously",
            "description": (
                f"There is no separate assessment plan document. Each control of the "
                f"{BASELINE_NAME} baseline names the evidence that proves it and how often it "
                "must be verified again; a control counts as in place only while its newest "
                "evidence is younger than that interval, and is stale after it. The "
                "objectives are listed in this document's local definitions, each tied to "
                "the NIST CSF 2.0 subcategories the control helps meet."
            ),
            "props": [{"name": "type", "value": "plan"}],
            "rlinks": [{"href": dashboard, "media-type": "text/html"}] if dashboard else [],
        },
        {
            "uuid": ids("catalog", "nist-csf-2-0"),
            "title": "NIST Cybersecurity Framework (CSF) 2.0",
            "description": "The catalog whose subcategory IDs the reviewed controls name.",
            "props": [{"name": "type", "value": "standard"}],
            "citation": {"text": "NIST, The NIST Cybersecurity Framework (CSF) 2.0, CSWP 29, 2024"},
            "rlinks": [{"href": "https://www.nist.gov/cyberframework", "media-type": "text/html"}],
        },
    ]


class _Builder:
    def __init__(
        self, client: Client, today: datetime.date, ids: _Ids, parties: dict[str, str]
    ) -> None:
        self.client = client
        self.today = today
        self.ids = ids
        self.parties = parties

    def result(
        self, control_states: list[ControlState], evidence: list[Evidence], risks: list[Risk]
    ) -> dict[str, Any]:
        observations = [self.observation(e) for e in evidence]
        by_control: dict[int, list[str]] = {}
        for item, obs in zip(evidence, observations, strict=True):
            by_control.setdefault(item.control_id, []).append(obs["uuid"])
        risks_by_control: dict[int, list[str]] = {}
        for risk in risks:
            for control in risk.controls.all():
                risks_by_control.setdefault(control.pk, []).append(self.ids("risk", risk.pk))
        csf_ids = sorted({c for s in control_states for c in s.control.definition.csf})
        start = min((e.verified_on for e in evidence), default=self.today)
        return {
            "uuid": self.ids("result"),
            "title": f"Control state as of {self.today.isoformat()}",
            "description": (
                f"The effective state of each control of {self.client.name}'s "
                f"{BASELINE_NAME} baseline on {self.today.isoformat()}, held to the age of its "
                "evidence: in place only while the newest evidence is younger than the "
                "control's interval."
            ),
            "start": _when(start, self.client),
            "props": _props(("as-of", self.today.isoformat()), ("baseline", BASELINE_NAME)),
            "reviewed-controls": {
                "control-selections": [
                    {"include-controls": [{"control-id": c} for c in csf_ids]}
                    if csf_ids
                    else {"include-all": {}}
                ]
            },
            "observations": observations,
            "risks": [self.risk(r) for r in risks],
            "findings": [
                self.finding(s, by_control.get(s.control.pk, []), risks_by_control)
                for s in control_states
            ],
        }

    def observation(self, evidence: Evidence) -> dict[str, Any]:
        kind = evidence.get_kind_display()
        relevant: dict[str, str] = {"description": f"{kind}: {_line(evidence.title)}"}
        if evidence.kind == Evidence.Kind.LINK and evidence.url:
            relevant["href"] = evidence.url
        elif evidence.file:
            with contextlib.suppress(NoReverseMatch):
                relevant["href"] = reverse(
                    "security:evidence-file",
                    kwargs={"client_slug": self.client.slug, "pk": evidence.pk},
                )
            relevant["description"] = f"{kind}: {evidence.file.name.rsplit('/', 1)[-1]}"
        return {
            "uuid": self.ids("evidence", evidence.pk),
            "title": evidence.title,
            "description": evidence.note or f"{kind}: {evidence.title}",
            "props": _props(
                ("evidence-kind", evidence.kind),
                ("verified-by", evidence.verified_by_name),
                ("source", evidence.source),
            ),
            "methods": ["EXAMINE"],
            "types": ["control-objective"],
            "collected": _when(evidence.verified_on, self.client),
            "relevant-evidence": [relevant],
        }

    def finding(
        self, s: ControlState, observations: list[str], risks_by_control: dict[int, list[str]]
    ) -> dict[str, Any]:
        control = s.control
        definition = control.definition
        state, reason = STATUS[s.effective]
        label = states_module.LABELS[s.effective]
        detail = f"{label}."
        if s.effective == states_module.STALE:
            detail += (
                f" Its newest evidence is from {control.last_verified_on}; it had to be verified "
                f"again by {s.due_on}."
                if control.last_verified_on
                else " It has no dated evidence."
            )
        if s.effective == states_module.NOT_APPLICABLE and control.not_applicable_reason:
            detail += f" Reason: {control.not_applicable_reason}"
        mapped = [(name, value) for field, name in MAPPINGS for value in getattr(definition, field)]
        return {
            "uuid": self.ids("control", definition.key),
            "title": definition.title,
            "description": detail,
            "props": _props(
                ("control-key", definition.key),
                ("recorded-status", control.status),
                ("last-verified", control.last_verified_on),
                ("due-on", s.due_on),
                ("interval-days", definition.interval_days),
                ("owner", control.owner.name),
                *(pair for pair in mapped if pair[0] != "csf-subcategory"),
                *(("e8-strategy", e) for e in definition.e8),
            ),
            "target": {
                "type": "objective-id",
                "target-id": f"{definition.key}_obj",
                "title": definition.title,
                "description": f"In place means: {definition.in_place_means}"
                if definition.in_place_means
                else definition.title,
                "props": _props(
                    ("effective-status", s.effective),
                    *(pair for pair in mapped if pair[0] == "csf-subcategory"),
                ),
                "status": {"state": state, "reason": reason},
            },
            "related-observations": [{"observation-uuid": u} for u in observations],
            "related-risks": [{"risk-uuid": u} for u in risks_by_control.get(control.pk, [])],
            "remarks": control.notes,
        }

    def risk(self, risk: Risk) -> dict[str, Any]:
        from ciodesk.security.services_risks import band, residual_score

        score = risk.likelihood * risk.impact
        accepted = risk.treatment == Risk.Treatment.ACCEPT and bool(list(risk.acceptances.all()))
        statement = (
            f"Likelihood {risk.likelihood} of 5 and impact {risk.impact} of 5: score {score}, "
            f"{band(score).lower()}."
        )
        residual = residual_score(risk)
        return {
            "uuid": self.ids("risk", risk.pk),
            "title": risk.title,
            "description": risk.description or risk.title,
            "statement": statement,
            "props": _props(
                ("category", risk.category),
                ("treatment", risk.treatment),
                ("score", score),
                ("band", band(score)),
                ("residual-score", residual),
                ("next-review-on", risk.next_review_on),
                ("owner", risk.owner.name),
            ),
            "status": "deviation-approved" if accepted else "open",
            "characterizations": [
                {
                    "origin": {
                        "actors": [{"type": "party", "actor-uuid": self.parties["practice"]}]
                    },
                    "facets": [
                        {"name": "likelihood", "system": NS, "value": str(risk.likelihood)},
                        {"name": "impact", "system": NS, "value": str(risk.impact)},
                    ],
                }
            ],
            "remediations": [
                {
                    "uuid": self.ids("risk", risk.pk, "response"),
                    "lifecycle": "planned",
                    "title": risk.get_treatment_display(),
                    "description": risk.planned_actions,
                }
            ]
            if risk.planned_actions.strip()
            else [],
        }
