from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "ciodesk.security"
    label = "security"
    verbose_name = "Security program"

    def ready(self) -> None:
        from django.apps import apps

        from ciodesk.security import demo, portfolio, portfolio_risks  # noqa: F401  figures, demo

        if apps.is_installed("ciodesk.delivery"):  # the meeting agenda's source
            from ciodesk.security import agenda  # noqa: F401
