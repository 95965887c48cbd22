from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "freshground.network"
    label = "network"
    verbose_name = _("Circles and centers")

    def ready(self) -> None:
        from freshground.network import portability
        from freshground.people.portability import register_eraser, register_exporter

        register_exporter("network", portability.export)
        register_eraser("network", portability.erase)
