"""Which fields the public may see, declared once: each model that holds what people wrote
or who they are lists its public fields in `PUBLIC_FIELDS`; every other field is private.
A model without the attribute is private as a whole. Public outputs (directory pages and
JSON, the Markdown export, the report, emails to people other than the owner) take only
public fields; tests/privacy walks every private field through every public output."""

from django.db import models

# Fields that hold words or addresses a person wrote (what could leak).
TEXT_FIELDS = (models.CharField, models.TextField)


def public_fields(model) -> frozenset[str]:
    return frozenset(getattr(model, "PUBLIC_FIELDS", ()))


def is_public(model, field_name: str) -> bool:
    return field_name in public_fields(model)


def private_text_fields(model) -> list[str]:
    """The model's own text fields not declared public (choices excepted: their values are
    the program's words, not a person's)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, TEXT_FIELDS)
        and not field.choices
        and not field.primary_key
        and field.name not in public_fields(model)
    ]
