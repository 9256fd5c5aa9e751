"""The traffic lights follow the rules printed under them."""

import datetime
from decimal import Decimal

from ciodesk.reports.periods import Quarter
from ciodesk.reports.sections import AMBER, GREEN, RED, judge
from ciodesk.reports.sources.budget import BudgetFigures
from ciodesk.reports.sources.delivery import ProjectLine, ProjectsNow
from ciodesk.reports.sources.roadmap import ItemLine, RoadmapNow
from ciodesk.reports.sources.security import Counts, RiskLine, SecurityNow, StaleLine
from ciodesk.reports.sources.vendors import ContractLine, SlaLine, VendorsNow

TODAY = datetime.date(2026, 11, 22)


def security(critical_gaps=(), stale=(), risks=(), weak=()) -> SecurityNow:
    effective = ["stale"] * len(stale) + ["in_place"] * 10
    return SecurityNow(
        TODAY, Counts.of(effective), list(stale), list(critical_gaps), list(weak), list(risks)
    )


def risk(score: int, overdue: bool = False) -> RiskLine:
    return RiskLine("R", score, "", "", "Pat", "Mitigate", "", None, "", overdue, TODAY)


def test_security_is_red_when_an_insurance_critical_control_is_stale():
    light = security(critical_gaps=[("MFA on e-mail", "Stale")]).light
    assert light.colour == RED
    assert "MFA on e-mail (stale)" in light.reason


def test_security_is_red_with_a_critical_risk_amber_with_a_high_one():
    assert security(risks=[risk(20)]).light.colour == RED
    assert security(risks=[risk(12)]).light.colour == AMBER
    assert security(risks=[risk(6)]).light.colour == GREEN


def test_security_is_amber_when_another_control_is_stale_or_a_review_is_late():
    assert (
        security(stale=[StaleLine("Wi-Fi", "Pat", "stale for 3 days", False)]).light.colour == AMBER
    )
    assert security(risks=[risk(4, overdue=True)]).light.colour == AMBER


def contract(days: int, status: str) -> ContractLine:
    due = TODAY + datetime.timedelta(days=days)
    return ContractLine(
        "ISP", "Fibre", "Pat", due, due, days, "", status, "", "", True, Decimal("100"), "USD", ""
    )


def vendors(contracts=(), sla=None) -> VendorsNow:
    return VendorsNow(TODAY, "USD", list(contracts), [], sla)


def test_vendors_turn_red_at_14_days_to_a_notice_deadline():
    assert vendors([contract(14, "act_now")]).light.colour == RED
    assert vendors([contract(15, "act_now")]).light.colour == AMBER
    assert vendors([contract(-3, "locked_in")]).light.colour == AMBER
    assert vendors([contract(90, "upcoming")]).light.colour == GREEN


def test_vendors_follow_the_main_msps_sla_attainment():
    def sla(pct):
        return SlaLine("MSP", TODAY, TODAY, 10, 99.0, pct)

    assert vendors(sla=sla(79.9)).light.colour == RED
    assert vendors(sla=sla(85.0)).light.colour == AMBER
    assert vendors(sla=sla(90.0)).light.colour == GREEN


def budget(budget_to_date, actual, year, forecast) -> BudgetFigures:
    return BudgetFigures(
        "FY2026",
        "USD",
        6,
        Decimal(year),
        Decimal(budget_to_date),
        Decimal(actual),
        Decimal(forecast),
        bool(year),
        0,
    )


def test_budget_is_red_more_than_ten_percent_over():
    assert budget(1000, 1101, 2000, 2000).light.colour == RED
    assert budget(1000, 1000, 2000, 2201).light.colour == RED
    assert budget(1000, 1100, 2000, 2000).light.colour == AMBER
    assert budget(1000, 900, 2000, 1800).light.colour == GREEN
    assert budget(0, 500, 0, 1000).light.colour == AMBER  # spend without a budget


def project(health="on_track", stalled=False, overdue=False) -> ProjectLine:
    return ProjectLine(
        "Move",
        "Pat",
        "active",
        "Active",
        health,
        stalled,
        None,
        0,
        0,
        None,
        None,
        overdue,
        None,
        "",
        "",
        "",
        "",
        "",
        Decimal(0),
        "USD",
    )


def test_projects_are_red_off_track_or_late_amber_at_risk_or_stalled():
    assert ProjectsNow([project("off_track")]).light.colour == RED
    assert ProjectsNow([project(overdue=True)]).light.colour == RED
    assert ProjectsNow([project("at_risk")]).light.colour == AMBER
    assert ProjectsNow([project(stalled=True)]).light.colour == AMBER
    assert ProjectsNow([project()]).light.colour == GREEN


def item(quarter: int, status: str) -> ItemLine:
    return ItemLine(
        "MFA",
        "",
        status,
        status,
        "Pat",
        2026,
        quarter,
        Decimal(0),
        Decimal(0),
        Decimal(0),
        "USD",
        (0,),
    )


def test_the_roadmap_is_red_when_half_the_due_items_are_not_done():
    now = Quarter(2026, 4, 1)
    assert RoadmapNow(now, [item(1, "done"), item(2, "in_progress")]).light.colour == RED
    assert (
        RoadmapNow(now, [item(1, "done"), item(2, "done"), item(3, "approved")]).light.colour
        == AMBER
    )
    assert RoadmapNow(now, [item(3, "done"), item(4, "proposed")]).light.colour == GREEN


def test_a_reason_past_the_red_line_is_listed_once():
    light = judge(red=["7 items overdue"], amber=["7 items overdue", "1 stalled"], green="ok")
    assert light.colour == RED
    assert light.reasons == ("7 items overdue", "1 stalled")
