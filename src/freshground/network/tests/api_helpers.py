"""Helpers shared by the network API tests."""

from __future__ import annotations

import json
from typing import Any

from freshground.network.models import (
    Tie,
)
from freshground.people import services as people_services
from freshground.testing import factories

API = "/api/v1"


# factory_boy's classes are untyped: these say what they return.
def new_person(**fields: Any) -> Any:
    return factories.PersonFactory(**fields)


def new_circle(**fields: Any) -> Any:
    return factories.CircleFactory(**fields)


def new_center(**fields: Any) -> Any:
    return factories.CenterFactory(**fields)


def bearer(person) -> dict[str, str]:
    _token, key = people_services.create_api_token(person=person, name="tests")
    return {"Authorization": f"Bearer {key}"}


def call(client, method: str, path: str, body=None, headers=None):
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, API + path, data=data, content_type="application/json", headers=headers or {})


def as_(cast, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else bearer(getattr(cast, role))


def the_tie(cast) -> Tie:
    return Tie.objects.get(circle=cast.circle, center=cast.center)
