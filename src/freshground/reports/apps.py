from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "freshground.reports"
    label = "reports"
    verbose_name = _("Reports from below")

    def ready(self) -> None:
        from freshground.reports import content

        content.register()
