from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ciodesk.core"
    label = "core"
    verbose_name = "ciodesk core"
