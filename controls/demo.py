"""Demo self-assessments: the intercommunality's validated previous quarter and current quarter
(strong governance, weak security supervision), an assessment under way in each commune, and an
action plan with overdue actions."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from controls import services
from controls.catalogue_loading import load_shipped_catalogues
from controls.models import ActionItem, Assessment, Framework, RequirementAssessment
from nis2.clock import PARIS
from nis2.demo import DemoTenancy, spread_history
from nis2.history import model_update
from nis2.models import Organisation
from nis2.periods import Quarter, quarter_of

# Typical level (and spread) per ReCyF objective: governance is strong, supervision weak.
OBJECTIVE_LEVELS = {
    "1": 3,
    "2": 4,
    "3": 2,
    "4": 3,
    "5": 2,
    "6": 3,
    "7": 2,
    "8": 2,
    "9": 3,
    "10": 2,
    "11": 2,
    "12": 2,
    "13": 2,
    "14": 1,
    "15": 1,
    "16": 2,
    "17": 1,
    "18": 2,
    "19": 1,
    "20": 0,
}


def _person(tenancy: DemoTenancy, key: str) -> User:
    user = tenancy.users[key]
    assert isinstance(user, User)  # the demo's people are the project's user model
    return user


def label_of(quarter: Quarter) -> str:
    return f"{quarter.year}-T{quarter.number}"


def _objective(ref: str) -> str:
    return ref.split(".", 1)[0]


def _rate(assessment: Assessment, *, actor: User, seed: int, share: float, improvement: int = 0) -> None:
    """Give levels to a share of the items, around their objective's typical level."""
    generator = random.Random(seed)
    items = list(assessment.items.select_related("requirement").order_by("requirement__position"))
    changed = []
    for item in items:
        if generator.random() > share:
            continue
        base = OBJECTIVE_LEVELS.get(_objective(item.requirement.ref), 2)
        item.current_level = max(0, min(5, base + generator.choice((-1, 0, 0, 1)) + improvement))
        item.target_level = 4 if _objective(item.requirement.ref) in {"2", "12", "13", "14", "20"} else 3
        item.reviewed_at = timezone.now()
        changed.append(item)
    bulk_update_with_history(
        changed, RequirementAssessment, ["current_level", "target_level", "reviewed_at"], default_user=actor
    )
    if assessment.status == Assessment.Status.DRAFT and changed:
        model_update(assessment, actor=actor, data={"status": Assessment.Status.IN_PROGRESS})


def _mark_not_applicable(assessment: Assessment, ref: str, justification: str, actor: User) -> None:
    item = assessment.items.get(requirement__ref=ref)
    services.item_update(
        item=item,
        expected_version=item.version,
        actor=actor,
        applicable=False,
        justification=justification,
        current_level=None,
    )


def _assessment(
    organisation: Organisation, framework: Framework, quarter: Quarter, actor: User
) -> tuple[Assessment, bool]:
    existing = Assessment.objects.filter(
        organisation=organisation, framework=framework, label=label_of(quarter)
    ).first()
    if existing:
        return existing, False
    return (
        services.assessment_create(
            organisation=organisation,
            framework=framework,
            label=label_of(quarter),
            period_start=quarter.start,
            period_end=quarter.end,
            actor=actor,
        ),
        True,
    )


@transaction.atomic
def populate(tenancy: DemoTenancy) -> list[str]:
    load_shipped_catalogues()
    recyf = Framework.objects.get(code="recyf")
    today = timezone.localdate()
    current, previous = quarter_of(today), quarter_of(today).previous()
    dsi = _person(tenancy, "dsi")
    lines = []

    # The intercommunality: last quarter validated, this quarter started from it and improved.
    earlier, created_previous = _assessment(tenancy.intercommunality, recyf, previous, dsi)
    if created_previous:
        _rate(earlier, actor=dsi, seed=1, share=1.0)
        _mark_not_applicable(
            earlier,
            "6.4",
            "Aucun local technique hébergeant des SI critiques hors du siège (datacenter mutualisé).",
            dsi,
        )
        services.assessment_validate(assessment=earlier, actor=dsi)
        lines.append(f"ReCyF assessment {earlier.label} (validated) for {tenancy.intercommunality.name}")
    now = Assessment.objects.filter(
        organisation=tenancy.intercommunality, framework=recyf, label=label_of(current)
    ).first()
    if now is None:
        now = services.assessment_copy(
            assessment=earlier, label=label_of(current), period_start=current.start, period_end=current.end, actor=dsi
        )
        _rate(now, actor=dsi, seed=2, share=0.35, improvement=1)
        lines.append(f"ReCyF assessment {now.label} (in progress) for {tenancy.intercommunality.name}")

    # Each commune: an assessment under way.
    for commune, user_key, share, seed in ((tenancy.commune_a, "dsi-a", 0.6, 3), (tenancy.commune_b, "rssi-b", 0.3, 4)):
        assessment, created = _assessment(commune, recyf, current, _person(tenancy, user_key))
        if created:
            _rate(assessment, actor=_person(tenancy, user_key), seed=seed, share=share)
            lines.append(
                f"ReCyF assessment {assessment.label} ({assessment.items.count()} measures) for {commune.name}"
            )

    if not ActionItem.objects.filter(organisation=tenancy.intercommunality).exists():
        _demo_actions(tenancy, now, today)
        lines.append("Action plan with overdue actions")
    if created_previous:
        _date_in_the_past(earlier, previous)
    return lines


def _date_in_the_past(assessment: Assessment, quarter: Quarter) -> None:
    """The previous quarter's assessment was rated and validated during that quarter."""
    start = datetime.datetime.combine(quarter.start + datetime.timedelta(days=20), datetime.time(9), tzinfo=PARIS)
    end = datetime.datetime.combine(quarter.end - datetime.timedelta(days=3), datetime.time(17), tzinfo=PARIS)
    spread_history(list(Assessment.history.filter(id=assessment.pk)), end - datetime.timedelta(hours=1), end)
    spread_history(
        list(RequirementAssessment.history.filter(assessment_id=assessment.pk)),
        start,
        end - datetime.timedelta(hours=2),
    )
    Assessment.objects.filter(pk=assessment.pk).update(validated_at=end)
    done_at = start + datetime.timedelta(days=30)
    ActionItem.objects.filter(organisation=assessment.organisation_id, status="done").update(completed_at=done_at)
    ActionItem.history.filter(organisation_id=assessment.organisation_id, status="done").update(completed_at=done_at)
    for action in ActionItem.objects.filter(organisation=assessment.organisation_id):
        spread_history(list(ActionItem.history.filter(id=action.pk)), start, done_at)


@dataclass(frozen=True)
class _DemoAction:
    title: str
    ref: str
    owner: str  # the demo user's key
    due_in_days: int
    priority: str
    status: str
    cost: int
    effort: int | None = None  # person-days
    note: str = ""  # where things stand, as the owner wrote it


_INTERCOMMUNALITY_PLAN = (
    _DemoAction(
        "Déployer une supervision de sécurité (SOC mutualisé)",
        "20.1",
        "rssi",
        120,
        "high",
        "open",
        48000,
        15,
        "Cahier des charges partagé avec les communes.",
    ),
    _DemoAction(
        "Collecter et conserver les journaux d'authentification",
        "20.2",
        "dsi",
        -20,
        "high",
        "in_progress",
        6000,
        6,
        "Journaux de l'annuaire centralisés ; reste la messagerie et le VPN.",
    ),
    _DemoAction("Exercice de crise cyber avec les élus", "14.8", "rssi", -45, "critical", "open", 3500, 3),
    _DemoAction(
        "Plan de reprise : tester la restauration des sauvegardes",
        "13.3",
        "dsi",
        30,
        "high",
        "in_progress",
        0,
        4,
        "Serveur de fichiers restauré en octobre.",
    ),
    _DemoAction("Séparer les comptes d'administration", "11.A.1", "dsi", -90, "medium", "done", 2000),
    _DemoAction("Politique de sécurité signée par le président", "2.B.3", "rssi", -60, "medium", "done", 0),
    # Given up when the intercommunality joined the regional pooled backup offer.
    _DemoAction("Étudier un second site de sauvegarde à Villeneuve", "13.3", "dsi", 90, "low", "abandoned", 15000),
)


def _demo_actions(tenancy: DemoTenancy, assessment: Assessment, today: datetime.date) -> None:
    for planned in _INTERCOMMUNALITY_PLAN:
        owner = _person(tenancy, planned.owner)
        services.action_create(
            organisation=tenancy.intercommunality,
            actor=owner,
            requirements=[assessment.framework.requirements.get(ref=planned.ref)],
            assessment=assessment,
            title=planned.title,
            owner=owner,
            due_date=today + datetime.timedelta(days=planned.due_in_days),
            priority=planned.priority,
            status=planned.status,
            estimated_cost_eur=Decimal(planned.cost),
            effort_days=Decimal(planned.effort) if planned.effort is not None else None,
            progress_note=planned.note,
        )
    for commune, user_key in ((tenancy.commune_a, "dsi-a"), (tenancy.commune_b, "rssi-b")):
        owner = _person(tenancy, user_key)
        services.action_create(
            organisation=commune,
            actor=owner,
            title="Activer l'authentification multifacteur sur la messagerie",
            owner=owner,
            due_date=today - datetime.timedelta(days=10),
            priority="high",
            status="open",
        )
