from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebateConfig(AppConfig):
    name = "freshground.debate"
    label = "debate"
    verbose_name = _("Debate")

    def ready(self) -> None:
        from freshground.debate import content_comments, content_debates

        content_comments.register()
        content_debates.register()
