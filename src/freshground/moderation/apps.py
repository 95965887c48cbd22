from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "freshground.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from freshground.moderation import content

        content.register()
