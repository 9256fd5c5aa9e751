"""Templates as YAML: the built-in template, the exact round trip, and errors that name the
place in the file."""

from __future__ import annotations

import pytest

from ciodesk.assessments import services_templates, yaml_io
from ciodesk.assessments.models import AssessmentTemplate, TemplateQuestion
from ciodesk.assessments.tests.conftest import SMALL


def test_the_builtin_template_covers_the_fourteen_domains(db):
    (template,) = services_templates.ensure_builtin_templates()
    assert (template.slug, template.version, template.builtin) == ("ciodesk-baseline", 1, True)
    assert template.domains.count() == 14
    questions = TemplateQuestion.objects.filter(domain__template=template)
    assert 60 <= questions.count() <= 90
    assert {q.kind for q in questions} == {"yes_no", "choice", "number", "text"}
    scored = questions.exclude(kind="text")
    assert not scored.filter(finding_title="").exists()  # every scored question has its finding
    assert scored.filter(insurance_critical=True).count() >= 10


def test_the_builtin_template_informs_every_baseline_control(db):
    from ciodesk.security.baseline import KEYS

    (template,) = services_templates.ensure_builtin_templates()
    used = {
        k
        for q in TemplateQuestion.objects.filter(domain__template=template)
        for k in q.control_keys
    }
    assert used == set(KEYS)


def test_installing_the_builtin_template_twice_changes_nothing(db, django_assert_max_num_queries):
    services_templates.ensure_builtin_templates()
    with django_assert_max_num_queries(4):
        services_templates.ensure_builtin_templates()
    assert AssessmentTemplate.objects.count() == 1


def test_a_reworded_builtin_question_is_updated_in_place(db):
    (template,) = services_templates.ensure_builtin_templates()
    question = TemplateQuestion.objects.get(domain__template=template, key="mfa-email")
    question.text = "Old wording"
    question.save()
    services_templates.ensure_builtin_templates()
    question.refresh_from_db()
    assert question.text.startswith("Is multi-factor sign-in enforced for every mailbox")


def test_export_import_export_is_exact(db):
    (template,) = services_templates.ensure_builtin_templates()
    first = services_templates.export_yaml(template)
    copy_text = first.replace(
        "slug: ciodesk-baseline\nversion: 1\n", "slug: round-trip\nversion: 7\n"
    )
    imported, created = services_templates.import_yaml(copy_text.encode())
    assert created and (imported.slug, imported.version) == ("round-trip", 7)
    again = services_templates.export_yaml(imported)
    assert again == copy_text
    assert yaml_io.as_data(yaml_io.parse(first)) == yaml_io.as_data(
        services_templates.spec_of(template)
    )


def test_the_small_template_round_trips_with_choices_bands_and_costs(small_template):
    text = services_templates.export_yaml(small_template)
    spec = yaml_io.parse(text)
    assert yaml_io.dump(spec) == text
    edr = spec.domains[1].questions[0]
    assert edr.bands == [
        {"min": 100, "max": None, "score": 1},
        {"min": 90, "max": 100, "score": 0.5},
        {"min": None, "max": 90, "score": 0},
    ]
    assert spec.domains[0].questions[2].choices[1] == {
        "value": "rarely",
        "label": "Rarely",
        "score": 0.25,
    }
    assert str(spec.domains[1].questions[1].finding.cost_high) == "5000"


def test_importing_the_same_file_twice_adds_nothing(db):
    first, created = services_templates.import_yaml(SMALL)
    second, created_again = services_templates.import_yaml(SMALL)
    assert created and not created_again and first.pk == second.pk
    assert AssessmentTemplate.objects.filter(slug="small").count() == 1


def test_the_same_version_with_other_questions_is_refused(db):
    services_templates.import_yaml(SMALL)
    changed = SMALL.replace("Do admins use separate accounts?", "Are admins separate?")
    with pytest.raises(services_templates.AlreadyExists, match="version: 2"):
        services_templates.import_yaml(changed)


ONE_QUESTION = (
    "slug: x\nversion: 1\nname: X\ndomains:\n- key: d\n  title: D\n  questions:\n"
    "  - key: q\n    text: Q?\n"
)


def errors_of(text: str) -> list[str]:
    with pytest.raises(yaml_io.TemplateProblem) as caught:
        yaml_io.parse(text)
    return caught.value.errors


def test_errors_name_the_path_in_the_file():
    bad = SMALL.replace("    kind: number\n", "    kind: percentage\n").replace(
        "{value: rarely, label: Rarely, score: 0.25}", "{value: rarely, label: Rarely, score: 2}"
    )
    errors = errors_of(bad)
    kinds = "yes_no, choice, number, text"
    assert f"domains[1].questions[0].kind: must be one of {kinds} (it is “percentage”)" in errors
    assert "domains[0].questions[2].choices[1].score: must be between 0 and 1 (it is 2)" in errors


def test_every_problem_is_reported_at_once():
    bad = (
        SMALL.replace(
            "weight: 5\n    insurance_critical: true\n    controls: [mfa-email]",
            "weight: 50\n    controls: [mfa-everywhere]",
        )
        .replace("disposition: fund}", "disposition: later}")
        .replace("  - key: notes", "  - key: edr")
    )
    errors = errors_of(bad)
    assert "domains[0].questions[0].weight: must be between 0 and 10 (it is 50)" in errors
    assert (
        "domains[0].questions[0].controls[0]: “mfa-everywhere” is not a control of the baseline"
        in errors
    )
    assert any(
        e.startswith(
            "domains[0].questions[2].finding.disposition: must be one of fix, fund, defer, retire"
        )
        for e in errors
    )
    assert "domains[1].questions[2].key: “edr” is already used at domains[1].questions[0]" in errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slug: x\nversion: 1\nname: X\ndomains: [", "not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        (
            "slug: Bad Slug\nversion: 1\nname: X\ndomains: []\n",
            "slug: “Bad Slug” must use only lowercase letters",
        ),
        (
            "slug: x\nversion: 0\nname: X\ndomains: []\n",
            "version: must be between 1 and 32767 (it is 0)",
        ),
        ("slug: x\nversion: 1\nname: X\ndomains: []\n", "domains: must list at least one item"),
        ("slug: x\nversion: 1\nname: X\ncolour: red\ndomains: []\n", "colour: unknown field"),
        (
            ONE_QUESTION + "    kind: choice\n",
            "domains[0].questions[0].choices: must list at least one item",
        ),
        (
            ONE_QUESTION + "    kind: text\n    finding: {title: T}\n",
            "domains[0].questions[0].finding: text questions are not scored",
        ),
        (
            ONE_QUESTION + "    finding: {title: T, cost_low: 900, cost_high: 100}\n",
            "domains[0].questions[0].finding: cost_low must not be above cost_high",
        ),
        (
            ONE_QUESTION + "    kind: number\n    bands: [{min: 10, max: 5, score: 1}]\n",
            "domains[0].questions[0].bands[0]: min (10) must be below max (5)",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_reason(text, expected):
    assert any(expected in error for error in errors_of(text)), errors_of(text)


def test_yaml_tags_that_build_objects_are_refused():
    errors = errors_of("slug: !!python/object/apply:os.system ['true']\n")
    assert "not valid YAML" in errors[0]


def test_a_bad_file_writes_nothing(db):
    with pytest.raises(yaml_io.TemplateProblem):
        services_templates.import_yaml(SMALL.replace("kind: number", "kind: nope"))
    assert not AssessmentTemplate.objects.exists()
