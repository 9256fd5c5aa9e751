"""The dossier's tables: people, key systems, sites, notes."""

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.forms import KeySystemForm, NoteForm, PersonForm, SiteForm
from ciodesk.tenancy.models import KeySystem, Note, Person, Site

PEOPLE = Crud(
    model=Person,
    form_class=PersonForm,
    kind="people",
    title="People",
    intro="Everyone who can own an item: owners, managers, the office manager, the MSP contact.",
    columns=[
        Column("Name", lambda p: p.name, link=True),
        Column("Title", lambda p: p.title),
        Column("Email", lambda p: p.email),
        Column("Phone", lambda p: p.phone),
        Column("Notes", lambda p: p.notes),
    ],
    search_fields=["name", "title", "email"],
    empty_text="No people yet. Add the owner and whoever runs the office: items need owners.",
)

SYSTEMS = Crud(
    model=KeySystem,
    form_class=KeySystemForm,
    kind="systems",
    title="Key systems",
    intro="The systems the business runs on, who owns each, and where its data lives.",
    columns=[
        Column("System", lambda s: s.name, link=True),
        Column("Purpose", lambda s: s.purpose),
        Column("Vendor", lambda s: s.vendor_name),
        Column("Owner", lambda s: s.owner.name),
        Column("Criticality", lambda s: s.get_criticality_display().split(" — ")[0]),
        Column("Where its data lives", lambda s: s.data_location),
    ],
    search_fields=["name", "purpose", "vendor_name", "data_location"],
    write_level=Level.CONTRIBUTOR,
    queryset=lambda: KeySystem.objects.select_related("owner"),
    empty_text="No key systems yet. Start with e-mail, accounting and the line-of-business app.",
)

SITES = Crud(
    model=Site,
    form_class=SiteForm,
    kind="sites",
    title="Sites",
    columns=[
        Column("Site", lambda s: s.name, link=True),
        Column("Address", lambda s: s.address),
        Column("Internet circuit", lambda s: s.internet_circuit),
        Column("Notes", lambda s: s.notes),
    ],
    search_fields=["name", "address", "internet_circuit"],
    write_level=Level.CONTRIBUTOR,
    empty_text="No sites yet. Add each office with its internet circuit.",
)

NOTES = Crud(
    model=Note,
    form_class=NoteForm,
    kind="notes",
    title="Notes",
    columns=[
        Column("Title", lambda n: n.title, link=True),
        Column("Updated", lambda n: n.updated_at),
        Column("Note", lambda n: n.body),
    ],
    search_fields=["title", "body"],
    list_template="tenancy/notes.html",
    empty_text="No notes yet. Write down what lives only in someone's head.",
)

ALL = [PEOPLE, SYSTEMS, SITES, NOTES]
