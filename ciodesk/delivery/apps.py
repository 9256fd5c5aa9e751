from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "ciodesk.delivery"
    label = "delivery"
    verbose_name = "Decisions, projects and meetings"

    def ready(self) -> None:
        from ciodesk.delivery import demo, portfolio  # noqa: F401  registers figures and demo
