from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "freshground.journal"
    label = "journal"
    verbose_name = _("Journal")

    def ready(self) -> None:
        from freshground.journal import content, portability

        content.register()
        portability.register()
