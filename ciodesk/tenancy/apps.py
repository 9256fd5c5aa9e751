from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "ciodesk.tenancy"
    label = "tenancy"
    verbose_name = "Practice and clients"

    def ready(self) -> None:
        from ciodesk.tenancy import demo, portfolio  # noqa: F401  registers figures and demo
