from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ciodesk.reports"
    label = "reports"
    verbose_name = "Briefs and reports"

    def ready(self) -> None:
        from ciodesk.reports import demo, portfolio  # noqa: F401  registers figures and demo
