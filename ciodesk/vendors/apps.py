from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "ciodesk.vendors"
    label = "vendors"
    verbose_name = "Vendors and MSP accountability"

    def ready(self) -> None:
        from ciodesk.vendors import demo, portfolio  # noqa: F401  registers figures and demo
