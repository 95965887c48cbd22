from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "freshground.inquiries"
    label = "inquiries"
    verbose_name = _("Workers' inquiries")

    def ready(self) -> None:
        # Register content kinds, portability hooks and signal listeners here.
        pass
