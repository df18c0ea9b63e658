"""First run of a deployment: ``load_reference_data``, ``bootstrap`` and the password pages its link opens."""

import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from controls.models import Framework
from incidents.models import ReportingRule
from incidents.reference_data import RULES_FILE
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

User = get_user_model()
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP_LIKE = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "https://rempart.example.fr"
NEW_PASSWORD = "remparts-de-la-cite-2026"
FRESH_SIREN = "216901231"  # no organisation has it in any test
LINK = re.compile(re.escape(SITE_URL) + r"(/password/set/[^/\s]+/[^/\s]+/)")

SHIPPED_RULES = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def bootstrap(*arguments: str) -> str:
    output = StringIO()
    with override_settings(SITE_URL=SITE_URL):
        call_command("bootstrap", *arguments, stdout=output)
    return output.getvalue()


def printed_link(output: str) -> str:
    """The path of the one link the command printed."""
    links = LINK.findall(output)
    assert len(links) == 1, output
    return links[0]


def row_counts() -> dict[str, int]:
    """Rows of every table, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models(include_auto_created=True)}


@pytest.mark.slow
@pytest.mark.django_db
def test_load_reference_data_loads_everything_once(capsys: pytest.CaptureFixture[str]) -> None:
    """First in the module, so it starts from a freshly migrated database."""
    call_command("load_reference_data")
    first = capsys.readouterr().out
    after_first_run = row_counts()

    call_command("load_reference_data")
    second = capsys.readouterr().out

    assert row_counts() == after_first_run
    assert set(Framework.objects.values_list("code", flat=True)) == {"recyf", "cir-2024-2690"}
    assert ReportingRule.objects.count() == len(SHIPPED_RULES["rules"]) == 7
    assert "recyf 2.5: 0 created, 0 updated, 0 renamed, 0 retired, 152 unchanged" in second
    assert "dependencies: 18 domains, 140 legal entities, 152 products" in second
    assert "incidents: 5 authorities, 7 reporting rules" in second
    assert "Reference data loaded." in first


@pytest.fixture(scope="module")
def bootstrapped(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """One ``bootstrap`` (with the real catalogues, several seconds to load) for the module; it is rolled
    back at the end of the module, and each test's own changes at the end of the test."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(EMAIL_BACKEND=CONSOLE):
            output = bootstrap(
                "--siren=213 500 010",
                "--name=Commune de Rempart-sur-Mer",
                "--kind=commune",
                "--population=45000",
                "--population-year=2023",
                "--admin-email=dgs@rempart-sur-mer.fr",
                "--first-name=Camille",
                "--last-name=Martin",
            )
        yield output
        transaction.set_rollback(True)


@pytest.mark.slow
@pytest.mark.django_db
def test_bootstrap_creates_the_organisation_its_administrator_and_the_reference_data(bootstrapped: str) -> None:
    organisation = Organisation.objects.get(siren="213500010")
    admin = User.objects.get(username="dgs@rempart-sur-mer.fr")
    membership = Membership.objects.get(organisation=organisation)

    assert (organisation.name, organisation.kind, organisation.population, organisation.population_year) == (
        "Commune de Rempart-sur-Mer",
        "commune",
        45_000,
        2023,
    )
    assert organisation.nis2_status == "essential"  # a commune of more than 30,000 inhabitants
    assert (membership.user, membership.role) == (admin, Role.ADMIN)
    assert (admin.email, admin.first_name, admin.last_name) == ("dgs@rempart-sur-mer.fr", "Camille", "Martin")
    assert not admin.has_usable_password()
    assert organisation.history.get().history_user == admin
    assert membership.history.get().history_user == admin
    assert set(Framework.objects.values_list("code", flat=True)) == {"recyf", "cir-2024-2690"}
    assert ReportingRule.objects.count() == len(SHIPPED_RULES["rules"]) == 7
    assert "NIS 2 status: Entité essentielle" in bootstrapped
    assert "incidents: 5 authorities, 7 reporting rules" in bootstrapped
    assert "No e-mail was sent (e-mail is not configured)" in bootstrapped


@pytest.mark.slow
@pytest.mark.django_db
def test_the_printed_link_lets_the_administrator_choose_a_password_once(bootstrapped: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    link = printed_link(bootstrapped)

    form_page = client.get(link, follow=True)
    html = form_page.content.decode()
    assert form_page.status_code == 200
    assert "<h1>Choisissez votre mot de passe</h1>" in html
    assert '<label for="id_new_password1">Nouveau mot de passe</label>' in html
    assert '<label for="id_new_password2">Nouveau mot de passe, une seconde fois</label>' in html
    form_url = form_page.redirect_chain[-1][0]

    saved = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)

    assert saved.redirect_chain[-1][0] == reverse("password-set-done")
    assert "Votre mot de passe est enregistré." in saved.content.decode()
    assert client.login(username="dgs@rempart-sur-mer.fr", password=NEW_PASSWORD)

    client.logout()
    again = client.get(link, follow=True)
    html = again.content.decode()
    assert again.status_code == 200
    assert "<h1>Ce lien ne fonctionne plus</h1>" in html
    assert f'href="{reverse("login")}"' in html
    assert 'name="new_password1"' not in html


@pytest.mark.slow
@pytest.mark.django_db
def test_the_password_validators_apply(bootstrapped: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    form_url = client.get(printed_link(bootstrapped), follow=True).redirect_chain[-1][0]

    refused = client.post(form_url, {"new_password1": "court", "new_password2": "court"})

    assert refused.status_code == 200
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères." in refused.content.decode()
    assert not User.objects.get(username="dgs@rempart-sur-mer.fr").has_usable_password()


@pytest.mark.slow
@pytest.mark.django_db
def test_the_link_is_emailed_when_email_is_configured(bootstrapped: str, settings: Any) -> None:
    settings.EMAIL_BACKEND = SMTP_LIKE

    output = bootstrap(
        "--siren=200054781",
        "--name=Communauté de communes du Rempart",
        "--kind=communaute_communes",
        "--admin-email=dsi@cc-rempart.fr",
        "--admin-username=dsi-cc",
    )

    assert Organisation.objects.get(siren="200054781").nis2_status == "important"
    assert [message.to for message in mail.outbox] == [["dsi@cc-rempart.fr"]]
    message = mail.outbox[0]
    assert message.subject == "Rempart : choisissez votre mot de passe"
    assert f"{SITE_URL}{printed_link(output)}" in message.body
    assert "Communauté de communes du Rempart" in message.body
    assert "Votre identifiant : dsi-cc" in message.body
    assert "E-mail with the link sent to dsi@cc-rempart.fr." in output


@pytest.mark.django_db
def test_no_email_with_the_console_backend(settings: Any) -> None:
    settings.EMAIL_BACKEND = CONSOLE
    admin = MembershipFactory(role=Role.ADMIN, user=UserFactory(email="dgs@commune.fr"))

    output = bootstrap(f"--siren={admin.organisation.siren}", "--admin-email=dgs@commune.fr", "--new-link")

    assert mail.outbox == []
    assert "No e-mail was sent (e-mail is not configured): give the link to the administrator." in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        pytest.param(
            ["--siren=123456789"],
            "--siren: « 123456789 » n'est pas un SIREN valide",
            id="check digit wrong",
        ),
        pytest.param(["--siren=12345678"], "--siren: « 12345678 » n'est pas un SIREN valide", id="eight digits"),
        pytest.param([f"--siren={FRESH_SIREN}", "--kind=ville"], "argument --kind: invalid choice: 'ville'", id="kind"),
        pytest.param([f"--siren={FRESH_SIREN}", "--admin-email=not-an-address"], "--admin-email:", id="e-mail"),
        pytest.param([f"--siren={FRESH_SIREN}", "--population=-5"], "--population:", id="negative population"),
    ],
)
def test_invalid_options_are_refused_naming_the_option_and_write_nothing(
    arguments: list[str], expected: str, settings: Any
) -> None:
    settings.EMAIL_BACKEND = SMTP_LIKE
    before = row_counts()
    defaults = ["--name=Commune de X", "--admin-email=a@b.fr"]

    with pytest.raises(CommandError) as refused:
        bootstrap(*defaults, *arguments)

    assert expected in str(refused.value)
    assert row_counts() == before
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_name_is_required_to_create_an_organisation() -> None:
    before = row_counts()
    with pytest.raises(CommandError, match="--name: required to create the organisation"):
        bootstrap(f"--siren={FRESH_SIREN}", "--admin-email=a@b.fr")
    assert row_counts() == before


@pytest.mark.django_db
def test_a_second_bootstrap_of_the_same_siren_is_refused() -> None:
    existing = OrganisationFactory(siren=FRESH_SIREN)
    MembershipFactory(organisation=existing, role=Role.ADMIN)
    before = row_counts()

    with pytest.raises(CommandError) as refused:
        bootstrap("--siren=216 901 231", "--name=Commune de X", "--admin-email=a@b.fr")

    assert "--siren: Une organisation porte déjà ce SIREN." in str(refused.value)
    assert "--new-link" in str(refused.value)
    assert row_counts() == before


@pytest.mark.django_db
def test_new_link_only_issues_a_fresh_link_for_the_existing_administrator(settings: Any) -> None:
    settings.EMAIL_BACKEND = SMTP_LIKE
    admin = MembershipFactory(role=Role.ADMIN, user=UserFactory(username="dgs", email="DGS@commune.fr"))
    before = row_counts()

    output = bootstrap(f"--siren={admin.organisation.siren}", "--admin-email=dgs@commune.fr", "--new-link")

    assert row_counts() == before
    assert [message.to for message in mail.outbox] == [["DGS@commune.fr"]]
    page = Client(HTTP_ACCEPT_LANGUAGE="fr").get(printed_link(output), follow=True)
    assert "<h1>Choisissez votre mot de passe</h1>" in page.content.decode()
    assert "Compte : <strong>dgs</strong>" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("siren", "email", "expected"),
    [
        pytest.param("200054781", "dgs@commune.fr", "--siren: Aucune organisation ne porte ce SIREN.", id="siren"),
        pytest.param(
            None,
            "rssi@commune.fr",
            "--admin-email: Aucun administrateur de cette organisation n'a cette adresse électronique.",
            id="not an administrator",
        ),
    ],
)
def test_new_link_is_refused_for_an_unknown_organisation_or_administrator(
    siren: str | None, email: str, expected: str
) -> None:
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, role=Role.ADMIN, user=UserFactory(email="dgs@commune.fr"))
    MembershipFactory(organisation=organisation, role=Role.SECURITY_OFFICER, user=UserFactory(email="rssi@commune.fr"))

    with pytest.raises(CommandError) as refused:
        bootstrap(f"--siren={siren or organisation.siren}", f"--admin-email={email}", "--new-link")

    assert expected in str(refused.value)


@pytest.mark.django_db
def test_login_page_offers_the_forgotten_password_page() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    login_page = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("password-reset")}">Mot de passe oublié ?</a>' in login_page

    form_page = client.get(reverse("password-reset"))

    assert form_page.status_code == 200
    assert '<label for="id_email">Adresse électronique</label>' in form_page.content.decode()


@pytest.mark.django_db
def test_forgotten_password_answers_the_same_for_known_and_unknown_addresses(settings: Any) -> None:
    settings.EMAIL_BACKEND = SMTP_LIKE
    UserFactory(username="rssi", email="rssi@commune.fr")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")

    known = client.post(reverse("password-reset"), {"email": "rssi@commune.fr"})
    unknown = client.post(reverse("password-reset"), {"email": "personne@commune.fr"})

    assert (known.status_code, known["Location"]) == (302, reverse("password-reset-done"))
    assert (unknown.status_code, unknown["Location"]) == (302, reverse("password-reset-done"))
    done = client.get(reverse("password-reset-done")).content.decode()
    assert "<h1>Consultez votre messagerie</h1>" in done
    assert "Si un compte porte cette adresse" in done
    assert [message.to for message in mail.outbox] == [["rssi@commune.fr"]]
    message = mail.outbox[0]
    assert message.subject == "Rempart : choisissez un nouveau mot de passe"
    assert "Votre identifiant : rssi" in message.body
    link = re.search(r"https?://\S+(/password/set/\S+/)", message.body)
    assert link is not None, message.body
    form_page = client.get(link.group(1), follow=True)
    assert "<h1>Choisissez votre mot de passe</h1>" in form_page.content.decode()


@pytest.mark.django_db
def test_someone_who_never_set_a_password_gets_the_link_too(settings: Any) -> None:
    """A bootstrapped admin whose first link expired, an invited member, a person restored from an archive."""
    settings.EMAIL_BACKEND = SMTP_LIKE
    newcomer = UserFactory(username="nouvelle-rssi", email="nouvelle@commune.fr")
    newcomer.set_unusable_password()
    newcomer.save()
    UserFactory(username="partie", email="partie@commune.fr", is_active=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")

    client.post(reverse("password-reset"), {"email": "Nouvelle@Commune.fr"})
    client.post(reverse("password-reset"), {"email": "partie@commune.fr"})

    assert [message.to for message in mail.outbox] == [["nouvelle@commune.fr"]]
    assert "Votre identifiant : nouvelle-rssi" in mail.outbox[0].body
