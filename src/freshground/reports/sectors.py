"""The bundled sector classification: the 21 sections of ISIC Rev.4 (the UN's International Standard Industrial
Classification of All Economic Activities), letter codes A–U. Reporters pick one (or none) and may add their own words
in `Report.sector_detail`."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

SECTORS: dict[str, Promise] = {
    "A": _("Agriculture, forestry and fishing"),
    "B": _("Mining and quarrying"),
    "C": _("Manufacturing"),
    "D": _("Electricity, gas, steam and air conditioning supply"),
    "E": _("Water supply; sewerage, waste management and remediation"),
    "F": _("Construction"),
    "G": _("Wholesale and retail trade; repair of motor vehicles"),
    "H": _("Transportation and storage"),
    "I": _("Accommodation and food service"),
    "J": _("Information and communication"),
    "K": _("Financial and insurance activities"),
    "L": _("Real estate activities"),
    "M": _("Professional, scientific and technical activities"),
    "N": _("Administrative and support services"),
    "O": _("Public administration and defence; compulsory social security"),
    "P": _("Education"),
    "Q": _("Human health and social work"),
    "R": _("Arts, entertainment and recreation"),
    "S": _("Other service activities"),
    "T": _("Households as employers (domestic work)"),
    "U": _("Extraterritorial organisations and bodies"),
}


def sector_choices(*, blank: str | Promise | None = None) -> list[tuple[str, str | Promise]]:
    """Choices for a select: an optional blank first, then "A — Agriculture, …"."""
    choices: list[tuple[str, str | Promise]] = [("", blank)] if blank is not None else []
    choices += [(code, format_lazy("{} — {}", code, name)) for code, name in SECTORS.items()]
    return choices


def sector_name(code: str) -> str:
    return str(SECTORS.get(code, ""))
