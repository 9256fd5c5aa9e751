"""Demo practice "Balanced Bandwidth Demo": three clients, their people, systems and sites."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model

from ciodesk.core import demo
from ciodesk.core.scope import scope
from ciodesk.tenancy.models import (
    Client,
    ClientMembership,
    KeySystem,
    Note,
    Person,
    Practice,
    PracticeMembership,
    Site,
)

User = get_user_model()

PRACTICE_USERS = [
    ("lead@practice.example", "Dana Whitfield", "Fractional CIO", "lead"),
    ("consultant@practice.example", "Marcus Reyes", "Associate consultant", "consultant"),
]
CONSULTANT_CLIENTS = ["harbor-cpa", "bright-smile"]

CLIENTS = [
    {
        "slug": "harbor-cpa",
        "name": "Harbor CPA Group",
        "industry": "Accounting",
        "employee_count": 40,
        "annual_revenue": Decimal("7200000.00"),
        "fiscal_year_start_month": 1,
        "retainer_monthly_fee": Decimal("4500.00"),
        "retainer_included_hours": Decimal("16.00"),
        "meeting_cadence": "biweekly",
        "owner": ("owner@harbor-cpa.example", "Helen Park", "Managing Partner", "(805) 555-0142"),
        "people": [
            (
                "Tom Alvarez",
                "Office Manager",
                "tom.alvarez@harbor-cpa.example",
                "(805) 555-0147",
                "Day-to-day IT contact; approves MSP tickets.",
            ),
            ("Grace Kim", "Tax Partner", "grace.kim@harbor-cpa.example", "(805) 555-0150", ""),
            (
                "Jordan Blake",
                "Account Manager, CoastIT Managed Services",
                "jblake@coastit.example",
                "(805) 555-0199",
                "MSP since 2019; contract renews in March.",
            ),
        ],
        "systems": [
            (
                "Microsoft 365",
                "E-mail, Teams, SharePoint and OneDrive for all staff",
                "Microsoft",
                "Tom Alvarez",
                "critical",
                "Microsoft 365, US data centres",
            ),
            (
                "CCH Axcess Tax",
                "Tax preparation and e-filing",
                "Wolters Kluwer",
                "Grace Kim",
                "critical",
                "Vendor cloud (US)",
            ),
            (
                "SmartVault",
                "Client document portal",
                "SmartVault",
                "Tom Alvarez",
                "high",
                "Vendor cloud (AWS US)",
            ),
            (
                "QuickBooks Online Accountant",
                "Client bookkeeping",
                "Intuit",
                "Grace Kim",
                "high",
                "Intuit cloud",
            ),
            (
                "Datto SIRIS",
                "Server backup and recovery",
                "CoastIT Managed Services",
                "Jordan Blake",
                "critical",
                "On-site appliance + Datto cloud",
            ),
        ],
        "sites": [
            (
                "Ventura head office",
                "1200 Harbor Blvd, Suite 400\nVentura, CA 93001",
                "Comcast Business fibre 500/500, static IP; LTE failover",
                "Server closet in suite 410.",
            ),
            (
                "Santa Barbara office",
                "18 E Figueroa St\nSanta Barbara, CA 93101",
                "Cox Business cable 300/30",
                "Four desks; tax season only.",
            ),
        ],
        "note": (
            "Engagement context",
            "## Why they hired us\n\nTax season 2025 lost **two days** to a ransomware scare on a "
            "partner's laptop. The partners want to know the MSP is doing what it is paid for.\n\n"
            "## Standing priorities\n\n1. Cyber-insurance renewal in April: MFA everywhere.\n"
            "2. Retire the on-site file server.\n3. Second office network clean-up.",
        ),
    },
    {
        "slug": "pacific-fab",
        "name": "Pacific Fabrication",
        "industry": "Manufacturing",
        "employee_count": 120,
        "annual_revenue": Decimal("38000000.00"),
        "fiscal_year_start_month": 7,
        "retainer_monthly_fee": Decimal("7500.00"),
        "retainer_included_hours": Decimal("24.00"),
        "meeting_cadence": "weekly",
        "owner": ("owner@pacific-fab.example", "Robert Lindqvist", "CEO", "(559) 555-0110"),
        "people": [
            (
                "Alicia Moreno",
                "CFO",
                "alicia.moreno@pacific-fab.example",
                "(559) 555-0111",
                "Owns the IT budget with us.",
            ),
            ("Sam Okafor", "Plant Manager", "sam.okafor@pacific-fab.example", "(559) 555-0118", ""),
            (
                "Kevin Tran",
                "IT Coordinator",
                "kevin.tran@pacific-fab.example",
                "(559) 555-0125",
                "Internal IT, one person; handles shop-floor PCs.",
            ),
        ],
        "systems": [
            (
                "Epicor Kinetic ERP",
                "Orders, inventory, job costing",
                "Epicor",
                "Alicia Moreno",
                "critical",
                "On-premises SQL Server, plant server room",
            ),
            (
                "SolidWorks PDM",
                "Engineering drawings and revisions",
                "Dassault Systèmes",
                "Sam Okafor",
                "high",
                "On-premises vault server",
            ),
            (
                "Microsoft 365",
                "E-mail and files",
                "Microsoft",
                "Kevin Tran",
                "critical",
                "Microsoft 365, US data centres",
            ),
            ("Paylocity", "Payroll and HR", "Paylocity", "Alicia Moreno", "high", "Vendor cloud"),
            (
                "Shop-floor MES terminals",
                "Work-order tracking at 14 stations",
                "Plex",
                "Sam Okafor",
                "medium",
                "Vendor cloud; terminals on plant VLAN",
            ),
        ],
        "sites": [
            (
                "Fresno plant",
                "4410 N Golden State Blvd\nFresno, CA 93722",
                "AT&T Dedicated Internet 1 Gbps; Spectrum 300 backup",
                "Server room behind QA lab.",
            ),
            (
                "Sacramento sales office",
                "1515 K St, Suite 210\nSacramento, CA 95814",
                "Spectrum Business 200/20",
                "",
            ),
        ],
        "note": (
            "Plant constraints",
            "- The ERP server is **11 years old**; replacement is the first roadmap question.\n"
            "- Changes to shop-floor PCs only during the Sunday shutdown.",
        ),
    },
    {
        "slug": "bright-smile",
        "name": "Bright Smile Dental",
        "industry": "Dental group",
        "employee_count": 18,
        "annual_revenue": Decimal("3100000.00"),
        "fiscal_year_start_month": 1,
        "retainer_monthly_fee": Decimal("1800.00"),
        "retainer_included_hours": Decimal("6.00"),
        "meeting_cadence": "monthly",
        "owner": ("owner@bright-smile.example", "Dr. Priya Nair", "Owner, DDS", "(619) 555-0170"),
        "people": [
            (
                "Linda Cho",
                "Practice Manager",
                "linda.cho@bright-smile.example",
                "(619) 555-0171",
                "Runs the front desk and the vendor relationships.",
            ),
            (
                "Mike Ferris",
                "Technician, SmileTech IT",
                "mike@smiletech.example",
                "(619) 555-0190",
                "Break-fix IT provider, billed hourly.",
            ),
        ],
        "systems": [
            (
                "Dentrix",
                "Practice management, charting, scheduling",
                "Henry Schein One",
                "Linda Cho",
                "critical",
                "On-premises server in the Hillcrest office",
            ),
            (
                "DEXIS imaging",
                "Intraoral X-ray capture and viewing",
                "Envista",
                "Dr. Priya Nair",
                "high",
                "On-premises imaging share",
            ),
            (
                "Weave",
                "Phones, texting and reminders",
                "Weave",
                "Linda Cho",
                "high",
                "Vendor cloud",
            ),
            (
                "Microsoft 365",
                "E-mail",
                "Microsoft",
                "Linda Cho",
                "medium",
                "Microsoft 365, US data centres",
            ),
        ],
        "sites": [
            (
                "Hillcrest office",
                "3990 Fifth Ave, Suite 102\nSan Diego, CA 92103",
                "Cox Business 150/20",
                "Dentrix server under the front desk.",
            ),
            (
                "La Mesa office",
                "8311 La Mesa Blvd\nLa Mesa, CA 91942",
                "AT&T Fiber 300/300",
                "Opened 2024.",
            ),
        ],
        "note": (
            "HIPAA context",
            "Patient records are ePHI. The break-fix provider has **no signed BAA** on file: "
            "first item for the next meeting.",
        ),
    },
]


def _user(context, email: str, full_name: str):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password=context.password, full_name=full_name)
        context.new_users.append(email)
        return user
    context.kept_users.append(email)
    if context.explicit_password and not user.check_password(context.password):
        user.set_password(context.password)
        user.save(update_fields=["password"])
    return user


@demo.register("tenancy: practice, clients, people, systems, sites", order=10)
def load(context) -> None:
    practice = Practice.objects.order_by("pk").first() or Practice(name="")
    practice.name = "Balanced Bandwidth Demo"
    practice.brand_colour = "#1f6f8b"
    practice.save()

    practice_people = {}
    for email, name, title, role in PRACTICE_USERS:
        user = _user(context, email, name)
        PracticeMembership.objects.update_or_create(user=user, defaults={"role": role})
        practice_people[email], _ = Person.practice_people.get_or_create(
            name=name, defaults={"title": title, "email": email}
        )

    for spec in CLIENTS:
        client, _ = Client.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                key: spec[key]
                for key in (
                    "name",
                    "industry",
                    "employee_count",
                    "annual_revenue",
                    "fiscal_year_start_month",
                    "retainer_monthly_fee",
                    "retainer_included_hours",
                    "meeting_cadence",
                )
            }
            | {"time_zone": "America/Los_Angeles", "currency": "USD", "status": "active"},
        )
        context.clients[client.slug] = client
        with scope(client):
            email, name, title, phone = spec["owner"]
            owner_user = _user(context, email, name)
            ClientMembership.objects.get_or_create(
                user=owner_user, defaults={"role": ClientMembership.Role.EXECUTIVE}
            )
            people = {}
            rows = [(name, title, email, phone, "Signs off decisions.")] + spec["people"]
            for p_name, p_title, p_email, p_phone, p_notes in rows:
                people[p_name], _ = Person.objects.get_or_create(
                    client=client,
                    name=p_name,
                    defaults={
                        "title": p_title,
                        "email": p_email,
                        "phone": p_phone,
                        "notes": p_notes,
                    },
                )
            for s_name, purpose, vendor, owner, criticality, location in spec["systems"]:
                KeySystem.objects.get_or_create(
                    name=s_name,
                    defaults={
                        "purpose": purpose,
                        "vendor_name": vendor,
                        "owner": people[owner],
                        "criticality": criticality,
                        "data_location": location,
                    },
                )
            for site_name, address, circuit, notes in spec["sites"]:
                Site.objects.get_or_create(
                    name=site_name,
                    defaults={"address": address, "internet_circuit": circuit, "notes": notes},
                )
            title, body = spec["note"]
            Note.objects.get_or_create(title=title, defaults={"body": body})
            if client.slug in CONSULTANT_CLIENTS:
                consultant = User.objects.get(email="consultant@practice.example")
                ClientMembership.objects.get_or_create(
                    user=consultant, defaults={"role": ClientMembership.Role.CONSULTANT}
                )
        context.stdout.write(
            f"      {client.name}: {len(spec['systems'])} systems, {len(spec['sites'])} sites"
        )
