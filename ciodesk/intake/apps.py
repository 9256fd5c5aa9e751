from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "ciodesk.intake"
    label = "intake"
    verbose_name = "Free technology risk review"

    def ready(self) -> None:
        from ciodesk.intake import demo, portfolio  # noqa: F401  registers figures and demo
