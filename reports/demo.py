"""Demo reports: the intercommunality's last two quarterly reports, already issued; the management bodies'
approvals (NIS 2 Art. 20(1)) and trainings (Art. 20(2))."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.platypus import Spacer

from nis2.demo import DemoTenancy
from nis2.models import Organisation
from nis2.pdf import build_document, text
from nis2.periods import quarter_of
from reports import services
from reports.models import Approval, Report, Training


def populate(tenancy: DemoTenancy) -> list[str]:
    """In the order things happened: the councils approve the security measures early in the quarter before
    last, the report of that quarter is issued, the bureau approves it during the last quarter, and the last
    quarter's report shows both approvals in force."""
    last = quarter_of(timezone.localdate()).previous()
    lines = _trainings(tenancy)
    lines += _measures_approvals(tenancy, decided_on=last.previous().start + datetime.timedelta(days=20))
    for quarter in (last.previous(), last):
        if Report.objects.filter(organisation=tenancy.intercommunality, period=quarter.code).exists():
            continue
        report = services.report_request(
            organisation=tenancy.intercommunality,
            period=quarter.code,
            language="fr",
            actor=_user(tenancy, "rssi"),
            enqueue=False,
        )
        report = services.report_generate(report_id=report.pk)
        # Issued on the first morning of the next quarter, as the quarterly beat does (the demo runs today).
        issued = timezone.make_aware(datetime.datetime.combine(quarter.next().start, datetime.time(6)))
        Report.objects.filter(pk=report.pk).update(generated_at=issued)
        report.generated_at = issued
        lines.append(f"Quarterly report {quarter.code} issued for {tenancy.intercommunality.name}")
        if quarter == last.previous():
            lines += _report_approval(tenancy, report, decided_on=last.start + datetime.timedelta(days=20))
    return lines


def _user(tenancy: DemoTenancy, key: str) -> User:
    """A demo person, as the user model the services record as author."""
    user = tenancy.users[key]
    assert isinstance(user, User), key
    return user


def _recorded_on(approval: Approval, day: datetime.date) -> None:
    """The demo is created today: date the approval's recording (and its history) on the day it was decided,
    so that the reports of the quarters after find it in force."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(18)))
    Approval.objects.filter(pk=approval.pk).update(created_at=moment, updated_at=moment)
    Approval.history.filter(id=approval.pk).update(history_date=moment)


def _act_pdf(organisation: Organisation, title: str, decided_on: datetime.date, body: str) -> SimpleUploadedFile:
    """A one-page signed act, as the demo's stand-in for the scanned deliberation."""
    pdf = build_document(
        [
            text(organisation.name, "title"),
            text(title, "h1"),
            text(f"Séance du {decided_on:%d/%m/%Y} — {body}."),
            Spacer(1, 12),
            text(
                "Vu la directive (UE) 2022/2555 (NIS 2), article 20 ; après en avoir délibéré, l’assemblée approuve "
                "les mesures de gestion des risques en matière de cybersécurité présentées dans l’auto-évaluation "
                "annexée et charge l’exécutif d’en superviser la mise en œuvre."
            ),
            Spacer(1, 24),
            text("Signé : le maire — document de démonstration, sans valeur juridique.", "small"),
        ],
        title=title,
    )
    return SimpleUploadedFile("deliberation.pdf", pdf, content_type="application/pdf")


def _measures_approvals(tenancy: DemoTenancy, *, decided_on: datetime.date) -> list[str]:
    """Saint-Aubin's municipal council and the intercommunality's community council approve their security
    measures (NIS 2 Art. 20(1))."""
    lines = []
    for organisation, reference, body, body_name in (
        (tenancy.commune_a, f"{decided_on.year}-045", Approval.Body.MUNICIPAL_COUNCIL, "conseil municipal"),
        (
            tenancy.intercommunality,
            f"CC-{decided_on.year}-112",
            Approval.Body.COMMUNITY_COUNCIL,
            "conseil communautaire",
        ),
    ):
        if Approval.objects.filter(organisation=organisation, subject=Approval.Subject.MEASURES).exists():
            continue
        approval = services.approval_record(
            organisation=organisation,
            subject=Approval.Subject.MEASURES,
            act_type=Approval.ActType.DELIBERATION,
            act_reference=reference,
            decided_on=decided_on,
            body=body,
            act_file=_act_pdf(
                organisation,
                f"Délibération n° {reference} — sécurité des systèmes d’information",
                decided_on,
                body_name,
            ),
            actor=_user(tenancy, "elu") if organisation == tenancy.intercommunality else None,
        )
        _recorded_on(approval, decided_on)
        lines.append(f"Security measures approved by the {body_name} of {organisation.name}")
    return lines


def _report_approval(tenancy: DemoTenancy, report: Report, *, decided_on: datetime.date) -> list[str]:
    """The intercommunality's bureau approves a quarterly report."""
    intercommunality = tenancy.intercommunality
    if Approval.objects.filter(organisation=intercommunality, subject=Approval.Subject.REPORT).exists():
        return []
    approval = services.approval_record(
        organisation=intercommunality,
        subject=Approval.Subject.REPORT,
        report=report,
        act_type=Approval.ActType.DECISION,
        act_reference=f"B-{decided_on.year}-031",
        decided_on=decided_on,
        body=Approval.Body.BUREAU,
        actor=_user(tenancy, "elu"),
    )
    _recorded_on(approval, decided_on)
    return [f"Quarterly report {report.period} approved by the bureau of {intercommunality.name}"]


def _trainings(tenancy: DemoTenancy) -> list[str]:
    """The executive trained in 2025; a vice-president without an account, trained in 2022 only, is due
    for training again."""
    intercommunality = tenancy.intercommunality
    if Training.objects.filter(organisation=intercommunality).exists():
        return []
    elu = _user(tenancy, "elu")
    services.training_record(
        organisation=intercommunality,
        person=elu,
        course="Cybersécurité : le rôle des élus (NIS 2)",
        provider="CNFPT",
        completed_on=datetime.date(2025, 3, 12),
        hours=Decimal("3.5"),
        actor=elu,
    )
    services.training_record(
        organisation=intercommunality,
        person_name="Claire Vice-Présidente",
        course="Sensibilisation au risque numérique",
        provider="Cybermalveillance.gouv.fr",
        completed_on=datetime.date(2022, 6, 15),
        hours=Decimal(2),
        actor=elu,
    )
    return [f"Management body trainings recorded for {intercommunality.name}"]
