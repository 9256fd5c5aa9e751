from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ciodesk.audit"
    label = "audit"
    verbose_name = "History"

    def ready(self) -> None:
        from ciodesk.audit import recorder

        recorder.connect_all()
