"""Customer security questionnaires: suggest an answer per question, approve, grow the library.

(The workbook itself — upload checks, preview, reading the questions, filling in the
answers — is in ``questionnaire_workbook``.)

Suggestions come from two places, and each says which:

1. the client's answer library: the previously approved question closest to this one. The
   measure is the Dice coefficient of the two questions' word sets (lower case, common
   words dropped, simple plural / "-ed" / "-ing" / "-ion" endings trimmed, and a few
   synonyms folded: "multi-factor", "2FA" → "mfa"; "e-mail" → "email"), with
   ``difflib.SequenceMatcher`` breaking ties. A match needs ``LIBRARY_THRESHOLD`` (0.6);
   approving an answer updates a library entry whose question scores ``SAME_QUESTION``
   (0.9) or more, and adds a new entry otherwise.
2. the control state: keyword rules (``RULES``) map a question to one baseline control
   key; the answer follows that control's effective state today. Only a control in place
   (verified within its interval) gives a firm "Yes" with its verification date; stale,
   partial, missing or unassessed controls give a cautious answer flagged ``caution``.

A library answer is flagged too when the control it rests on is no longer in place, and
"approve all suggested" never approves a cautious suggestion.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ciodesk.security import services_controls
from ciodesk.security.models import (
    AnswerLibraryEntry,
    ClientControl,
    Questionnaire,
    QuestionnaireItem,
)
from ciodesk.security.questionnaire_workbook import Mapping, read_questions, sha256
from ciodesk.security.state import IN_PLACE, NOT_APPLICABLE, NOT_ASSESSED, PARTIAL, STALE

LIBRARY_THRESHOLD = 0.6
SAME_QUESTION = 0.9


# --- matching questions -------------------------------------------------------------------------

SYNONYMS = [
    (
        re.compile(
            r"(?:multi[\s-]?factor|two[\s-]?factor|two[\s-]?step|\b2[\s-]?(?:fa|sv)\b|\bmfa\b)"
            r"(?:\s+(?:authentication|sign[\s-]?in|verification))?"
        ),
        " mfa ",
    ),
    (re.compile(r"\be[\s-]?mails?\b"), " email "),
    (re.compile(r"anti[\s-]?(?:virus|malware)"), " antimalware "),
    (re.compile(r"end[\s-]?of[\s-]?life|out[\s-]?of[\s-]?support|unsupported"), " eol "),
    (re.compile(r"microsoft 365|office 365|\bm365\b|\bo365\b"), " m365 "),
    (re.compile(r"\bback(?:ed|ing)?[\s-]up\b"), " backup "),
    (re.compile(r"\b(?:every|each) (?:day|night)\b|\bnightly\b"), " daily "),
    (re.compile(r"\b(?:every|each) week\b"), " weekly "),
]
_COMMON_WORDS = (
    "a an the and or of to in on for with is are be been being do does did done you your "
    "yours we our us it its this that these those any all as at by from have has had how "
    "what which who whom when where whether there their they them will would can could "
    "should shall may must if not no yes please describe provide explain list etc eg ie per "
    "each such than then so also other into within about company organisation organization "
    "currently use used using"
)
STOPWORDS = frozenset(_COMMON_WORDS.split())
ENDINGS = ("ations", "ation", "ated", "ate", "ions", "ion", "ings", "ing", "ies", "ed", "s")


def normalise(text: str) -> str:
    text = text.lower()
    for pattern, replacement in SYNONYMS:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()


def _stem(word: str) -> str:
    """A rough stem, the same for a word's usual forms: encrypted, encryption → encrypt."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            if ending == "s" and word.endswith("ss"):
                break
            word = word[: -len(ending)] + ("y" if ending == "ies" else "")
            if ending in ("ing", "ed") and word[-1] == word[-2]:
                word = word[:-1]  # logging → log, planned → plan
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # enforce, enforced → enforc
    return word


def words(text: str) -> frozenset[str]:
    tokens = re.findall(r"[a-z0-9]+", normalise(text))
    return frozenset(_stem(t) for t in tokens if t not in STOPWORDS)


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


# Question words → the baseline control that answers it; the first rule whose every pattern
# matches the normalised question wins, so the specific rules come before the general ones.
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("mfa-admins", (r"\bmfa\b", r"admin|privileged")),
    ("mfa-remote-access", (r"\bmfa\b", r"remote|vpn|\brdp\b")),
    ("legacy-auth-blocked", (r"legacy auth|basic auth|legacy protocol|\bpop3?\b|\bimap\b",)),
    ("mfa-email", (r"\bmfa\b",)),
    ("backup-offline-copy", (r"backup", r"offline|immutab|air[\s-]?gap|isolat|separate cred")),
    ("restore-test", (r"restor",)),
    ("saas-backup", (r"backup", r"m365|google workspace|saas|cloud (?:mail|data|app)")),
    ("backups", (r"backup",)),
    ("endpoint-protection", (r"\bedr\b|\bxdr\b|\bmdr\b|antimalware|endpoint (?:protect|detect)",)),
    ("patch-operating-systems", (r"patch|update", r"operating system|\bos\b|windows|macos")),
    ("patch-applications", (r"\bpatch",)),
    ("supported-software", (r"\beol\b|end of support|legacy (?:system|software)",)),
    ("disk-encryption", (r"encrypt", r"laptop|device|disk|drive|endpoint|workstation|mobile")),
    ("phishing-simulation", (r"phish", r"simulat|test|exercise|campaign")),
    ("security-training", (r"training|awareness",)),
    (
        "email-security",
        (r"\bspf\b|\bdkim\b|\bdmarc\b|spam|spoof|quarantin|email (?:filter|secur)",),
    ),
    ("incident-response-plan", (r"incident", r"plan|respon|procedure|playbook")),
    ("logging-monitoring", (r"\blog(?:s|ging)?\b|siem|monitor",)),
    ("firewall-remote-exposure", (r"firewall|open port|exposed|\brdp\b",)),
    ("vulnerability-scanning", (r"vulnerabilit|penetration|pen[\s-]?test",)),
    ("macro-restriction", (r"macro",)),
    ("application-control", (r"application (?:control|whitelist|allowlist)|allow[\s-]?list",)),
    ("browser-hardening", (r"browser|web filter|url filter|dns filter",)),
    ("password-manager", (r"password (?:manager|vault)",)),
    ("offboarding", (r"offboard|leaver|terminat|departing",)),
    ("access-review", (r"access", r"review|recertif")),
    ("admin-accounts", (r"admin|privileged|least privilege",)),
    ("software-inventory", (r"software|applications|saas", r"inventor|register")),
    ("asset-inventory", (r"inventor|asset register|asset list|cmdb",)),
    ("risk-assessment", (r"risk assess|risk register|assess\w* risk",)),
    ("vendor-access", (r"vendor|third[\s-]?part|supplier|\bmsp\b", r"access|remote")),
    ("governance", (r"security polic|information security|responsible for|\bciso\b|officer",)),
]
_COMPILED = [(key, [re.compile(p) for p in patterns]) for key, patterns in RULES]


def control_key(question: str) -> str | None:
    text = normalise(question)
    for key, patterns in _COMPILED:
        if all(p.search(text) for p in patterns):
            return key
    return None


# --- suggestions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    answer: str
    source: str
    caution: bool


def answer_from_state(state: Any) -> Suggestion:
    """A control's effective state, in words a customer can be sent, and whether it is firm."""
    control = state.control
    definition = control.definition
    title = definition.title
    verified = control.last_verified_on
    label = f"Control “{title}”"
    if state.effective == IN_PLACE:
        return Suggestion(
            f"Yes. {definition.in_place_means} Last verified on {verified:%Y-%m-%d}.".strip(),
            f"{label}: in place, verified {verified:%Y-%m-%d}",
            caution=False,
        )
    if state.effective == STALE:
        when = f"on {verified:%Y-%m-%d}" if verified else "not yet"
        return Suggestion(
            f"We are re-verifying this before we confirm it. Our last check ({title}) was {when}.",
            f"{label}: stale — last verified {verified or 'never'}, due every "
            f"{definition.interval_days} days",
            caution=True,
        )
    if state.effective == PARTIAL:
        return Suggestion(
            f"Partly. {title} is in progress and not yet complete; last verified on "
            f"{verified:%Y-%m-%d}.",
            f"{label}: partial, verified {verified:%Y-%m-%d}",
            caution=True,
        )
    if state.effective == NOT_APPLICABLE:
        reason = control.not_applicable_reason or "it does not apply to our business"
        return Suggestion(f"Not applicable: {reason}", f"{label}: not applicable", caution=True)
    if state.effective == NOT_ASSESSED:
        return Suggestion(
            f"We have not yet assessed this ({title}); we will answer once it is checked.",
            f"{label}: not assessed",
            caution=True,
        )
    return Suggestion(
        f"Not at present. {title} is not yet in place; it is on our security plan.",
        f"{label}: not in place",
        caution=True,
    )


class Suggester:
    """Suggestions for many questions of one client from one read of the library and the
    control states (a constant number of queries, whatever the number of questions)."""

    def __init__(self, today: datetime.date):
        self.states = services_controls.states(today)
        self.by_control = {s.control.pk: s for s in self.states.values()}
        self.entries = [
            (entry, words(entry.question), normalise(entry.question))
            for entry in AnswerLibraryEntry.objects.all()
        ]

    def best_match(self, question: str) -> tuple[AnswerLibraryEntry, float] | None:
        own, text = words(question), normalise(question)
        best: tuple[float, float, AnswerLibraryEntry] | None = None
        for entry, entry_words, entry_text in self.entries:
            score = dice(own, entry_words)
            if score < LIBRARY_THRESHOLD or (best is not None and score < best[0]):
                continue
            ratio = difflib.SequenceMatcher(None, text, entry_text).ratio()
            if best is None or (score, ratio) > best[:2]:
                best = (score, ratio, entry)
        return (best[2], best[0]) if best else None

    def suggest(self, question: str) -> Suggestion | None:
        key = control_key(question)
        state = self.states.get(key) if key else None
        match = self.best_match(question)
        if match is not None:
            entry, score = match
            linked = self.by_control.get(entry.control_id) if entry.control_id else state
            source = (
                f"Answer library: {round(score * 100)}% match with “{entry.question[:90]}” "
                f"(approved {entry.approved_on:%Y-%m-%d})"
            )
            caution = linked is not None and not linked.in_place
            if caution:
                source += f"; “{linked.control.definition.title}” is {linked.label.lower()} now"
            return Suggestion(entry.answer, source[:300], caution)
        if state is not None:
            return answer_from_state(state)
        return None


def apply_suggestion(item: QuestionnaireItem, suggestion: Suggestion | None) -> None:
    if suggestion is None:
        item.suggested_answer, item.suggestion_source, item.caution = "", "", False
        item.status = QuestionnaireItem.Status.NO_SUGGESTION
    else:
        item.suggested_answer = suggestion.answer
        item.suggestion_source = suggestion.source[:300]
        item.caution = suggestion.caution
        item.status = QuestionnaireItem.Status.SUGGESTED


# --- writing ------------------------------------------------------------------------------------


@transaction.atomic
def create_questionnaire(
    *,
    data: bytes,
    filename: str,
    mapping: Mapping,
    title: str,
    requested_by: str,
    due_on: datetime.date | None,
    owner,
    today: datetime.date,
) -> Questionnaire:
    """The questionnaire, its original file and one item per question, each with a suggestion.

    Items are saved one by one so that each has its audit record.
    """
    questions = read_questions(data, mapping)
    questionnaire = Questionnaire(
        title=title,
        requested_by=requested_by,
        due_on=due_on,
        owner=owner,
        filename=filename,
        sha256=sha256(data),
        sheet=mapping.sheet,
        question_column=mapping.question_column,
        answer_column=mapping.answer_column,
        first_row=mapping.first_row,
    )
    questionnaire.original.save(filename, ContentFile(data), save=False)
    questionnaire.save()
    suggester = Suggester(today)
    for row, question in questions:
        item = QuestionnaireItem(questionnaire=questionnaire, row=row, question=question)
        apply_suggestion(item, suggester.suggest(question))
        item.save()
    return questionnaire


def refresh_suggestions(questionnaire: Questionnaire, today: datetime.date) -> int:
    """Suggest again for every unapproved item (the library or a control has changed)."""
    suggester = Suggester(today)
    changed = 0
    with transaction.atomic():
        for item in questionnaire.items.exclude(status=QuestionnaireItem.Status.APPROVED):
            before = (item.suggested_answer, item.suggestion_source, item.caution, item.status)
            apply_suggestion(item, suggester.suggest(item.question))
            if (item.suggested_answer, item.suggestion_source, item.caution, item.status) != before:
                item.save()
                changed += 1
    return changed


def _grow_library(items: list[QuestionnaireItem], user, today: datetime.date) -> None:
    """Each approved answer updates the library entry for the same question, or adds one."""
    entries = [(e, words(e.question)) for e in AnswerLibraryEntry.objects.all()]
    keys = {control_key(item.question) for item in items} - {None}
    controls = (
        {c.definition.key: c for c in ClientControl.objects.select_related("definition")}
        if keys
        else {}
    )
    for item in items:
        own = words(item.question)
        scored = [(dice(own, w), e) for e, w in entries]
        score, entry = max(scored, key=lambda s: s[0], default=(0.0, None))
        control = controls.get(control_key(item.question) or "")
        source = f"{item.questionnaire.title}, row {item.row}"[:200]
        if entry is not None and score >= SAME_QUESTION:
            entry.answer = item.answer
            entry.approved_by = user
            entry.approved_on = today
            entry.source = source
            entry.control = control or entry.control
            entry.save()
        else:
            entry = AnswerLibraryEntry.objects.create(
                question=item.question,
                answer=item.answer,
                control=control,
                approved_by=user,
                approved_on=today,
                source=source,
            )
            entries.append((entry, own))


def _update_status(questionnaire: Questionnaire) -> None:
    if questionnaire.status == Questionnaire.Status.SENT:
        return
    pending = questionnaire.items.exclude(status=QuestionnaireItem.Status.APPROVED).exists()
    status = Questionnaire.Status.IN_REVIEW if pending else Questionnaire.Status.APPROVED
    if questionnaire.status != status:
        questionnaire.status = status
        questionnaire.save()


@transaction.atomic
def approve(item: QuestionnaireItem, answer: str, user, today: datetime.date) -> None:
    """The reviewer's answer, approved: it goes into the export and into the library."""
    item.answer = answer.strip()
    item.status = QuestionnaireItem.Status.APPROVED
    item.approved_by = user
    item.approved_at = timezone.now()
    item.save()
    _grow_library([item], user, today)
    _update_status(item.questionnaire)


def firm_items(items: list[QuestionnaireItem]) -> list[QuestionnaireItem]:
    """Items "approve all suggested" may approve: a suggestion that needs no caution."""
    return [
        i
        for i in items
        if i.status == QuestionnaireItem.Status.SUGGESTED and not i.caution and i.suggested_answer
    ]


@transaction.atomic
def approve_all_suggested(
    questionnaire: Questionnaire, user, today: datetime.date
) -> tuple[int, int]:
    """Approve every firm suggestion that is still the same when suggested again now.

    Returns (approved, skipped): a suggestion whose control went stale or whose library
    entry changed since it was made is left for one-by-one review.
    """
    suggester = Suggester(today)
    approved, skipped = [], 0
    now = timezone.now()
    for item in firm_items(list(questionnaire.items.all())):
        fresh = suggester.suggest(item.question)
        if fresh is None or fresh.caution or fresh.answer != item.suggested_answer:
            apply_suggestion(item, fresh)
            item.save()
            skipped += 1
            continue
        item.answer = item.suggested_answer
        item.status = QuestionnaireItem.Status.APPROVED
        item.approved_by = user
        item.approved_at = now
        item.save()
        approved.append(item)
    if approved:
        _grow_library(approved, user, today)
    _update_status(questionnaire)
    return len(approved), skipped
