"""Suggestions from the answer library and the control state; approval grows the library."""

import datetime

import pytest

from ciodesk.core.scope import acting_as, scope
from ciodesk.security import services_controls
from ciodesk.security import services_questionnaires as services
from ciodesk.security.models import AnswerLibraryEntry, Questionnaire, QuestionnaireItem

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def alpha(world):
    """Alpha's controls: MFA on e-mail verified last week, backups verified 200 days ago
    (stale: re-verified every 90 days or less), EDR not in place."""
    with scope(world.a), acting_as("test"):
        services_controls.ensure_client_controls(world.a)
        services_controls.add_evidence(
            services_controls.control_for("mfa-email"),
            kind="note",
            title="Entra MFA report: 40 of 40 registered",
            verified_on=TODAY - datetime.timedelta(days=7),
            status="in_place",
        )
        services_controls.add_evidence(
            services_controls.control_for("backups"),
            kind="note",
            title="Backup report",
            verified_on=TODAY - datetime.timedelta(days=200),
            status="in_place",
        )
        edr = services_controls.control_for("endpoint-protection")
        edr.status = "not_in_place"
        edr.save()
        yield world


def suggest(question: str):
    return services.Suggester(TODAY).suggest(question)


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("Do you enforce multi-factor authentication for all e-mail accounts?", "mfa-email"),
        ("Is 2FA required for administrators?", "mfa-admins"),
        ("Is MFA required on the VPN?", "mfa-remote-access"),
        ("Is at least one backup copy offline or immutable?", "backup-offline-copy"),
        ("When did you last test a restore from backup?", "restore-test"),
        ("Are critical data backed up every day?", "backups"),
        ("Is EDR (not just antivirus) deployed on all endpoints?", "endpoint-protection"),
        ("Are laptops encrypted?", "disk-encryption"),
        ("Do you run phishing simulations?", "phishing-simulation"),
        ("Do staff receive security awareness training every year?", "security-training"),
        ("Is there a written incident response plan?", "incident-response-plan"),
        ("Are SPF, DKIM and DMARC configured?", "email-security"),
        ("Is RDP exposed to the internet?", "firewall-remote-exposure"),
        ("Are user access rights reviewed at least twice a year?", "access-review"),
        ("What is your company's registered address?", None),
    ],
)
def test_question_words_lead_to_one_baseline_control(question, key):
    assert services.control_key(question) == key


def test_a_control_in_place_gives_a_firm_yes_with_its_evidence_date(alpha):
    suggestion = suggest("Do you enforce multi-factor authentication for all e-mail accounts?")
    assert suggestion.answer.startswith("Yes.")
    assert "Last verified on 2026-11-15." in suggestion.answer
    assert suggestion.source.startswith("Control “Multi-factor sign-in on e-mail")
    assert "in place, verified 2026-11-15" in suggestion.source
    assert suggestion.caution is False


def test_a_stale_control_gives_a_cautious_answer(alpha):
    suggestion = suggest("Are critical data backed up every day?")
    assert not suggestion.answer.startswith("Yes")
    assert "re-verifying" in suggestion.answer and "2026-05-06" in suggestion.answer
    assert "stale" in suggestion.source
    assert suggestion.caution is True


def test_a_control_not_in_place_says_so(alpha):
    suggestion = suggest("Is EDR deployed on all workstations and servers?")
    assert suggestion.answer.startswith("Not at present.")
    assert suggestion.caution is True


def test_the_closest_approved_answer_comes_from_the_library(alpha):
    with scope(alpha.a), acting_as("test"):
        AnswerLibraryEntry.objects.create(
            question="Does the company carry cyber liability insurance?",
            answer="Yes: a $2M cyber policy with Coalition, renewed each March.",
            approved_on=datetime.date(2026, 3, 2),
        )
        AnswerLibraryEntry.objects.create(question="Do you have a firewall?", answer="Yes.")
        suggestion = suggest("Does your company carry cyber insurance?")
        unrelated = suggest("What is your company's registered address?")
    assert suggestion.answer == "Yes: a $2M cyber policy with Coalition, renewed each March."
    assert suggestion.source.startswith("Answer library: ")
    assert "match with “Does the company carry cyber liability insurance?”" in suggestion.source
    assert "(approved 2026-03-02)" in suggestion.source
    assert suggestion.caution is False
    assert unrelated is None


def test_a_library_answer_resting_on_a_stale_control_needs_care(alpha):
    with scope(alpha.a), acting_as("test"):
        AnswerLibraryEntry.objects.create(
            question="Are backups taken daily?",
            answer="Yes, every night.",
            control=services_controls.control_for("backups"),
        )
        suggestion = suggest("Are backups taken every day?")
    assert suggestion.answer == "Yes, every night."
    assert suggestion.caution is True
    assert "is stale now" in suggestion.source


def _questionnaire(world, questions: list[str], title="Acme review") -> Questionnaire:
    person = world.records["a"]["people"]
    questionnaire = Questionnaire.objects.create(
        title=title,
        owner=person,
        original="clients/none.xlsx",
        filename="acme.xlsx",
        sha256=title,
        sheet="Sheet1",
        question_column="B",
        answer_column="C",
    )
    suggester = services.Suggester(TODAY)
    for row, question in enumerate(questions, start=2):
        item = QuestionnaireItem(questionnaire=questionnaire, row=row, question=question)
        services.apply_suggestion(item, suggester.suggest(question))
        item.save()
    return questionnaire


def test_approving_an_answer_adds_it_to_the_library_and_a_later_one_updates_it(alpha):
    question = "Is there a written incident response plan?"
    with scope(alpha.a), acting_as("test"):
        first = _questionnaire(alpha, [question]).items.get()
        services.approve(first, "Yes, reviewed every year.", alpha.lead, TODAY)
        entry = AnswerLibraryEntry.objects.get(question=question)
        assert entry.answer == "Yes, reviewed every year."
        assert entry.approved_by == alpha.lead
        assert entry.control.definition.key == "incident-response-plan"
        assert entry.source == "Acme review, row 2"
        assert first.questionnaire.status == "approved"

        again = _questionnaire(alpha, ["Is there a written incident response plan ?"], "Beta")
        item = again.items.get()
        assert item.suggested_answer == "Yes, reviewed every year."  # from the library now
        services.approve(item, "Yes; tested in a tabletop in May.", alpha.lead, TODAY)
        assert AnswerLibraryEntry.objects.filter(question__icontains="incident").count() == 1
        assert AnswerLibraryEntry.objects.get(pk=entry.pk).answer == (
            "Yes; tested in a tabletop in May."
        )


def test_approve_all_leaves_cautious_suggestions_for_review(alpha):
    questions = [
        "Is MFA enforced for e-mail?",  # in place: firm
        "Are critical data backed up every day?",  # stale: cautious
        "Is EDR deployed on all endpoints?",  # not in place: cautious
        "What is your registered address?",  # no suggestion
    ]
    with scope(alpha.a), acting_as("test"):
        questionnaire = _questionnaire(alpha, questions)
        items = list(questionnaire.items.all())
        assert [i.caution for i in items] == [False, True, True, False]
        assert [i.status for i in items] == ["suggested", "suggested", "suggested", "none"]
        assert services.firm_items(items) == items[:1]
        approved, skipped = services.approve_all_suggested(questionnaire, alpha.lead, TODAY)
        assert (approved, skipped) == (1, 0)
        statuses = list(questionnaire.items.values_list("status", flat=True))
        assert statuses == ["approved", "suggested", "suggested", "none"]
        assert questionnaire.status == "in_review"
        assert AnswerLibraryEntry.objects.filter(question=questions[0]).exists()


def test_approve_all_skips_a_suggestion_whose_control_went_stale_since(alpha):
    with scope(alpha.a), acting_as("test"):
        questionnaire = _questionnaire(alpha, ["Is MFA enforced for e-mail?"])
        later = TODAY + datetime.timedelta(days=60)  # MFA evidence is re-verified monthly
        approved, skipped = services.approve_all_suggested(questionnaire, alpha.lead, later)
        item = questionnaire.items.get()
    assert (approved, skipped) == (0, 1)
    assert item.status == "suggested" and item.caution is True


def test_suggest_again_follows_new_evidence(alpha):
    with scope(alpha.a), acting_as("test"):
        questionnaire = _questionnaire(alpha, ["Are critical data backed up every day?"])
        assert questionnaire.items.get().caution is True
        services_controls.add_evidence(
            services_controls.control_for("backups"),
            kind="note",
            title="Backup report, this week",
            verified_on=TODAY,
        )
        assert services.refresh_suggestions(questionnaire, TODAY) == 1
        item = questionnaire.items.get()
    assert item.caution is False and item.suggested_answer.startswith("Yes.")
