"""One of each delivery record for the URL sweep and the canary crawl (called by conftest)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def make_delivery_records(client, person, text: str = "") -> dict:
    """One of each delivery record for `client`, every text field carrying `text`."""
    from ciodesk.accounts.models import User
    from ciodesk.core.scope import scope
    from ciodesk.delivery import models as d

    today = datetime.date(2026, 11, 22)
    decider = User.objects.filter(email="lead@example.com").first() or User.objects.create(
        email=f"decider-{client.slug}@example.com"
    )
    with scope(client):
        decision = d.Decision.objects.create(
            question="Replace the firewall?" + text,
            context="End of support" + text,
            recommendation="Option B" + text,
            recommendation_why="Cheaper over 3 years" + text,
            deadline=today + datetime.timedelta(days=10),
            decider=decider,
            owner=person,
        )
        option = d.DecisionOption.objects.create(
            decision=decision,
            title="Replace now" + text,
            cost="4200.00",
            risk="Low" + text,
            pros="Supported" + text,
            cons="Cost" + text,
        )
        project = d.Project.objects.create(
            name="Office move" + text,
            objective="Move without downtime" + text,
            scope_in="Network" + text,
            scope_out="Furniture" + text,
            owner=person,
            budget="12000.00",
            start_on=today - datetime.timedelta(days=30),
            target_on=today + datetime.timedelta(days=60),
            latest_update_on=today - datetime.timedelta(days=3),
        )
        milestone = d.Milestone.objects.create(
            project=project, title="Cabling done" + text, due_on=today
        )
        update = d.ProjectUpdate.objects.create(
            project=project,
            on=today - datetime.timedelta(days=3),
            health="at_risk",
            text="ISP late" + text,
            next_steps="Escalate" + text,
        )
        change = d.ScopeChange.objects.create(
            project=project, on=today, change="Add phones" + text, reason="Lease" + text
        )
        meeting = d.Meeting.objects.create(
            starts_at=timezone.make_aware(datetime.datetime(2026, 11, 18, 10, 0)),
            title="IT review" + text,
            agenda="1. Decisions" + text,
            minutes="Agreed" + text,
            owner=person,
        )
        meeting.attendees.add(person)
        meeting.decisions.add(decision)
        action = d.ActionItem.objects.create(
            title="Send quotes" + text,
            owner=person,
            due_on=today,
            meeting=meeting,
            project=project,
            notes="n" + text,
        )
        entry = d.TimeEntry.objects.create(
            on=today, minutes=90, category="meeting", note="Review" + text, user=decider
        )
    return {
        "decisions": decision,
        "decision_options": option,
        "projects": project,
        "milestones": milestone,
        "project_updates": update,
        "scope_changes": change,
        "meetings": meeting,
        "action_items": action,
        "time_entries": entry,
    }
