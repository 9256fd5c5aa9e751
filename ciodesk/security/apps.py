from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "ciodesk.security"
    label = "security"
    verbose_name = "Security program"

    def ready(self) -> None:
        from ciodesk.security import demo, portfolio, portfolio_risks  # noqa: F401  figures, demo
