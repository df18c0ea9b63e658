"""Field declarations several models share, written once: who did something, an optional quantity, a text
read in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.expressions import Combinable

from nis2.bilingual import localized

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise  # a development dependency: for the type checker only


def user_field(
    verbose_name: StrOrPromise,
    *,
    on_delete: Callable[..., None] = models.SET_NULL,
    blank: bool = True,
) -> models.ForeignKey[User | None, User | None]:
    """A person's account named by a row (its author, owner, approver...), never followed back
    (``related_name="+"``). ``on_delete=models.PROTECT`` where the row is a record that must keep its
    author (a filing, a timeline entry, a validation); the default keeps the row and forgets the person."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=on_delete,
        related_name="+",
    )


def optional_quantity_field(
    verbose_name: StrOrPromise, *, max_digits: int, decimal_places: int
) -> models.DecimalField[str | float | Decimal | Combinable | None, Decimal | None]:
    """An amount or a duration that may be unknown, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=decimal_places,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


class Localized(property):
    """A text stored in French and English side by side (``title_fr``, ``title_en``), read in the active
    language: ``title = Localized("title")`` (``nis2.bilingual.localized``). A read-only property, so that
    Django treats it as one (``Model._meta._property_names``)."""

    def __init__(self, field: str) -> None:
        super().__init__(self._read)
        self.field = field

    def _read(self, instance: models.Model) -> str:
        return localized(instance, self.field)

    @overload
    def __get__(self, instance: None, owner: type[Any], /) -> Localized: ...

    @overload
    def __get__(self, instance: models.Model, owner: type[Any] | None = None, /) -> str: ...

    def __get__(self, instance: models.Model | None, owner: type[Any] | None = None, /) -> Localized | str:
        if instance is None:
            return self
        return self._read(instance)
