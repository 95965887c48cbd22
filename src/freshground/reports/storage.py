"""Where reporters' attachments live: settings.STORAGES["reports"], private and without a URL.

A lazy proxy, like Django's own `default_storage`, so that the storage is looked up when first used (and again after
the STORAGES setting changes, as tests do) rather than fixed when the model is imported.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class ReportStorage(LazyObject[Storage]):
    def _setup(self) -> None:
        self._wrapped = storages["reports"]


report_storage = ReportStorage()


def attachment_storage() -> Storage:
    return report_storage  # type: ignore[return-value]  # a proxy standing in for the configured Storage


@receiver(setting_changed)
def _forget_storage(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        report_storage._wrapped = empty  # type: ignore[assignment]  # LazyObject's documented reset
