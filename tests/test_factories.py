"""Every model of JoinedUp has a factory in tests/factories/, and each factory builds a row that is valid."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from factory.django import DjangoModelFactory

import tests.factories


class MissingFactoryError(AssertionError):
    """A model of a joinedup app has no factory in tests/factories/."""


def joinedup_models() -> list[type[models.Model]]:
    """Every concrete model of the joinedup apps (auto-created many-to-many tables aside)."""
    found = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("joinedup.") and not model._meta.abstract and not model._meta.proxy
    ]
    return sorted(found, key=lambda m: m._meta.label)


def factories_by_model() -> dict[type[models.Model], type[DjangoModelFactory[Any]]]:
    """The factories found in every module of tests.factories, keyed by the model each builds."""
    found: dict[type[models.Model], type[DjangoModelFactory[Any]]] = {}
    modules = [tests.factories] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(tests.factories.__path__, prefix="tests.factories.")
    ]
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, DjangoModelFactory)
                and value is not DjangoModelFactory
                and value._meta.model is not None
                and not value._meta.abstract
            ):
                found.setdefault(value._meta.model, value)
    return found


def test_every_model_has_a_factory() -> None:
    factories = factories_by_model()
    missing = [model._meta.label for model in joinedup_models() if model not in factories]
    if missing:
        raise MissingFactoryError(
            f"No factory in tests/factories/ for {', '.join(missing)}. Add a DjangoModelFactory "
            "for each, in the module named after the model's app (tests/factories/<app>.py)."
        )


def test_the_walk_finds_the_models_and_factories_it_checks() -> None:
    """Guard against the test above passing by finding nothing: it sees the register and its factories."""
    from joinedup.register.models import Organisation
    from tests.factories.register import OrganisationFactory

    assert Organisation in joinedup_models()
    assert factories_by_model()[Organisation] is OrganisationFactory
    assert len(joinedup_models()) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize("model", joinedup_models(), ids=lambda m: m._meta.label)
def test_factory_creates_a_valid_row(model: type[models.Model]) -> None:
    factory = factories_by_model().get(model)
    if factory is None:
        raise MissingFactoryError(f"No factory in tests/factories/ for {model._meta.label}")
    row = factory.create()
    row.full_clean()
    assert model._default_manager.filter(pk=row.pk).exists()
    # a second row alongside the first keeps every unique constraint
    second = factory.create()
    second.full_clean()
    assert second.pk != row.pk
