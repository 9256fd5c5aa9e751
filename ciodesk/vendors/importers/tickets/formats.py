"""The PSAs' ticket exports: which header names each writes, and recognising one by them.

Each format lists, per ticket field, the headers that carry it, best first: the REST API's
field names (see ../shared/data/psa_ticket_field_crosswalk.csv) and the column titles of
the PSA's own list exports. Headers are compared without case, spaces or punctuation, so
"dateEntered", "Date Entered" and "date_entered" are one header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ciodesk.vendors.importers.tickets.errors import ImportFailed

# The ticket fields an import can fill, in the order pages show them.
FIELDS: dict[str, str] = {
    "number": "Ticket number",
    "summary": "Summary",
    "board": "Board / queue / team",
    "status": "Status",
    "priority_label": "Priority",
    "category": "Category / type",
    "requester": "Requester / contact",
    "created_at": "Created",
    "first_response_at": "First response",
    "resolved_at": "Resolved",
    "closed_at": "Closed",
    "vendor_in_sla": "Vendor says in SLA",
    "reopen_count": "Times reopened",
}
REQUIRED = ("number", "created_at", "priority_label")
TIME_FIELDS = ("created_at", "first_response_at", "resolved_at", "closed_at")


def normalise(header: str) -> str:
    """ "Date Entered", "dateEntered" and "date_entered" → "dateentered"."""
    return re.sub(r"[^a-z0-9#]", "", str(header).casefold())


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    columns: dict[str, tuple[str, ...]]  # field → header names, best first
    extras: tuple[str, ...] = ()  # other headers of this export: they help recognise it
    # The PSA's own numbering of a picklist, where its numbers are not P1–P4 in order.
    priority_defaults: dict[str, str] = field(default_factory=dict)

    def names(self) -> set[str]:
        found = {normalise(h) for headers in self.columns.values() for h in headers}
        return found | {normalise(h) for h in self.extras}


CONNECTWISE = Format(
    key="connectwise",
    label="ConnectWise PSA",
    columns={
        "number": ("id", "Ticket #", "Ticket Number", "TicketNbr", "Ticket ID", "SR_Service_RecID"),
        "summary": ("summary", "Summary Description", "Summary"),
        "board": ("board", "board/name", "board.name", "Board", "Board_Name", "Service Board"),
        "status": ("status", "status/name", "status.name", "Status", "Status_Description"),
        "priority_label": ("priority", "priority/name", "priority.name", "Priority", "Urgency"),
        "category": ("type", "type/name", "type.name", "Type", "ServiceType"),
        "requester": ("contact", "contact/name", "contact.name", "contactName", "Contact"),
        "created_at": (
            "dateEntered",
            "_info/dateEntered",
            "_info.dateEntered",
            "Date Entered",
            "date_entered_utc",
            "Entered",
        ),
        "first_response_at": ("dateResponded", "Date Responded", "Date_Responded_UTC", "Responded"),
        "resolved_at": ("dateResolved", "Date Resolved", "Date_Resolved_UTC"),
        "closed_at": ("closedDate", "Closed Date", "date_closed", "Date Closed"),
        "vendor_in_sla": ("isInSla", "Is In SLA", "In SLA"),
    },
    extras=(
        "company",
        "company/name",
        "company.name",
        "Company",
        "Company_Name",
        "site",
        "siteName",
        "Site",
        "agreement",
        "Agreement",
        "source",
        "Source",
        "severity",
        "impact",
        "closedFlag",
        "closedBy",
        "respondMinutes",
        "resplanMinutes",
        "resolveMinutes",
        "actualHours",
        "budgetHours",
        "owner",
        "resources",
        "Resources",
        "subType",
        "Subtype",
        "item",
        "Item",
        "team",
        "dateResplan",
        "sla",
        "SLA Status",
        "contactEmailAddress",
        "parentTicketId",
        "Age",
        "Hours",
    ),
)

AUTOTASK = Format(
    key="autotask",
    label="Autotask PSA",
    columns={
        "number": ("ticketNumber", "Ticket Number", "Ticket #", "Ticket No"),
        "summary": ("title", "Title", "Ticket Title"),
        "board": ("queueID", "queue", "Queue", "Queue Name"),
        "status": ("status", "Status", "Ticket Status"),
        "priority_label": ("priority", "Priority", "Ticket Priority"),
        "category": (
            "issueType",
            "Issue Type",
            "ticketCategory",
            "Ticket Category",
            "ticketType",
            "Ticket Type",
        ),
        "requester": ("contactID", "contact", "Contact", "Contact Name"),
        "created_at": (
            "createDate",
            "Create Date",
            "Created",
            "Created Date",
            "Create Date/Time",
            "Created Date/Time",
        ),
        "first_response_at": (
            "firstResponseDateTime",
            "First Response Date/Time",
            "First Response Date",
            "First Response",
        ),
        "resolved_at": ("resolvedDateTime", "Resolved Date/Time", "Resolved Date", "Resolved"),
        "closed_at": (
            "completedDate",
            "Completed Date",
            "Complete Date",
            "Completed",
            "Complete Date/Time",
            "Completed Date/Time",
        ),
        "vendor_in_sla": (
            "serviceLevelAgreementHasBeenMet",
            "Service Level Agreement Met",
            "SLA Met",
        ),
    },
    extras=(
        "companyID",
        "Account",
        "Account Name",
        "Organization",
        "Organization Name",
        "companyLocationID",
        "dueDateTime",
        "Due Date/Time",
        "firstResponseDueDateTime",
        "resolvedDueDateTime",
        "resolutionPlanDateTime",
        "serviceLevelAgreementID",
        "Service Level Agreement",
        "assignedResourceID",
        "Primary Resource",
        "lastActivityDate",
        "Last Activity Date",
        "subIssueType",
        "Sub-Issue Type",
        "estimatedHours",
        "contractID",
        "Contract",
        "problemTicketId",
        "currentServiceThermometerRating",
        "serviceLevelAgreementPausedNextEventHours",
        "source",
        "Source",
        "id",
    ),
    # Autotask's default priority picklist: 1 High, 2 Medium, 3 Low, 4 Critical.
    priority_defaults={"1": "P2", "2": "P3", "3": "P4", "4": "P1"},
)

HALOPSA = Format(
    key="halopsa",
    label="HaloPSA",
    columns={
        "number": ("id", "Ticket ID", "Ticket Number", "ID", "Request ID"),
        "summary": ("summary", "Summary", "Subject"),
        "board": ("team", "Team", "team_name", "Section"),
        "status": ("status_name", "status", "Status", "status_id"),
        "priority_label": ("priority_name", "priority", "Priority", "priority_id"),
        "category": (
            "category_1",
            "Category",
            "Category 1",
            "tickettype_name",
            "Ticket Type",
            "Request Type",
        ),
        "requester": ("user_name", "User", "End User", "Reported By", "user_email"),
        "created_at": (
            "dateoccurred",
            "Date Occurred",
            "Date Occured",
            "Date Logged",
            "datelogged",
            "Logged",
        ),
        "first_response_at": ("responsedate", "Response Date", "Responded Date"),
        "resolved_at": ("dateclosed", "Date Closed", "Closed Date", "Resolved Date"),
        "closed_at": ("dateclosed", "Date Closed", "Closed Date"),
        "vendor_in_sla": ("within_sla", "Within SLA", "SLA Met", "SLA Compliant"),
        "reopen_count": ("reopened_count", "Times Reopened", "Reopened Count"),
    },
    extras=(
        "client_id",
        "client_name",
        "Client",
        "Client Name",
        "site_id",
        "site_name",
        "Site",
        "Site Name",
        "agent_id",
        "Agent",
        "agent_name",
        "user_id",
        "fixbydate",
        "Fix By Date",
        "respondbydate",
        "Respond By Date",
        "tickettype_id",
        "sla_id",
        "SLA",
        "slaresponsestate",
        "slapercused",
        "slatimeleft",
        "slaholdtime",
        "timetaken",
        "Time Taken",
        "estimate",
        "lastactiondate",
        "Last Action Date",
        "details",
        "Details",
        "parent_id",
        "category_2",
        "category_3",
        "category_4",
    ),
)

SYNCRO = Format(
    key="syncro",
    label="Syncro",
    columns={
        "number": ("number", "Ticket Number", "Ticket #", "Number"),
        "summary": ("subject", "Subject"),
        "status": ("status", "Status"),
        "priority_label": ("priority", "Priority"),
        "category": ("problem_type", "Problem Type", "Issue Type", "Type"),
        "requester": ("contact_fullname", "contact_name", "Contact", "Contact Name"),
        "created_at": ("created_at", "Created At", "Created", "Created Date"),
        "first_response_at": ("first_response_at", "First Response At", "First Response"),
        "resolved_at": ("resolved_at", "Resolved At", "Resolved", "Resolved Date"),
    },
    extras=(
        "customer_business_then_name",
        "Customer",
        "Customer Name",
        "Business Name",
        "customer_id",
        "due_date",
        "Due Date",
        "location_id",
        "Location",
        "ticket_type_id",
        "user_id",
        "Tech",
        "Assigned Tech",
        "updated_at",
        "Updated At",
        "start_at",
        "end_at",
        "contact_id",
        "id",
    ),
)

FRESHSERVICE = Format(
    key="freshservice",
    label="Freshservice",
    columns={
        "number": ("Ticket Id", "Ticket ID", "id", "Display Id", "display_id"),
        "summary": ("subject", "Subject"),
        "board": ("group_name", "Group", "group_id"),
        "status": ("status", "Status"),
        "priority_label": ("priority", "Priority"),
        "category": ("category", "Category", "Type", "type"),
        "requester": (
            "requester_name",
            "Requester Name",
            "Requester",
            "requester_email",
            "Requester Email",
            "requester_id",
        ),
        "created_at": ("created_at", "Created Time", "Created Date", "Created Date Time"),
        "first_response_at": (
            "stats.first_responded_at",
            "first_responded_at",
            "First Responded At",
            "First Responded Time",
            "Initial Response Time",
        ),
        "resolved_at": ("stats.resolved_at", "resolved_at", "Resolved Time", "Resolved Date"),
        "closed_at": ("stats.closed_at", "closed_at", "Closed Time", "Closed Date"),
        "vendor_in_sla": ("Resolution Status", "SLA Status", "resolution_status"),
        "reopen_count": ("stats.reopened_count", "reopened_count", "Reopened Count"),
    },
    extras=(
        "due_by",
        "Due by Time",
        "fr_due_by",
        "First Response Due by",
        "fr_escalated",
        "is_escalated",
        "Agent",
        "agent_name",
        "responder_id",
        "Source",
        "source",
        "Last Updated Time",
        "updated_at",
        "Department",
        "department_id",
        "Sub-Category",
        "sub_category",
        "Item",
        "item_category",
        "Impact",
        "impact",
        "Urgency",
        "urgency",
        "First Response Status",
        "Tags",
        "Survey Results",
        "Requester Email",
        "workspace_id",
        "First Response Time (in hrs)",
        "Resolution Time (in hrs)",
        "Every Response Status",
    ),
    # Freshservice's API numbers priorities 1 Low, 2 Medium, 3 High, 4 Urgent.
    priority_defaults={"1": "P4", "2": "P3", "3": "P2", "4": "P1"},
)

FORMATS: dict[str, Format] = {
    f.key: f for f in (CONNECTWISE, AUTOTASK, HALOPSA, SYNCRO, FRESHSERVICE)
}
GENERIC = "generic"


def _weights() -> dict[str, float]:
    """A header seen in n formats is worth 1/n: "dateEntered" says ConnectWise, "status"
    says little."""
    seen: dict[str, int] = {}
    for fmt in FORMATS.values():
        for name in fmt.names():
            seen[name] = seen.get(name, 0) + 1
    return {name: 1 / count for name, count in seen.items()}


WEIGHTS = _weights()


def scores(headers: list[str]) -> list[tuple[float, Format]]:
    present = {normalise(h) for h in headers if str(h).strip()}
    ranked = [
        (round(sum(WEIGHTS[n] for n in present & fmt.names()), 2), fmt) for fmt in FORMATS.values()
    ]
    return sorted(ranked, key=lambda item: -item[0])


def _complete(fmt: Format, headers: list[str]) -> bool:
    present = {normalise(h) for h in headers}
    return all(any(normalise(h) in present for h in fmt.columns[name]) for name in REQUIRED)


def guess(headers: list[str]) -> Format | None:
    """The export these headers come from, or None when they say too little.

    A format wins by its headers' weight, clearly ahead of the next; failing that, when it
    is the only one whose required columns (number, created, priority) are all there.
    """
    ranked = scores(headers)
    (best, fmt), (second, _) = ranked[:2]
    if best >= 2 and best - second >= 1:
        return fmt
    complete = [(score, f) for score, f in ranked if _complete(f, headers)]
    if len(complete) == 1 and complete[0][0] >= 1:
        return complete[0][1]
    return None


def detect(headers: list[str]) -> Format:
    found = guess(headers)
    if found is not None:
        return found
    ranked = scores(headers)
    (best, fmt), (second, other) = ranked[:2]
    if best >= 2 and best - second < 1:
        raise ImportFailed(
            [
                f"The headers fit both {fmt.label} and {other.label}: choose the format, or "
                "use the generic import on the web page and map the columns yourself."
            ]
        )
    labels = [f.label for f in FORMATS.values()]
    names = ", ".join(labels[:-1]) + " or " + labels[-1]
    raise ImportFailed(
        [
            f"The headers do not look like a {names} export. Choose the format, or use "
            "the generic import on the web page and map the columns yourself."
        ]
    )


def label(key: str) -> str:
    """A format's name for people: "ConnectWise PSA", "Generic (columns mapped)"."""
    if key in FORMATS:
        return FORMATS[key].label
    return "Generic (columns mapped)" if key == GENERIC else (key or "—")


def column_plan(fmt: Format, headers: list[str]) -> dict[str, int]:
    """field → column index for a known format; a missing required column fails."""
    index: dict[str, int] = {}
    for position, header in enumerate(headers):
        index.setdefault(normalise(header), position)
    plan: dict[str, int] = {}
    for name, candidates in fmt.columns.items():
        for candidate in candidates:
            position = index.get(normalise(candidate))
            if position is not None:
                plan[name] = position
                break
    missing = [name for name in REQUIRED if name not in plan]
    if missing:
        raise ImportFailed(
            [
                f'missing column "{fmt.columns[name][0]}" ({FIELDS[name].lower()}; a '
                f"{fmt.label} export may also call it "
                + ", ".join(f'"{h}"' for h in fmt.columns[name][1:4])
                + ")"
                for name in missing
            ]
        )
    return plan


def mapping_plan(mapping: dict[str, str], headers: list[str]) -> dict[str, int]:
    """field → column index from a user's mapping {field: header}."""
    index: dict[str, int] = {}
    for position, header in enumerate(headers):
        index.setdefault(str(header).strip(), position)
    plan: dict[str, int] = {}
    errors = []
    for name, header in mapping.items():
        if name not in FIELDS or not header:
            continue
        position = index.get(str(header).strip())
        if position is None:
            errors.append(f'missing column "{header}" (mapped to {FIELDS[name].lower()})')
        else:
            plan[name] = position
    for name in REQUIRED:
        if name not in plan and not any(e.endswith(f"{FIELDS[name].lower()})") for e in errors):
            errors.append(f"no column chosen for {FIELDS[name].lower()}: it is required")
    if errors:
        raise ImportFailed(errors)
    return plan


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """A first guess at {field: header} from every format's names, for the mapping form."""
    by_name: dict[str, str] = {}
    for header in headers:
        by_name.setdefault(normalise(header), header)
    extra = {
        "number": ("ticket", "ticketno", "ref", "reference", "number", "id", "key"),
        "summary": ("title", "subject", "summary", "description", "issue"),
        "board": ("queue", "board", "team", "group"),
        "priority_label": ("priority", "severity", "urgency"),
        "requester": ("requester", "requestor", "reporter", "user", "caller"),
        "created_at": ("opened", "openedat", "createdon", "created", "loggedat", "raised"),
        "first_response_at": ("firstresponse", "respondedat", "responded", "acknowledged"),
        "resolved_at": ("resolved", "resolvedat", "resolvedon", "fixed"),
        "closed_at": ("closed", "closedat", "closedon"),
        "vendor_in_sla": ("insla", "slamet", "withinsla", "sla"),
        "reopen_count": ("reopened", "reopens", "reopencount"),
    }
    suggestion: dict[str, str] = {}
    for name in FIELDS:
        candidates = [h for fmt in FORMATS.values() for h in fmt.columns.get(name, ())]
        candidates += list(extra.get(name, ()))
        for candidate in candidates:
            header = by_name.get(normalise(candidate))
            if header is not None and header not in suggestion.values():
                suggestion[name] = header
                break
    return suggestion
