"""Answering and reviewing: a contributor answers (saved as they go, htmx or plain form),
submits; the CIO reviews; the assessment completes with frozen scores."""

from __future__ import annotations

import re

from ciodesk.assessments.models import Answer, Assessment, Finding, SectionAssignment
from ciodesk.assessments.tests.conftest import answer_all, plain, questions, sections
from ciodesk.core.scope import scope


def _url(section, action=""):
    return f"/c/alpha/assessments/sections/{section.pk}/{action}"


def test_a_contributor_answers_with_htmx_and_gets_the_row_and_progress(world, as_user, assessment):
    identity = sections(world, assessment)["identity"]
    mfa = questions(assessment.template)["mfa"]
    client = as_user(world.contrib_a)
    response = client.post(
        _url(identity, "answer/"),
        {"question": mfa.pk, f"q{mfa.pk}-value": "yes", f"q{mfa.pk}-note": "Conditional access"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="q-{mfa.pk}"' in body  # the updated row
    assert "Saved." in body
    assert re.search(r'id="section-progress"[^>]*hx-swap-oob="true"', body)
    assert "<strong>1 of 3</strong> answered" in body  # the section's progress, out of band
    assert "<html" not in body  # a fragment, not a page
    with scope(world.a):
        answer = Answer.objects.get(assessment=assessment, question=mfa)
    assert (answer.value, answer.note, answer.answered_by) == (
        "yes",
        "Conditional access",
        world.contrib_a,
    )


def test_the_same_form_works_without_javascript(world, as_user, assessment):
    identity = sections(world, assessment)["identity"]
    review = questions(assessment.template)["review"]
    client = as_user(world.contrib_a)
    response = client.post(
        _url(identity, "answer/"), {"question": review.pk, f"q{review.pk}-value": "rarely"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/sections/{identity.pk}/#q-{review.pk}")
    page = client.get(_url(identity)).content.decode()
    assert "<strong>1 of 3</strong> answered" in page
    assert f'value="rarely" id="id_q{review.pk}-value_1" checked' in page.replace("\n", "")


def test_a_bad_answer_is_refused_with_the_reason_in_the_row(world, as_user, assessment):
    devices = sections(world, assessment)["devices"]
    edr = questions(assessment.template)["edr"]
    response = as_user(world.contrib_a).post(
        _url(devices, "answer/"),
        {"question": edr.pk, f"q{edr.pk}-number": "lots", f"q{edr.pk}-evidence_url": "not a link"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Enter a number." in body and "Enter a valid URL." in body
    with scope(world.a):
        assert not Answer.objects.filter(assessment=assessment, question=edr).exists()


def test_a_question_of_another_section_is_refused(world, as_user, assessment):
    identity = sections(world, assessment)["identity"]
    daily = questions(assessment.template)["daily"]  # belongs to "devices"
    response = as_user(world.contrib_a).post(
        _url(identity, "answer/"), {"question": daily.pk, f"q{daily.pk}-value": "yes"}
    )
    assert response.status_code == 400


def test_contributors_answer_only_their_sections_or_unassigned_ones(world, as_user, assessment):
    identity = sections(world, assessment)["identity"]
    mfa = questions(assessment.template)["mfa"]
    with scope(world.a):
        identity.assignee = world.consultant
        identity.save()
    client = as_user(world.contrib_a)
    data = {"question": mfa.pk, f"q{mfa.pk}-value": "no"}
    assert client.post(_url(identity, "answer/"), data).status_code == 403
    assert "Submit for review" not in client.get(_url(identity)).content.decode()
    with scope(world.a):
        identity.assignee = world.contrib_a
        identity.save()
    assert client.post(_url(identity, "answer/"), data).status_code == 302


def test_an_executive_reads_but_cannot_answer(world, as_user, assessment):
    identity = sections(world, assessment)["identity"]
    client = as_user(world.exec_a)
    page = client.get(_url(identity)).content.decode()
    assert "Not answered" in page and "<form" not in page.split('class="as-questions"')[1]
    assert client.post(_url(identity, "answer/"), {}).status_code == 403


def test_two_stages_contributor_submits_cio_reviews(world, as_user, assessment):
    identity = sections(world, assessment)["identity"]
    answer_all(
        world, assessment, {"mfa": "no", "admins": "partial", "review": "often"}, world.contrib_a
    )
    contributor = as_user(world.contrib_a)
    assert contributor.post(_url(identity, "review/")).status_code == 403  # cannot review
    assert contributor.post(_url(identity, "submit/")).status_code == 302
    with scope(world.a):
        identity.refresh_from_db()
        assert identity.stage == SectionAssignment.Stage.SUBMITTED
    # Submitted: the contributor can no longer change answers.
    mfa = questions(assessment.template)["mfa"]
    assert (
        contributor.post(
            _url(identity, "answer/"), {"question": mfa.pk, f"q{mfa.pk}-value": "yes"}
        ).status_code
        == 403
    )

    lead = as_user(world.lead)
    page = lead.get(_url(identity)).content.decode()
    assert "Mark reviewed" in page
    assert lead.post(_url(identity, "review/")).status_code == 302
    with scope(world.a):
        identity.refresh_from_db()
        assert identity.stage == SectionAssignment.Stage.REVIEWED
        assert identity.reviewer == world.lead
        titles = set(Finding.objects.filter(assessment=assessment).values_list("title", flat=True))
    assert titles == {"E-mail without MFA", "Shared admin accounts"}  # partial is ½: a finding

    detail = lead.get(f"/c/alpha/assessments/{assessment.pk}/").content.decode()
    # identity: 0×5 + ½×3 + 1×2 = 3.5 of 10 → 35.0; the only scored answers so far.
    assert '<span id="overall-score">35.0</span>' in detail
    assert "Critical risk" in detail
    text = plain(detail)
    assert "3 unanswered, left out of the score" in text
    assert "Is multi-factor sign-in enforced on e-mail?" in text.split("Insurance-critical gap")[1]


def test_a_returned_section_can_be_answered_again(world, as_user, assessment):
    identity = sections(world, assessment)["identity"]
    answer_all(world, assessment, {"mfa": "no"})
    contributor = as_user(world.contrib_a)
    contributor.post(_url(identity, "submit/"))
    lead = as_user(world.lead)
    lead.post(_url(identity, "return/"))
    with scope(world.a):
        identity.refresh_from_db()
    assert identity.stage == SectionAssignment.Stage.ANSWERING


def test_completing_needs_every_section_reviewed_then_freezes_the_score(world, as_user, assessment):
    answer_all(
        world,
        assessment,
        {
            "mfa": "yes",
            "admins": "yes",
            "review": "often",
            "edr": 95,
            "daily": "yes",
            "notes": "ok",
        },
    )
    lead = as_user(world.lead)
    url = f"/c/alpha/assessments/{assessment.pk}/complete/"
    lead.post(url)
    with scope(world.a):
        assert Assessment.objects.get(pk=assessment.pk).status != "complete"
    for section in sections(world, assessment).values():
        lead.post(_url(section, "submit/"))
        lead.post(_url(section, "review/"))
    response = lead.post(url, follow=True)
    # identity 10 of 10; devices ½×4 + 1×5 = 7 of 9 → 77.8; overall 17 of 19 → 89.5
    assert "is complete: 89.5 (Low risk)" in response.content.decode()
    with scope(world.a):
        done = Assessment.objects.get(pk=assessment.pk)
    assert (done.status, str(done.score), done.rating) == ("complete", "89.5", "Low")
    assert done.domain_scores == {"identity": 100.0, "devices": 77.8}
    assert done.completed_on == world.a.today()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_evidence_files_are_checked_kept_and_served_as_downloads(
    world, as_user, assessment, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    identity = sections(world, assessment)["identity"]
    mfa = questions(assessment.template)["mfa"]
    client = as_user(world.contrib_a)
    page = SimpleUploadedFile("policy.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(
        _url(identity, "answer/"),
        {"question": mfa.pk, f"q{mfa.pk}-value": "yes", f"q{mfa.pk}-evidence_file": page},
        HTTP_HX_REQUEST="true",
    )
    assert "contains a web page or script" in plain(response.content)
    report = SimpleUploadedFile("mfa-report.pdf", PDF)
    client.post(
        _url(identity, "answer/"),
        {"question": mfa.pk, f"q{mfa.pk}-value": "yes", f"q{mfa.pk}-evidence_file": report},
        HTTP_HX_REQUEST="true",
    )
    with scope(world.a):
        answer = Answer.objects.get(assessment=assessment, question=mfa)
    download = as_user(world.exec_a).get(f"/c/alpha/assessments/answers/{answer.pk}/evidence/")
    assert download["Content-Disposition"] == 'attachment; filename="mfa-report.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
