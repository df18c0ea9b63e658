"""The management body's trainings recorded through the services (NIS 2 Art. 20): who was trained, when,
for how long, with which attestation; every refusal writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nis2.archive.deletions import deleted_records
from nis2.roles import Role
from reports import services
from reports.models import Training
from tests.nis2.factories import OrganisationFactory
from tests.reports.governance.governance_records import TODAY, refused_fields
from tests.reports.governance_data import pdf_upload, png_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_in_english")]


def train(organisation, actor, **fields):
    values = {
        "course": "Cybersécurité pour les élus",
        "provider": "CNFPT",
        "completed_on": datetime.date(2026, 3, 12),
        "hours": Decimal("3.5"),
        "today": TODAY,
        **fields,
    }
    return services.training_record(organisation=organisation, actor=actor, **values)


def test_a_member_and_an_assembly_member_without_account_are_recorded(organisation, executive) -> None:
    member = train(organisation, executive, person=executive, attestation=pdf_upload("attestation.pdf"))
    named = train(organisation, executive, person_name="  Mme   Claire  Adjointe ", attestation=png_upload())

    assert (member.person, member.person_name, member.display_name) == (executive, "", "Marie Maire")
    assert (named.person, named.person_name, named.display_name) == (None, "Mme Claire Adjointe", "Mme Claire Adjointe")
    assert member.attestation.name.endswith(".pdf")
    assert named.attestation.name.endswith(".png")
    assert named.recorded_by == executive
    assert named.history.get().history_user == executive


@pytest.mark.parametrize(
    ("label", "who"),
    [
        pytest.param("both", {"person_name": "Mme Claire Adjointe", "person": "executive"}, id="both"),
        pytest.param("neither", {}, id="neither"),
        pytest.param("blank name", {"person_name": "   "}, id="blank-name"),
    ],
)
def test_exactly_one_of_person_and_name_is_given(organisation, executive, label, who) -> None:
    fields = {**who, "person": executive} if "person" in who else who

    errors = refused_fields(lambda: train(organisation, executive, **fields))

    assert errors == {
        "person": [
            "Choose a member of the organisation or write the name of an assembly member without an account, "
            "one of the two."
        ]
    }
    assert not Training.objects.exists()


def test_the_person_trained_must_be_a_member_of_the_organisation(organisation, executive, member_of) -> None:
    outsider = member_of(OrganisationFactory(), Role.EXECUTIVE).user

    errors = refused_fields(lambda: train(organisation, executive, person=outsider))

    assert errors == {"person": ["The person trained must be a member of the organisation."]}
    assert not Training.objects.exists()


@pytest.mark.parametrize(
    ("completed_on", "accepted"),
    [
        pytest.param(TODAY, True, id="today"),
        pytest.param(TODAY + datetime.timedelta(days=1), False, id="tomorrow"),
    ],
)
def test_a_training_cannot_be_completed_in_the_future(organisation, executive, completed_on, accepted) -> None:
    if accepted:
        assert train(organisation, executive, person=executive, completed_on=completed_on).completed_on == TODAY
    else:
        errors = refused_fields(lambda: train(organisation, executive, person=executive, completed_on=completed_on))
        assert errors == {"completed_on": ["A training cannot be completed in the future."]}
        assert not Training.objects.exists()


@pytest.mark.parametrize(
    ("hours", "accepted"),
    [
        pytest.param(Decimal(0), False, id="zero"),
        pytest.param(Decimal("-2"), False, id="negative"),
        pytest.param(Decimal("0.25"), True, id="a-quarter-of-an-hour"),
        pytest.param(Decimal(200), True, id="two-hundred"),
        pytest.param(Decimal("200.01"), False, id="beyond-two-hundred"),
    ],
)
def test_hours_are_more_than_zero_and_at_most_200(organisation, executive, hours, accepted) -> None:
    if accepted:
        assert train(organisation, executive, person=executive, hours=hours).hours == hours
    else:
        errors = refused_fields(lambda: train(organisation, executive, person=executive, hours=hours))
        assert errors == {"hours": ["A training lasts more than 0 and at most 200 hours."]}
        assert not Training.objects.exists()


def test_the_attestation_is_a_pdf_or_an_image(organisation, executive) -> None:
    spreadsheet = SimpleUploadedFile("presence.xlsx", b"PK\x03\x04 spreadsheet")

    errors = refused_fields(lambda: train(organisation, executive, person=executive, attestation=spreadsheet))

    assert errors == {"attestation": ["The attestation must be a PDF file or an image (PNG, JPEG)."]}
    assert not Training.objects.exists()


def test_a_deleted_training_stays_in_the_history_and_the_deleted_records(organisation, executive) -> None:
    training = train(organisation, executive, person_name="Mme Claire Adjointe")
    training_id = training.pk

    services.training_delete(training=training, actor=executive)

    assert not Training.objects.exists()
    history = Training.history.filter(id=training_id).order_by("history_id")
    assert list(history.values_list("history_type", "person_name")) == [
        ("+", "Mme Claire Adjointe"),
        ("-", "Mme Claire Adjointe"),
    ]
    deleted = [record for record in deleted_records(organisation) if record.model == "reports.training"]
    assert [(record.object_id, record.deleted_by) for record in deleted] == [(training_id, "maire")]
