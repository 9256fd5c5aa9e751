from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "ciodesk.roadmap"
    label = "roadmap"
    verbose_name = "Roadmap"

    def ready(self) -> None:
        from ciodesk.roadmap import demo, portfolio  # noqa: F401  registers figures and demo
