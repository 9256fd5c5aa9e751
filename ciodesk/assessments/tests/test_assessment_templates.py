"""Template versions: copying, editing a copy, frozen versions, the practice-only pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ciodesk.assessments import services_templates
from ciodesk.assessments.models import AssessmentTemplate, TemplateQuestion
from ciodesk.assessments.tests.conftest import SMALL, plain, questions, sections

BASE = "/assessment-templates/"


def test_a_copy_is_the_next_version_and_old_assessments_keep_theirs(world, as_user, assessment):
    v1 = assessment.template
    lead = as_user(world.lead)
    response = lead.post(f"{BASE}{v1.pk}/copy/", {"mode": "version", "name": "Small test template"})
    v2 = AssessmentTemplate.objects.get(slug="small", version=2)
    assert response["Location"] == f"{BASE}{v2.pk}/"
    assert v2.based_on == v1 and not v2.builtin

    # Reword, reweight, remove and add questions in the copy.
    mfa = questions(v2)["mfa"]
    data = {
        "domain": mfa.domain_id,
        "key": "mfa",
        "text": "Is MFA enforced on every mailbox, shared ones included?",
        "kind": "yes_no",
        "weight": 4,
        "insurance_critical": "on",
        "controls": ["mfa-email"],
        "finding_title": "E-mail without MFA",
        "finding_disposition": "fix",
        "order": 10,
    }
    assert lead.post(f"{BASE}questions/{mfa.pk}/edit/", data).status_code == 302
    admins = questions(v2)["admins"]
    assert lead.post(f"{BASE}questions/{admins.pk}/delete/").status_code == 302
    new = dict(
        data,
        key="vault",
        text="Are admin passwords in a vault?",
        weight=2,
        controls=["password-manager"],
    )
    assert lead.post(f"{BASE}{v2.pk}/questions/new/", new).status_code == 302

    assert sorted(questions(v2)) == ["daily", "edr", "mfa", "notes", "review", "vault"]
    assert questions(v2)["mfa"].weight == 4
    # Version 1 and the assessment that used it are untouched.
    assert questions(v1)["mfa"].text == "Is multi-factor sign-in enforced on e-mail?"
    assert questions(v1)["mfa"].weight == 5 and "admins" in questions(v1)
    identity = sections(world, assessment)["identity"]
    page = plain(lead.get(f"/c/alpha/assessments/sections/{identity.pk}/").content)
    assert "Is multi-factor sign-in enforced on e-mail?" in page
    assert "Are admin passwords in a vault?" not in page
    assessment.refresh_from_db()
    assert assessment.template_id == v1.pk


def test_a_used_or_builtin_version_cannot_be_edited(world, as_user, assessment):
    lead = as_user(world.lead)
    used = assessment.template
    mfa = questions(used)["mfa"]
    response = lead.post(f"{BASE}questions/{mfa.pk}/delete/", follow=True)
    assert "has been used by an assessment: copy it to a new version" in plain(response.content)
    assert TemplateQuestion.objects.filter(pk=mfa.pk).exists()
    (builtin,) = services_templates.ensure_builtin_templates()
    response = lead.post(f"{BASE}{builtin.pk}/edit/", {"name": "Mine"}, follow=True)
    assert "is built in: copy it" in plain(response.content)
    builtin.refresh_from_db()
    assert builtin.name == "ciodesk baseline IT assessment"


def test_a_copy_under_a_new_slug_starts_at_version_one(world, as_user, small_template):
    lead = as_user(world.lead)
    lead.post(
        f"{BASE}{small_template.pk}/copy/",
        {"mode": "template", "slug": "dental", "name": "Dental review"},
    )
    copy = AssessmentTemplate.objects.get(slug="dental")
    assert (copy.version, copy.name) == (1, "Dental review")
    response = lead.post(
        f"{BASE}{small_template.pk}/copy/", {"mode": "template", "slug": "dental", "name": "Again"}
    )
    assert response.status_code == 400 and "is taken" in plain(response.content)


def test_choices_and_bands_are_edited_as_lines_and_checked(world, as_user, small_template):
    lead = as_user(world.lead)
    review = questions(small_template)["review"]
    page = lead.get(f"{BASE}questions/{review.pk}/edit/").content.decode()
    assert "often | Twice a year | 1" in page
    data = {
        "domain": review.domain_id,
        "key": "review",
        "text": "How often is access reviewed?",
        "kind": "choice",
        "weight": 2,
        "choices_text": "often | Twice a year | 1\nsometimes | Yearly | 1.5",
        "finding_title": "Access is not reviewed",
        "finding_disposition": "fix",
        "order": 30,
    }
    response = lead.post(f"{BASE}questions/{review.pk}/edit/", data)
    assert response.status_code == 400
    assert "choices[1].score: must be between 0 and 1 (it is 1.5)" in plain(response.content)
    data["choices_text"] = "often | Twice a year | 1\nsometimes | Yearly | 0.5\nnever | Never | 0"
    assert lead.post(f"{BASE}questions/{review.pk}/edit/", data).status_code == 302
    review.refresh_from_db()
    assert review.choices[1] == {"value": "sometimes", "label": "Yearly", "score": 0.5}


def test_the_import_page_lists_every_problem_and_imports_nothing(world, as_user):
    lead = as_user(world.lead)
    bad = SMALL.replace("kind: number", "kind: percent").encode()
    response = lead.post(f"{BASE}import/", {"file": SimpleUploadedFile("t.yaml", bad)})
    assert response.status_code == 400
    assert "domains[1].questions[0].kind: must be one of yes_no, choice, number, text" in plain(
        response.content
    )
    assert not AssessmentTemplate.objects.filter(slug="small").exists()
    response = lead.post(f"{BASE}import/", {"file": SimpleUploadedFile("t.yaml", SMALL.encode())})
    template = AssessmentTemplate.objects.get(slug="small")
    assert response["Location"] == f"{BASE}{template.pk}/"


def test_the_yaml_download_is_the_canonical_export(world, as_user, small_template):
    response = as_user(world.consultant).get(f"{BASE}{small_template.pk}/yaml/")
    assert response["Content-Disposition"] == 'attachment; filename="small-v1.yaml"'
    assert response.content.decode() == services_templates.export_yaml(small_template)


def test_the_list_installs_the_builtin_template_and_exports(world, as_user):
    consultant = as_user(world.consultant)
    page = plain(consultant.get(BASE).content)
    assert "ciodesk baseline IT assessment" in page and "Built in" in page
    csv = consultant.get(f"{BASE}export/?format=csv").content.decode()
    assert "ciodesk-baseline" in csv


@pytest.mark.parametrize("persona", ["exec_a", "contrib_a"])
def test_client_users_cannot_open_the_template_pages(world, as_user, small_template, persona):
    client = as_user(getattr(world, persona))
    for url in (
        BASE,
        f"{BASE}{small_template.pk}/",
        f"{BASE}{small_template.pk}/copy/",
        f"{BASE}import/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{BASE}{small_template.pk}/delete/").status_code == 403
    assert AssessmentTemplate.objects.filter(pk=small_template.pk).exists()
