from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "freshground.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from freshground.events import content, listeners_registrations, portability_registrations
        from freshground.people.portability import register_eraser, register_exporter

        register_exporter("events_registrations", portability_registrations.export)
        register_eraser("events_registrations", portability_registrations.erase)
        listeners_registrations.register()
        content.register()
