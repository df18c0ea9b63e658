"""Writing domain data with its author: every service saves through here, so django-simple-history
records who made each change."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser


def save_with_author(instance: Any, actor: AbstractBaseUser | None, **save_kwargs: Any) -> None:
    """Validate, attach the author for the history record, and save."""
    instance.full_clean()
    instance._history_user = actor
    instance.save(**save_kwargs)
