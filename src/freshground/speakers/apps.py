from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpeakersConfig(AppConfig):
    name = "freshground.speakers"
    label = "speakers"
    verbose_name = _("Speakers and tours")

    def ready(self) -> None:
        from freshground.people.portability import register_exporter
        from freshground.speakers import portability

        # No eraser: a member's roster entry goes with their account (on delete cascade); entries they made for
        # people without an account stay, looked after by site admins, and lose only the "entered by" link.
        register_exporter("speakers", portability.export)
