"""Shared steps of the end-to-end journeys: people, logging in, Paris times as the pages show them."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from nis2.clock import PARIS
from nis2.models import Membership, Organisation
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

PASSWORD = "correct-horse-battery"  # tests.nis2.factories.UserFactory's password


def log_in(page, live_server, username: str, *, landing: str | None = None) -> None:
    """Log in through the login form as a person would, and wait for the page that follows."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(landing) if landing else re.compile(r"^(?!.*/login/)"))


def paris_datetime_input(scope, label: str):
    """The date-and-time input of a Paris date-time field, found by its visible label.

    The field's ``<label>`` has an empty ``for`` (Django's MultiWidget gives no ``id_for_label``), so
    ``get_by_label`` cannot reach the input: look it up inside the field that shows the label."""
    field = scope.locator(".field").filter(has=scope.get_by_text(label, exact=True))
    return field.locator("input[type=datetime-local]")


def paris(moment: datetime.datetime) -> str:
    """A time as the pages show it: dd/mm/yyyy HH:MM in Europe/Paris (French short format)."""
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def wall_clock(moment: datetime.datetime) -> str:
    """The value a ``datetime-local`` input takes for ``moment`` in Paris."""
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def hours_later(moment: datetime.datetime, hours: int) -> datetime.datetime:
    """Elapsed hours, as the legal deadlines count them (a daylight-saving change does not shift them)."""
    return (moment.astimezone(datetime.UTC) + datetime.timedelta(hours=hours)).astimezone(PARIS)


def recent_paris_time(hours_ago: int, *, then_hours: int = 0) -> datetime.datetime:
    """A whole-minute Paris time ``hours_ago`` (or a little earlier) such that it and the following
    ``then_hours`` hours each happen once on the wall clock: no daylight-saving night to type."""

    def unambiguous(moment: datetime.datetime) -> bool:
        naive = moment.replace(tzinfo=None)
        return naive.replace(tzinfo=PARIS, fold=0).utcoffset() == naive.replace(tzinfo=PARIS, fold=1).utcoffset()

    moment = timezone.now().astimezone(PARIS).replace(second=0, microsecond=0) - datetime.timedelta(hours=hours_ago)
    while not all(unambiguous(hours_later(moment, hours)) for hours in range(then_hours + 1)):
        moment = hours_later(moment, -2)
    return moment


def member(
    username: str, role: str, organisation: Organisation | None = None, **organisation_fields: object
) -> Membership:
    """A person with ``role`` in ``organisation`` (a new one, with ``organisation_fields``, if none)."""
    organisation = organisation or OrganisationFactory(**organisation_fields)
    user = UserFactory(username=username, first_name=username.capitalize())
    return MembershipFactory(organisation=organisation, role=role, user=user)
