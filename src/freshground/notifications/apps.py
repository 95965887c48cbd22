from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _warm_bell(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Count a person's unread notifications as they sign in, so pages read the bell from the cache."""
    from freshground.notifications.queries import warm_unread

    if user is not None and getattr(user, "pk", None) is not None:
        warm_unread(user.pk)


class NotificationsConfig(AppConfig):
    name = "freshground.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_warm_bell, dispatch_uid="notifications.warm_bell")
