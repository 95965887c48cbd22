"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms

from freshground.core.exceptions import DomainError


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the field it names, or above the form when it names none of the form's fields."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
