"""Vendor evaluations: the weighted result, the ranking and the transition checklist."""

from decimal import Decimal
from fractions import Fraction

import pytest

from ciodesk.core.scope import scope
from ciodesk.vendors.models import (
    Candidate,
    CandidateScore,
    Evaluation,
    EvaluationCriterion,
    TransitionTask,
)
from ciodesk.vendors.services_reviews import evaluation_matrix, weighted_fraction


@pytest.fixture
def evaluation(world):
    """Weights 3, 2, 1. Harborview 5/3/2 → 23/6 = 3.83…; Northwind 4/4/4 → 4; Keel 2/5/5."""
    with scope(world.a):
        ev = Evaluation.objects.create(title="MSP transition", owner=world.records["a"]["people"])
        criteria = [
            EvaluationCriterion.objects.create(evaluation=ev, name=n, weight=w)
            for n, w in [("Security", 3), ("Price", 2), ("References", 1)]
        ]
        for name, cost, currency, scores in [
            ("Harborview IT", "48000.00", "USD", (5, 3, 2)),
            ("Northwind MSP", "52500.50", "EUR", (4, 4, 4)),
            ("Keel Systems", "39000.00", "USD", (2, 5, 5)),
        ]:
            candidate = Candidate.objects.create(
                evaluation=ev, name=name, annual_cost=cost, currency=currency
            )
            for criterion, score in zip(criteria, scores, strict=True):
                CandidateScore.objects.create(candidate=candidate, criterion=criterion, score=score)
    return ev


def test_weighted_result_by_hand():
    assert weighted_fraction([(3, 5), (2, 3), (1, 2)]) == Fraction(23, 6)
    assert weighted_fraction([(3, 2), (2, 5), (1, 5)]) == Fraction(21, 6)
    assert weighted_fraction([(2, None), (2, 4)]) == 2  # an unscored cell counts as 0
    assert weighted_fraction([(0, 5)]) is None


def test_the_matrix_ranks_by_weighted_result(world, evaluation):
    with scope(world.a):
        matrix = evaluation_matrix(evaluation)
    results = {r.candidate.name: r for r in matrix.results}
    assert results["Harborview IT"].weighted == Decimal("3.8")
    assert results["Harborview IT"].percent == Decimal("76.7")
    assert (results["Northwind MSP"].weighted, results["Northwind MSP"].percent) == (
        Decimal("4.0"),
        Decimal("80.0"),
    )
    assert results["Keel Systems"].weighted == Decimal("3.5")
    assert [(r.rank, r.candidate.name) for r in matrix.ranking] == [
        (1, "Northwind MSP"),
        (2, "Harborview IT"),
        (3, "Keel Systems"),
    ]


def test_the_page_shows_the_matrix_cost_and_ranking(world, as_user, evaluation):
    page = as_user(world.exec_a).get(f"/c/alpha/vendors/evaluations/{evaluation.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "3.8</strong> of 5" in body and "76.7%" in body
    assert "$48,000.00" in body and "€52,500.50" in body
    ranking = body[body.index("<h3>Ranking</h3>") :]
    assert ranking.index("Northwind") < ranking.index("Harborview") < ranking.index("Keel")
    assert "Enter scores" not in body  # the executive reads only


def test_one_form_scores_the_whole_matrix(world, as_user, evaluation):
    client = as_user(world.consultant)
    url = f"/c/alpha/vendors/evaluations/{evaluation.pk}/scores/"
    with scope(world.a):
        matrix = evaluation_matrix(evaluation)
    keel = next(r for r in matrix.results if r.candidate.name == "Keel Systems")
    security = matrix.criteria[0]
    data = {}
    for result in matrix.results:
        for criterion, score in zip(matrix.criteria, result.scores, strict=True):
            data[f"score_{result.candidate.pk}_{criterion.pk}"] = score
    data[f"score_{keel.candidate.pk}_{security.pk}"] = 7
    refused = client.post(url, data)
    assert "Scores run from 0 to 5." in refused.content.decode()
    data[f"score_{keel.candidate.pk}_{security.pk}"] = 5  # Keel: (3×5 + 2×5 + 1×5) / 6 = 5
    assert client.post(url, data).status_code == 302
    with scope(world.a):
        ranking = evaluation_matrix(evaluation).ranking
    assert [(r.candidate.name, r.weighted) for r in ranking][0] == ("Keel Systems", Decimal("5.0"))
    data[f"score_{keel.candidate.pk}_{security.pk}"] = ""  # cleared: not scored yet
    client.post(url, data)
    with scope(world.a):
        assert not CandidateScore.objects.filter(candidate=keel.candidate, criterion=security)


def test_the_transition_checklist_done_toggle(world, as_user, evaluation):
    with scope(world.a):
        task = TransitionTask.objects.create(
            evaluation=evaluation,
            title="Move the domain registrar",
            owner=world.records["a"]["people"],
        )
    url = f"/c/alpha/vendors/evaluations/tasks/{task.pk}/toggle/"
    client = as_user(world.consultant)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    task.refresh_from_db()
    assert task.done
    fragment = client.post(url, HTTP_HX_REQUEST="true")
    task.refresh_from_db()
    assert not task.done
    assert fragment.content.decode().lstrip().startswith(f'<tr id="task-{task.pk}">')
    assert "Mark done" in fragment.content.decode()
    assert as_user(world.exec_a).post(url).status_code == 403


def test_exports_of_the_matrix_and_the_checklist(world, as_user, evaluation):
    client = as_user(world.exec_a)
    matrix = client.get(f"/c/alpha/vendors/evaluations/{evaluation.pk}/export/?format=csv")
    lines = matrix.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Criterion,Weight,Harborview IT,Keel Systems,Northwind MSP"
    assert "Weighted result (0–5),6,3.8,3.5,4.0" in lines
    assert "Rank,,2,3,1" in lines
    tasks = client.get(f"/c/alpha/vendors/evaluations/{evaluation.pk}/tasks/export/?format=xlsx")
    assert tasks.status_code == 200
    listing = client.get("/c/alpha/vendors/evaluations/export/?format=csv").content.decode()
    assert "Northwind MSP (4.0 of 5, 80.0%)" in listing
