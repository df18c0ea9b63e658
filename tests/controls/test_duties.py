"""Recurring ReCyF duties: the catalogue checked against ReCyF v2.5, the calendar rules (pure functions, with
properties checked by hypothesis), and the service recording that a duty was done."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from controls import duties, selectors, services
from controls.models import DutyCompletion, EntityCategory
from nis2.models import Organisation
from nis2.roles import Role
from tests.nis2.factories import OrganisationFactory

DAY = datetime.timedelta(days=1)
TODAY = datetime.date(2026, 11, 30)

# Every measure of ReCyF v2.5 whose text sets a fixed interval, with it (checked by reading the official texts).
PERIODIC_MEASURES = {
    "1.3": 12,
    "2.B.4": 12,
    "7.B.5": 12,
    "10.A.6": 12,
    "10.C.4": 12,
    "11.B.6": 12,
    "13.2": 12,
    "15.4": 36,
    "16.4": 36,
    "18.4": 12,
}


# --- The catalogue ------------------------------------------------------------------------------------


def test_the_catalogue_lists_every_periodic_measure_of_recyf_with_its_interval() -> None:
    assert {duty.recyf_ref: duty.every_months for duty in duties.all_duties()} == PERIODIC_MEASURES


def test_each_duty_applies_to_the_entities_recyf_names(recyf_rows) -> None:
    applies_to = {row["ref"]: row["applies_to"] for row in recyf_rows}
    assert {duty.recyf_ref: duty.applies_to for duty in duties.all_duties()} == {
        ref: applies_to[ref] for ref in PERIODIC_MEASURES
    }


@pytest.mark.parametrize("duty", duties.all_duties(), ids=lambda duty: duty.code)
def test_each_duty_is_described_in_both_languages_and_cites_its_measure(duty) -> None:
    assert duty.source == f"ANSSI ReCyF v2.5, 17/03/2026, measure {duty.recyf_ref}"
    assert all((duty.title_fr, duty.title_en, duty.description_fr, duty.description_en))
    assert duty.code.islower()
    assert " " not in duty.code
    assert len(duty.code) <= DutyCompletion._meta.get_field("duty").max_length


def test_due_soon_is_thirty_days() -> None:
    assert duties.catalogue().due_soon_days == 30


def test_categories_are_those_of_the_models() -> None:
    assert (duties.IMPORTANT, duties.ESSENTIAL) == (EntityCategory.IMPORTANT, EntityCategory.ESSENTIAL)


def test_an_important_entity_owes_the_duties_of_important_and_essential_entities_only() -> None:
    owed = duties.duties_for(EntityCategory.IMPORTANT)

    assert [duty.recyf_ref for duty in owed] == ["1.3", "2.B.4", "7.B.5", "10.A.6", "10.C.4", "13.2"]
    assert {duty.applies_to for duty in owed} == {"EI/EE"}


def test_an_essential_entity_owes_them_all() -> None:
    assert duties.duties_for(EntityCategory.ESSENTIAL) == duties.all_duties()


def test_a_catalogue_with_a_duplicate_code_is_refused() -> None:
    entry = {
        "code": "twice",
        "recyf_ref": "13.2",
        "applies_to": "EI/EE",
        "every_months": 12,
        "title_fr": "t",
        "title_en": "t",
        "description_fr": "d",
        "description_en": "d",
        "source": "s",
    }
    with pytest.raises(ValueError, match="duplicate"):
        duties.parse({"due_soon_days": 30, "duties": [entry, entry]})


# --- The calendar rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_done", "every_months", "expected"),
    [
        pytest.param(datetime.date(2026, 3, 2), 12, datetime.date(2027, 3, 2), id="a-year-later"),
        pytest.param(datetime.date(2026, 1, 31), 12, datetime.date(2027, 1, 31), id="31-january-plus-12-months"),
        pytest.param(datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28), id="leap-day-to-28-february"),
        pytest.param(datetime.date(2024, 2, 29), 36, datetime.date(2027, 2, 28), id="leap-day-three-years-later"),
        pytest.param(datetime.date(2025, 2, 28), 36, datetime.date(2028, 2, 28), id="28-february-stays"),
        pytest.param(datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28), id="month-end-clamped"),
        pytest.param(datetime.date(2027, 12, 31), 12, datetime.date(2028, 12, 31), id="year-end"),
    ],
)
def test_next_due_counts_calendar_months(last_done, every_months, expected) -> None:
    assert duties.next_due(last_done, every_months, today=TODAY) == expected


def test_a_duty_never_done_is_due_today() -> None:
    assert duties.next_due(None, 36, today=TODAY) == TODAY


@pytest.mark.parametrize(
    ("next_due", "ever_done", "expected"),
    [
        pytest.param(TODAY - DAY, True, duties.DutyStatus.OVERDUE, id="due-yesterday"),
        pytest.param(TODAY, True, duties.DutyStatus.DUE_SOON, id="due-today"),
        pytest.param(TODAY + 30 * DAY, True, duties.DutyStatus.DUE_SOON, id="in-30-days"),
        pytest.param(TODAY + 31 * DAY, True, duties.DutyStatus.ON_TRACK, id="in-31-days"),
        pytest.param(TODAY, False, duties.DutyStatus.NEVER_DONE, id="never-done"),
    ],
)
def test_status(next_due, ever_done, expected) -> None:
    assert duties.status(next_due, TODAY, ever_done=ever_done) is expected


dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31))
intervals = st.sampled_from([1, 6, 12, 24, 36])


@given(first=dates, second=dates, every_months=intervals)
def test_next_due_never_goes_back_when_the_duty_is_done_later(first, second, every_months) -> None:
    earlier, later = sorted((first, second))
    assert duties.next_due(earlier, every_months, today=TODAY) <= duties.next_due(later, every_months, today=TODAY)


@given(last_done=dates, every_months=intervals)
def test_next_due_is_the_same_day_months_later_or_the_months_last_day(last_done, every_months) -> None:
    due = duties.next_due(last_done, every_months, today=TODAY)

    assert (due.year - last_done.year) * 12 + due.month - last_done.month == every_months
    assert due.day == last_done.day or (due.day < last_done.day and (due + DAY).day == 1)
    assert due == last_done + relativedelta(months=every_months)


@given(last_done=dates)
def test_a_yearly_duty_is_due_365_or_366_days_later(last_done) -> None:
    assert (duties.next_due(last_done, 12, today=TODAY) - last_done).days in (365, 366)


@given(next_due=dates, today=dates, later=st.integers(min_value=0, max_value=2000))
def test_status_only_worsens_as_days_pass(next_due, today, later) -> None:
    order = [duties.DutyStatus.ON_TRACK, duties.DutyStatus.DUE_SOON, duties.DutyStatus.OVERDUE]
    before = duties.status(next_due, today)
    after = duties.status(next_due, today + datetime.timedelta(days=later))
    assert order.index(after) >= order.index(before)


@pytest.mark.parametrize(
    ("every_months", "english", "french"),
    [
        pytest.param(12, "every year", "tous les ans", id="yearly"),
        pytest.param(36, "every 3 years", "tous les 3 ans", id="three-yearly"),
        pytest.param(6, "every 6 months", "tous les 6 mois", id="half-yearly"),
    ],
)
def test_the_interval_in_words(french_catalogue, every_months, english, french) -> None:
    with translation.override("en"):
        assert duties.period_in_words(every_months) == english
    with translation.override("fr"):
        assert duties.period_in_words(every_months) == french


# --- Recording a duty (service) and the calendar (selector) -----------------------------------------


@pytest.fixture
def essential(db) -> Organisation:
    return OrganisationFactory(nis2_status=Organisation.Nis2StatusChoices.ESSENTIAL)


@pytest.fixture
def important(db) -> Organisation:
    return OrganisationFactory(nis2_status=Organisation.Nis2StatusChoices.IMPORTANT)


@pytest.mark.django_db
def test_recording_a_duty_keeps_its_author_in_the_history(essential, member_of) -> None:
    officer = member_of(essential, Role.SECURITY_OFFICER).user
    done_on = timezone.localdate() - 10 * DAY

    completion = services.duty_record(
        organisation=essential, duty_code="pssi-review", done_on=done_on, note="Comité du 20", actor=officer
    )

    stored = DutyCompletion.objects.get()
    assert (stored.pk, stored.organisation, stored.duty, stored.done_on, stored.note) == (
        completion.pk,
        essential,
        "pssi-review",
        done_on,
        "Comité du 20",
    )
    assert [(record.history_type, record.history_user) for record in stored.history.all()] == [("+", officer)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("organisation_fixture", "duty_code", "days_ago", "field"),
    [
        pytest.param("essential", "coffee-break", 1, "duty", id="unknown-duty"),
        pytest.param("important", "risk-analysis-review", 1, "duty", id="essential-only-duty-for-important-entity"),
        pytest.param("essential", "pssi-review", -1, "done_on", id="tomorrow"),
    ],
)
def test_refused_records_name_the_field_and_write_nothing(
    request, organisation_fixture, duty_code, days_ago, field
) -> None:
    organisation = request.getfixturevalue(organisation_fixture)

    with pytest.raises(ValidationError) as refused:
        services.duty_record(
            organisation=organisation,
            duty_code=duty_code,
            done_on=timezone.localdate() - days_ago * DAY,
            actor=None,
        )

    assert list(refused.value.message_dict) == [field]
    assert not DutyCompletion.objects.exists()
    assert not DutyCompletion.history.exists()


@pytest.mark.django_db
def test_a_duty_done_today_is_accepted(essential) -> None:
    services.duty_record(organisation=essential, duty_code="pssi-review", done_on=timezone.localdate(), actor=None)

    assert DutyCompletion.objects.count() == 1


@pytest.mark.django_db
def test_the_calendar_takes_each_duty_latest_performance_and_sorts_by_next_due(essential, member_of) -> None:
    officer = member_of(essential, Role.SECURITY_OFFICER, first_name="Inès", last_name="Martin").user
    other = OrganisationFactory()
    for done_on in (datetime.date(2025, 1, 10), datetime.date(2026, 2, 1), datetime.date(2025, 6, 3)):
        services.duty_record(organisation=essential, duty_code="backup-restore-test", done_on=done_on, actor=officer)
    services.duty_record(
        organisation=essential, duty_code="account-review", done_on=datetime.date(2026, 11, 1), actor=None
    )
    services.duty_record(organisation=other, duty_code="pssi-review", done_on=datetime.date(2026, 11, 1), actor=None)

    rows = selectors.duty_calendar(organisation=essential, today=TODAY)

    assert len(rows) == len(duties.all_duties())
    by_code = {row.duty.code: row for row in rows}
    backup = by_code["backup-restore-test"]
    assert (backup.last_done_on, backup.last_done_by, backup.next_due, backup.status) == (
        datetime.date(2026, 2, 1),
        "Inès Martin",
        datetime.date(2027, 2, 1),
        duties.DutyStatus.ON_TRACK,
    )
    accounts = by_code["account-review"]
    assert (accounts.last_done_by, accounts.next_due) == ("", datetime.date(2027, 11, 1))
    pssi = by_code["pssi-review"]  # done by the other organisation only
    assert (pssi.last_done_on, pssi.next_due, pssi.status) == (None, TODAY, duties.DutyStatus.NEVER_DONE)
    assert [row.next_due for row in rows] == sorted(row.next_due for row in rows)
    assert [row.duty.code for row in rows][-2:] == ["backup-restore-test", "account-review"]


@pytest.mark.django_db
def test_the_calendar_of_an_important_entity_lists_its_duties_only(important) -> None:
    rows = selectors.duty_calendar(organisation=important, today=TODAY)

    assert {row.duty.applies_to for row in rows} == {"EI/EE"}
    assert len(rows) == 6
