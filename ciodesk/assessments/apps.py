from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "ciodesk.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from ciodesk.assessments import demo, portfolio  # noqa: F401  registers figures and demo
