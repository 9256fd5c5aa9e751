from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "ciodesk.budget"
    label = "budget"
    verbose_name = "IT budget"

    def ready(self) -> None:
        from ciodesk.budget import demo, portfolio  # noqa: F401  registers figures and demo
