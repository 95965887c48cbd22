from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "freshground.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from freshground.decisions import portability
        from freshground.people.portability import register_exporter

        register_exporter("decisions", portability.export)
