"""The calendar of recurring duties: its page in French (as a security officer who records, an executive who
reads, a member of another organisation who finds nothing) and its API."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from controls import duties, services
from controls.models import DutyCompletion
from nis2.models import Organisation
from nis2.roles import Role
from tests.api_errors import error_fields
from tests.nis2.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db]

DAY = datetime.timedelta(days=1)
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture
def essential(organisation) -> Organisation:
    assert organisation.nis2_status == Organisation.Nis2StatusChoices.ESSENTIAL
    return organisation


@pytest.fixture
def officer(essential, member_of):
    return member_of(essential, Role.SECURITY_OFFICER, first_name="Inès", last_name="Martin").user


@pytest.fixture
def executive(essential, member_of):
    return member_of(essential, Role.EXECUTIVE).user


def _url(organisation) -> str:
    return reverse("duty-calendar", args=[organisation.pk])


def _page(client, organisation) -> str:
    response = client.get(_url(organisation), **FRENCH)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _form(code: str, done_on: str, note: str = "") -> dict[str, str]:
    return {"duty": code, f"{code}-done_on": done_on, f"{code}-note": note}


# --- The page -----------------------------------------------------------------------------------------


def test_the_page_lists_every_duty_in_french_with_a_form_for_the_officer(client, essential, officer) -> None:
    client.force_login(officer)

    page = _page(client, essential)

    assert "Calendrier des obligations récurrentes" in page
    for duty in duties.all_duties():
        assert duty.title_fr in page
        assert f'<span class="ref">{duty.recyf_ref}</span>' in page
        assert f'name="{duty.code}-done_on"' in page
    assert page.count("Jamais enregistrée") == len(duties.all_duties())
    assert "tous les 3 ans" in page
    assert "Fait le" in page
    assert "30 jours avant sa date (choix de Rempart)" in page
    today = timezone.localdate().isoformat()
    assert f'value="{today}"' in page  # the date proposed is today


def test_a_recorded_duty_shows_when_and_by_whom_and_its_next_date(client, essential, officer) -> None:
    services.duty_record(
        organisation=essential, duty_code="account-review", done_on=datetime.date(2026, 3, 2), actor=officer
    )
    client.force_login(officer)

    page = _page(client, essential)

    row = page[page.index('id="duty-account-review"') :].split("</tr>")[0]
    assert "2 mars 2026" in row
    assert "enregistrée par Inès Martin" in row
    assert "2 mars 2027" in row
    assert ("À jour" in row) != ("Échéance proche" in row or "En retard" in row)


def test_recording_a_duty_redirects_with_a_french_message(client, essential, officer) -> None:
    client.force_login(officer)
    done_on = timezone.localdate() - 3 * DAY

    response = client.post(
        _url(essential), _form("backup-restore-test", done_on.isoformat(), "Restauration du NAS"), **FRENCH
    )

    assert response.status_code == 302
    assert response["Location"] == _url(essential)
    completion = DutyCompletion.objects.get()
    assert (completion.organisation, completion.duty, completion.done_on, completion.note) == (
        essential,
        "backup-restore-test",
        done_on,
        "Restauration du NAS",
    )
    assert completion.history.get().history_user == officer
    page = _page(client, essential)
    assert "« Test des sauvegardes et de la restauration » : réalisation du" in page
    assert "enregistrée." in page


@pytest.mark.parametrize(
    ("done_on", "message"),
    [
        pytest.param(
            "tomorrow", "Une obligation ne peut pas être enregistrée comme remplie à une date future.", id="future"
        ),
        pytest.param("31/02/2026", "Saisissez une date valide.", id="no-such-date"),
        pytest.param("", "Ce champ est obligatoire.", id="empty"),
    ],
)
def test_a_refused_date_is_explained_on_the_field_in_french(client, essential, officer, done_on, message) -> None:
    client.force_login(officer)
    if done_on == "tomorrow":
        done_on = (timezone.localdate() + DAY).isoformat()

    response = client.post(_url(essential), _form("pssi-review", done_on), **FRENCH)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    field = page[page.index('id="id_pssi-review-done_on"') :]
    assert field.index(message) < field.index("</div>")  # under the field it concerns
    assert not DutyCompletion.objects.exists()


def test_a_duty_that_is_not_on_the_calendar_is_not_found(client, member_of) -> None:
    important = OrganisationFactory(nis2_status=Organisation.Nis2StatusChoices.IMPORTANT)
    client.force_login(member_of(important, Role.SECURITY_OFFICER).user)
    done_on = timezone.localdate().isoformat()

    for code in ("risk-analysis-review", "coffee-break"):
        assert client.post(_url(important), _form(code, done_on), **FRENCH).status_code == 404
    assert not DutyCompletion.objects.exists()


def test_an_important_entity_sees_its_duties_only(client, member_of) -> None:
    important = OrganisationFactory(nis2_status=Organisation.Nis2StatusChoices.IMPORTANT)
    client.force_login(member_of(important, Role.IT).user)

    page = _page(client, important)

    for duty in duties.all_duties():
        assert (duty.title_fr in page) == (duty.applies_to == "EI/EE")


def test_an_executive_reads_without_a_form_and_cannot_record(client, essential, executive) -> None:
    client.force_login(executive)

    page = _page(client, essential)
    response = client.post(_url(essential), _form("pssi-review", timezone.localdate().isoformat()), **FRENCH)

    assert "Revue de la politique de sécurité (PSSI)" in page
    assert 'name="duty"' not in page
    assert "Enregistrer une réalisation" not in page
    assert response.status_code == 403
    assert not DutyCompletion.objects.exists()


def test_a_member_of_another_organisation_finds_nothing(client, essential) -> None:
    outsider = MembershipFactory(organisation=OrganisationFactory(), role=Role.SECURITY_OFFICER).user
    client.force_login(outsider)

    assert client.get(_url(essential), **FRENCH).status_code == 404
    post = client.post(_url(essential), _form("pssi-review", timezone.localdate().isoformat()), **FRENCH)
    assert post.status_code == 404
    assert not DutyCompletion.objects.exists()


def test_the_page_needs_a_sign_in(client, essential) -> None:
    response = client.get(_url(essential))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _record_many(organisation, actors, per_duty: int) -> None:
    start = timezone.localdate() - 400 * DAY
    for duty in duties.all_duties():
        for index in range(per_duty):
            services.duty_record(
                organisation=organisation,
                duty_code=duty.code,
                done_on=start + index * DAY,
                actor=actors[index % len(actors)],
            )


def test_the_page_runs_as_many_queries_for_many_performances_as_for_few(
    client, essential, officer, member_of, django_assert_max_num_queries
) -> None:
    client.force_login(officer)
    _record_many(essential, [officer], per_duty=1)
    with django_assert_max_num_queries(100) as few:
        _page(client, essential)
    others = [member_of(essential, Role.IT).user for _ in range(3)]
    _record_many(essential, [officer, *others], per_duty=8)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = _page(client, essential)

    assert page.count("enregistrée par") == len(duties.all_duties())


# --- The API ------------------------------------------------------------------------------------------


@pytest.fixture
def officer_api(officer, api_client_for):
    return api_client_for(officer)


def test_the_api_gives_the_calendar(officer_api, essential, officer) -> None:
    services.duty_record(
        organisation=essential, duty_code="account-review", done_on=datetime.date(2026, 3, 2), actor=officer
    )

    response = officer_api.get(reverse("duty-calendar-api"), {"organisation": essential.pk})

    assert response.status_code == 200
    body = response.json()
    assert (body["organisation"], body["entity_category"], body["due_soon_days"]) == (essential.pk, "essential", 30)
    assert len(body["results"]) == len(duties.all_duties())
    account = next(row for row in body["results"] if row["duty"] == "account-review")
    assert account == {
        "duty": "account-review",
        "recyf_ref": "10.A.6",
        "title": "Account review",
        "description": duties.duty_by_code("account-review").description_en,
        "applies_to": "EI/EE",
        "every_months": 12,
        "reference": "ANSSI ReCyF v2.5, 17/03/2026, measure 10.A.6",
        "last_done_on": "2026-03-02",
        "last_done_by": "Inès Martin",
        "next_due_on": "2027-03-02",
        "status": account["status"],
        "status_label": account["status_label"],
    }
    assert account["status"] in ("on_track", "due_soon", "overdue")
    first = body["results"][0]
    assert (first["status"], first["status_label"], first["next_due_on"]) == (
        "never_done",
        "Never recorded",
        timezone.localdate().isoformat(),
    )


@pytest.mark.parametrize("role", Role.values)
def test_the_api_calendar_of_another_organisation_is_not_found(role, essential, api_client_for) -> None:
    client = api_client_for(MembershipFactory(organisation=OrganisationFactory(), role=role).user)

    assert client.get(reverse("duty-calendar-api"), {"organisation": essential.pk}).status_code == 404


@pytest.mark.parametrize("value", ["", "abc", "²", "-1", "1.0"])
def test_the_api_calendar_needs_an_organisation(officer_api, value) -> None:
    response = officer_api.get(reverse("duty-calendar-api"), {"organisation": value})

    assert response.status_code == 400
    assert error_fields(response) == ["organisation"]


def test_the_api_calendar_of_an_organisation_beyond_any_id_is_not_found(officer_api) -> None:
    response = officer_api.get(reverse("duty-calendar-api"), {"organisation": "9" * 30})

    assert response.status_code == 404


def test_the_api_calendar_runs_as_many_queries_for_many_performances_as_for_few(
    officer_api, essential, officer, member_of, django_assert_max_num_queries
) -> None:
    url = reverse("duty-calendar-api")
    _record_many(essential, [officer], per_duty=1)
    with django_assert_max_num_queries(100) as few:
        assert officer_api.get(url, {"organisation": essential.pk}).status_code == 200
    _record_many(essential, [officer, *(member_of(essential, Role.IT).user for _ in range(3))], per_duty=8)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert officer_api.get(url, {"organisation": essential.pk}).status_code == 200


def test_the_api_records_a_performance_with_its_author(officer_api, essential, officer) -> None:
    response = officer_api.post(
        reverse("duty-completion-list"),
        {"organisation": essential.pk, "duty": "pssi-review", "done_on": "2026-03-02", "note": "CODIR"},
        format="json",
    )

    assert response.status_code == 201, response.content
    completion = DutyCompletion.objects.get()
    assert response.json() == {
        "id": completion.pk,
        "organisation": essential.pk,
        "duty": "pssi-review",
        "done_on": "2026-03-02",
        "note": "CODIR",
        "created_at": response.json()["created_at"],
        "updated_at": response.json()["updated_at"],
    }
    assert completion.history.get().history_user == officer
    history = officer_api.get(reverse("duty-completion-history", args=[completion.pk])).json()
    assert [row["history_user"] for row in history["results"]] == [officer.username]
    listed = officer_api.get(reverse("duty-completion-list"), {"duty": "pssi-review"}).json()
    assert [row["id"] for row in listed["results"]] == [completion.pk]
    assert officer_api.get(reverse("duty-completion-detail", args=[completion.pk])).json()["note"] == "CODIR"


@pytest.mark.parametrize(
    ("nis2_status", "body", "field"),
    [
        pytest.param("essential", {"duty": "coffee-break"}, "duty", id="unknown-duty"),
        pytest.param("important", {"duty": "configuration-review"}, "duty", id="essential-only-duty"),
        pytest.param("essential", {"done_on": "2999-01-01"}, "done_on", id="future"),
        pytest.param("essential", {"done_on": "2026-02-31"}, "done_on", id="no-such-date"),
    ],
)
def test_the_api_refuses_a_wrong_performance_naming_the_field(
    nis2_status, body, field, member_of, api_client_for
) -> None:
    organisation = OrganisationFactory(nis2_status=nis2_status)
    client = api_client_for(member_of(organisation, Role.IT).user)
    payload = {"organisation": organisation.pk, "duty": "account-review", "done_on": "2026-03-02", **body}

    response = client.post(reverse("duty-completion-list"), payload, format="json")

    assert response.status_code == 400
    assert error_fields(response) == [field]
    assert not DutyCompletion.objects.exists()


def test_the_api_refuses_a_read_only_role(essential, executive, api_client_for) -> None:
    response = api_client_for(executive).post(
        reverse("duty-completion-list"),
        {"organisation": essential.pk, "duty": "pssi-review", "done_on": "2026-03-02"},
        format="json",
    )

    assert response.status_code == 403
    assert not DutyCompletion.objects.exists()
