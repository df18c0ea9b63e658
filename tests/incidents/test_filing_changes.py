"""A corrected filing shows, field by field, how it differs from the one it corrects (filings stay
append-only: the correction is a new filing)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents import services
from incidents.filing_changes import Change, FilingValues, filing_changes, filing_values
from incidents.models import Filing
from nis2.clock import PARIS, UTC
from tests.incidents.factories import significant_incident

FILED = datetime.datetime(2026, 10, 5, 18, 0, tzinfo=PARIS)
ORIGINAL = FilingValues(
    submitted_at=FILED,
    channel="Authority's portal",
    reference="ABC",
    delay_reason="",
    proof="accuse-reception.pdf",
)


@pytest.mark.parametrize(
    ("corrected", "expected"),
    [
        pytest.param(ORIGINAL, [], id="identical"),
        pytest.param(
            FilingValues(FILED.astimezone(UTC), "Authority's portal", "ABC", "", "accuse-reception.pdf"),
            [],
            id="same-instant-in-another-time-zone",
        ),
        pytest.param(
            FilingValues(FILED, "Authority's portal", "ABD", "", "accuse-reception.pdf"),
            [Change("reference", "ABC", "ABD")],
            id="reference",
        ),
        pytest.param(
            FilingValues(FILED + datetime.timedelta(minutes=30), "E-mail", "ABC", "", "accuse-reception.pdf"),
            [
                Change("submitted_at", FILED, FILED + datetime.timedelta(minutes=30)),
                Change("channel", "Authority's portal", "E-mail"),
            ],
            id="time-and-channel",
        ),
        pytest.param(
            FilingValues(FILED, "Authority's portal", "", "Portail indisponible.", ""),
            [
                Change("reference", "ABC", ""),
                Change("delay_reason", "", "Portail indisponible."),
                Change("proof", "accuse-reception.pdf", ""),
            ],
            id="reference-and-proof-removed-reason-added",
        ),
    ],
)
def test_filing_changes(corrected, expected) -> None:
    assert filing_changes(ORIGINAL, corrected) == expected


def test_the_two_half_past_two_of_the_night_clocks_go_back_differ() -> None:
    first = datetime.datetime(2026, 10, 25, 2, 30, tzinfo=PARIS)  # +02:00
    second = first.replace(fold=1)  # +01:00, an hour later
    before = FilingValues(first, "E-mail", "", "", "")

    changes = filing_changes(before, FilingValues(second, "E-mail", "", "", ""))

    assert changes == [Change("submitted_at", first, second)]


@pytest.mark.django_db
def test_filing_values_reads_the_channel_label_and_the_proof_file_name(organisation, security_officer) -> None:
    incident = significant_incident(organisation, actor=security_officer.user)
    filing = services.obligation_file(
        obligation=incident.obligations.get(step="early_warning"),
        actor=security_officer.user,
        submitted_at=FILED,
        reference="CERT-FR-42",
        channel="email",
        proof=SimpleUploadedFile("accuse.pdf", b"%PDF-1.4\n% accuse\n", content_type="application/pdf"),
    )

    assert filing_values(filing) == FilingValues(
        submitted_at=FILED, channel="E-mail", reference="CERT-FR-42", delay_reason="", proof="accuse.pdf"
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("french_catalogue")
def test_incident_page_shows_what_a_correction_changed(client, organisation, security_officer) -> None:
    incident = significant_incident(organisation, actor=security_officer.user)
    early_warning = incident.obligations.get(step="early_warning")
    services.obligation_file(obligation=early_warning, actor=security_officer.user, submitted_at=FILED, reference="ABC")
    services.obligation_file(
        obligation=early_warning,
        actor=security_officer.user,
        submitted_at=FILED,
        reference="ABD",
        channel="email",
    )
    client.force_login(security_officer.user)

    html = client.get(reverse("incident-detail-page", args=[organisation.pk, incident.pk])).content.decode()

    assert Filing.objects.filter(obligation=early_warning).count() == 2
    assert (
        '<p class="correction"><small>Corrige la transmission du 05/10/2026 18:00 : '
        "canal Portail de l'autorité → Courriel ; référence du dossier ABC → ABD</small></p>"
    ) in html.replace("&#x27;", "'")
