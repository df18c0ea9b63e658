"""Demo reports: the intercommunality's last two quarterly reports, already issued; the management bodies'
approvals (NIS 2 Art. 20(1)) and trainings (Art. 20(2))."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer

from nis2.demo import DemoTenancy
from nis2.models import Organisation
from nis2.pdf import text
from nis2.periods import quarter_of
from reports import services
from reports.models import Approval, Report, Training


def populate(tenancy: DemoTenancy) -> list[str]:
    last = quarter_of(timezone.localdate()).previous()
    lines = []
    for quarter in (last.previous(), last):
        if Report.objects.filter(organisation=tenancy.intercommunality, period=quarter.code).exists():
            continue
        report = services.report_request(
            organisation=tenancy.intercommunality,
            period=quarter.code,
            language="fr",
            actor=tenancy.users["rssi"],
            enqueue=False,
        )
        services.report_generate(report_id=report.pk)
        lines.append(f"Quarterly report {quarter.code} issued for {tenancy.intercommunality.name}")
    return lines + _approvals(tenancy) + _trainings(tenancy)


def _act_pdf(organisation: Organisation, title: str, decided_on: datetime.date, body: str) -> SimpleUploadedFile:
    """A one-page signed act, as the demo's stand-in for the scanned deliberation."""
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title).build(
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
        ]
    )
    return SimpleUploadedFile("deliberation.pdf", buffer.getvalue(), content_type="application/pdf")


def _approvals(tenancy: DemoTenancy) -> list[str]:
    """Saint-Aubin's municipal council approved its security measures; the intercommunality's community
    council approved its own, and its bureau the last quarterly report."""
    today = timezone.localdate()
    recently = min(today, quarter_of(today).start + datetime.timedelta(days=20))
    commune = tenancy.commune_a
    lines = []
    if not Approval.objects.filter(organisation=commune).exists():
        decided_on = today - datetime.timedelta(days=45)
        services.approval_record(
            organisation=commune,
            subject=Approval.Subject.MEASURES,
            act_type=Approval.ActType.DELIBERATION,
            act_reference=f"{decided_on.year}-045",
            decided_on=decided_on,
            body=Approval.Body.MUNICIPAL_COUNCIL,
            act_file=_act_pdf(
                commune,
                f"Délibération n° {decided_on.year}-045 — sécurité des systèmes d’information",
                decided_on,
                "conseil municipal",
            ),
            actor=None,
        )
        lines.append(f"Security measures approved by the municipal council of {commune.name}")
    intercommunality = tenancy.intercommunality
    if not Approval.objects.filter(organisation=intercommunality).exists():
        services.approval_record(
            organisation=intercommunality,
            subject=Approval.Subject.MEASURES,
            act_type=Approval.ActType.DELIBERATION,
            act_reference=f"CC-{recently.year}-112",
            decided_on=recently,
            body=Approval.Body.COMMUNITY_COUNCIL,
            actor=tenancy.users["elu"],
        )
        report = (
            Report.objects.filter(organisation=intercommunality, status=Report.Status.DONE)
            .order_by("-period", "-version")
            .first()
        )
        if report is not None:
            services.approval_record(
                organisation=intercommunality,
                subject=Approval.Subject.REPORT,
                report=report,
                act_type=Approval.ActType.DECISION,
                act_reference=f"B-{recently.year}-031",
                decided_on=recently,
                body=Approval.Body.BUREAU,
                actor=tenancy.users["elu"],
            )
        lines.append(f"Security measures and quarterly report approved for {intercommunality.name}")
    return lines


def _trainings(tenancy: DemoTenancy) -> list[str]:
    """The executive trained in 2025; a vice-president without an account, trained in 2022 only, is due
    for training again."""
    intercommunality = tenancy.intercommunality
    if Training.objects.filter(organisation=intercommunality).exists():
        return []
    elu = tenancy.users["elu"]
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
