"""The demo's incidents, one function per scenario (see ``incidents.demo``)."""

from __future__ import annotations

import datetime
from typing import Unpack

from django.contrib.auth.models import User

from dependencies import selectors as dependencies_selectors
from incidents import services
from incidents.models import Incident, IncidentChanges, Obligation
from nis2.demo import DemoTenancy
from nis2.models import Organisation

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def _create(organisation: Organisation, actor: User, **fields: Unpack[IncidentChanges]) -> Incident:
    return services.incident_create(organisation=organisation, actor=actor, **fields)


def _file(incident: Incident, step: str, actor: User, submitted_at: datetime.datetime, reference: str) -> None:
    obligation = Obligation.objects.get(incident=incident, step=step)
    services.obligation_file(obligation=obligation, actor=actor, submitted_at=submitted_at, reference=reference)


def _walk(incident: Incident, actor: User, steps: list[tuple[str, datetime.datetime]]) -> Incident:
    for status, moment in steps:
        incident = services.incident_transition(incident=incident, status=status, actor=actor, at=moment)
    return incident


def _close_with_root_cause(
    incident: Incident, actor: User, closed_at: datetime.datetime, **root_cause: Unpack[IncidentChanges]
) -> None:
    """Record the root cause the analysis found, then close the incident."""
    services.incident_update(incident=incident, actor=actor, **root_cause)
    _walk(incident, actor, [("closed", closed_at)])


def _investigate(incident: Incident, actor: User, moment: datetime.datetime, text: str) -> None:
    services.timeline_add(incident=incident, actor=actor, kind="investigation", text=text, occurred_at=moment)


def vulnerability_contained(organisation: Organisation, actor: User, now: datetime.datetime) -> None:
    """A published flaw of the VPN, contained while the vendor's fix is awaited; significance still being
    assessed."""
    detected = now - 6 * DAY
    incident = _create(
        organisation,
        actor,
        title="Faille critique du VPN publiée, correctif de l'éditeur attendu",
        description="Bulletin CERT-FR : exécution de code à distance sur la passerelle VPN, sans correctif.",
        detected_at=detected,
        category="vulnerable",
        subcategory="vulnerable-system",
        severity="high",
        suspected_malicious="no",
        suspected_malicious_justification="Aucune tentative d'exploitation dans les journaux de la passerelle.",
        geographic_spread="organisation",
        services_affected="Accès distant des agents",
    )
    incident = _walk(incident, actor, [("investigating", detected + HOUR)])
    for kind, hours, text in (
        ("decision", 2, "Accès VPN réservés aux agents d'astreinte jusqu'au correctif."),
        ("communication", 3, "Message aux agents : télétravail suspendu jusqu'à nouvel ordre."),
        ("action", 5, "Règle de filtrage ajoutée sur le pare-feu devant la passerelle."),
    ):
        services.timeline_add(incident=incident, actor=actor, kind=kind, text=text, occurred_at=detected + hours * HOUR)
    _walk(incident, actor, [("contained", detected + 6 * HOUR)])


def failures_resolved(organisation: Organisation, actor: User, now: datetime.datetime) -> None:
    """Two failures that are not attacks: water in a server room (resolved, cause still uncertain) and a
    storage failure of the mail server (closed)."""
    detected = now - 35 * DAY
    flood = _create(
        organisation,
        actor,
        title="Dégât des eaux dans le local technique de la mairie annexe",
        detected_at=detected,
        category="other",
        subcategory="other",
        severity="medium",
        significant="no",
        significant_justification="Un seul site touché, services rétablis dans la journée.",
        geographic_spread="local",
        duration_hours=9,
    )
    flood = _walk(flood, actor, [("investigating", detected + HOUR), ("resolved", detected + 9 * HOUR)])
    services.incident_update(
        incident=flood,
        actor=actor,
        root_cause_category="natural_phenomenon",
        root_cause="Infiltration par la toiture pendant un orage, au-dessus de la baie de brassage.",
        analysis_method="ishikawa",
        root_cause_confidence="low",
    )
    detected = now - 55 * DAY
    storage = _create(
        organisation,
        actor,
        title="Panne du stockage du serveur de messagerie",
        detected_at=detected,
        category="availability",
        subcategory="outage",
        severity="high",
        significant="no",
        significant_justification="Messagerie interrompue 3 h, sans perte de données.",
        duration_hours=3,
        services_affected="Messagerie",
    )
    storage = _walk(storage, actor, [("investigating", detected + HOUR), ("resolved", detected + 3 * HOUR)])
    _close_with_root_cause(
        storage,
        actor,
        detected + 4 * DAY,
        root_cause_category="system_failure",
        root_cause="Deux disques de la grappe défaillants en moins d'une heure.",
        analysis_method="other",
        root_cause_confidence="medium",
    )


def ransomware(ca: Organisation, rssi: User, now: datetime.datetime) -> None:
    """Ransomware, significant, every report filed; the notification was late."""
    detected = now - 200 * DAY
    ransomware = _create(
        ca,
        rssi,
        title="Rançongiciel sur les serveurs de fichiers de l'agglomération",
        description="Chiffrement des partages réseau et de la GRH ; demande de rançon affichée sur les postes.",
        detected_at=detected,
        aware_at=detected + 2 * HOUR,
        category="malicious-code",
        subcategory="infected-system",
        severity="critical",
        significant="yes",
        significant_justification="Paie, état civil et urbanisme indisponibles pour 40 000 habitants.",
        suspected_malicious="yes",
        suspected_malicious_justification="Note de rançon, outils d'attaque retrouvés.",
        cross_border="no",
        cross_border_justification="Aucun service fourni hors de France.",
        services_affected="Paie, état civil, urbanisme, messagerie",
        users_affected=40_000,
        duration_hours=96,
        geographic_spread="several_organisations",
        estimated_financial_loss_eur=310_000,
        indicators_of_compromise="185.220.101.4 ; svc-backup.exe (SHA-256 4f2a…)",
        mitigation="Isolement du réseau, restauration depuis les sauvegardes hors ligne, réinitialisation des comptes.",
    )
    _file(ransomware, "early_warning", rssi, detected + 20 * HOUR, "CERTFR-2026-ALE-0412")
    _file(ransomware, "notification", rssi, detected + 2 * HOUR + 80 * HOUR, "CERTFR-2026-NOT-0412")
    ransomware = _walk(
        ransomware,
        rssi,
        [
            ("investigating", detected + 3 * HOUR),
            ("contained", detected + 30 * HOUR),
            ("resolved", detected + 12 * DAY),
        ],
    )
    _investigate(
        ransomware, rssi, detected + 5 * DAY, "Analyse forensique du prestataire : accès initial par hameçonnage."
    )
    ransomware = _ransomware_root_cause(ransomware, rssi, detected)
    _file(ransomware, "final", rssi, detected + 2 * HOUR + 80 * HOUR + 29 * DAY, "CERTFR-2026-FIN-0412")
    ransomware = _walk(ransomware, rssi, [("closed", detected + 45 * DAY)])
    services.corrective_action_create(
        incident=ransomware,
        actor=rssi,
        title="MFA sur tous les accès distants",
        add_to_action_plan=True,
        owner=rssi,
        due_date=(now + 30 * DAY).date(),
    )


def _ransomware_root_cause(ransomware: Incident, rssi: User, detected: datetime.datetime) -> Incident:
    return services.incident_update(
        incident=ransomware,
        actor=rssi,
        root_cause_category="malicious_action",
        root_cause="Identifiants d'un agent volés par hameçonnage, VPN sans authentification multifacteur.",
        attack_technique="T1566",
        contributing_factors="Absence de MFA sur le VPN ; sauvegardes en ligne accessibles.",
        analysis_method="forensic",
        root_cause_confidence="high",
        root_cause_identified_at=detected + 9 * DAY,
    )


def phishing(ca: Organisation, rssi: User, now: datetime.datetime) -> None:
    """Phishing with personal data: the CNIL clock, not significant under NIS 2."""
    detected = now - 100 * DAY
    phishing = _create(
        ca,
        rssi,
        title="Hameçonnage : fichier des usagers de la médiathèque exfiltré",
        detected_at=detected,
        aware_at=detected + 1 * HOUR,
        category="fraud",
        subcategory="phishing",
        severity="medium",
        significant="no",
        significant_justification="Aucun service interrompu.",
        personal_data_breach=True,
        users_affected=2_300,
        personal_data_consequences="Noms, adresses et courriels de 2 300 usagers : risque d'hameçonnage ciblé.",
        suspected_malicious="yes",
        mitigation="Mot de passe réinitialisé, usagers informés.",
    )
    _file(phishing, "gdpr_breach", rssi, detected + 50 * HOUR, "CNIL-2026-18877")
    phishing = _walk(phishing, rssi, [("investigating", detected + 2 * HOUR), ("resolved", detected + 3 * DAY)])
    _close_with_root_cause(
        phishing,
        rssi,
        detected + 10 * DAY,
        root_cause_category="human_error",
        root_cause="Un agent a saisi ses identifiants sur une fausse page de connexion.",
        analysis_method="five_whys",
        root_cause_confidence="medium",
    )


def supplier_outage(ca: Organisation, rssi: User, now: datetime.datetime) -> None:
    """A supplier's outage, its failing component named in the dependency map."""
    detected = now - 70 * DAY
    outage = _create(
        ca,
        rssi,
        title="Panne du logiciel de gestion financière hébergé par l'éditeur",
        detected_at=detected,
        category="availability",
        subcategory="outage",
        severity="high",
        significant="no",
        significant_justification="Interruption de 6 h sans impact sur les usagers.",
        duration_hours=6,
        services_affected="Finances",
    )
    outage = _walk(outage, rssi, [("investigating", detected + HOUR), ("resolved", detected + 6 * HOUR)])
    finances = next(
        (
            component
            for component in dependencies_selectors.components_of_organisation(ca.pk)
            if component.name.startswith("Finances")
        ),
        None,
    )
    _close_with_root_cause(
        outage,
        rssi,
        detected + 5 * DAY,
        root_cause_component=finances,
        affected_components=[finances] if finances else [],
        root_cause_category="third_party_failure",
        root_cause="Mise à jour défectueuse déployée par l'éditeur sur sa plateforme.",
        analysis_method="timeline",
        root_cause_confidence="high",
    )


def undetermined_in_communes(tenancy: DemoTenancy, now: datetime.datetime) -> None:
    """Closed with an undetermined cause, after investigation, in each commune."""
    for organisation, actor, title, subcategory, days in (
        (
            tenancy.commune_a,
            person(tenancy, "rssi-a"),
            "Comptes de messagerie bloqués après des tentatives de connexion",
            "brute-force",
            150,
        ),
        (
            tenancy.commune_b,
            person(tenancy, "rssi-b"),
            "Site internet de la mairie saturé pendant deux heures",
            "ddos",
            120,
        ),
    ):
        detected = now - days * DAY
        category = "intrusion-attempts" if subcategory == "brute-force" else "availability"
        incident = _create(
            organisation,
            actor,
            title=title,
            detected_at=detected,
            category=category,
            subcategory=subcategory,
            severity="medium",
            significant="no",
            significant_justification="Impact limité et bref.",
        )
        incident = _walk(incident, actor, [("investigating", detected + HOUR), ("resolved", detected + DAY)])
        _investigate(
            incident,
            actor,
            detected + 2 * DAY,
            "Journaux du pare-feu et de l'hébergeur analysés : source non identifiée.",
        )
        _close_with_root_cause(
            incident,
            actor,
            detected + 20 * DAY,
            root_cause_category="undetermined",
            undetermined_justification="Journaux insuffisants (conservation de 7 jours) ; aucune piste exploitable.",
        )


def open_significant(ca: Organisation, rssi: User, now: datetime.datetime) -> None:
    """Open significant incident: notification due within the day."""
    aware = now - 50 * HOUR
    current = _create(
        ca,
        rssi,
        title="Compromission du compte administrateur de l'annuaire",
        description="Connexions administrateur inhabituelles la nuit ; création de comptes suspects.",
        detected_at=aware - 3 * HOUR,
        aware_at=aware,
        category="intrusions",
        subcategory="privileged-account-compromise",
        severity="critical",
        significant="yes",
        significant_justification="Contrôle potentiel de tout le SI.",
        suspected_malicious="yes",
        cross_border="unknown",
        users_affected=1_200,
    )
    _file(current, "early_warning", rssi, aware + 9 * HOUR, "CERTFR-2026-ALE-0988")
    _walk(current, rssi, [("investigating", aware + HOUR)])


def everyday(ca: Organisation, rssi: User, now: datetime.datetime) -> None:
    """A quarter of everyday incidents."""
    for title, category, subcategory, severity, days, cause in (
        ("Campagne de pourriels reçue par les agents", "abusive-content", "spam", "low", 160, "human_error"),
        (
            "Poste infecté par un logiciel malveillant via une clé USB",
            "malicious-code",
            "infected-system",
            "medium",
            40,
            None,
        ),
        ("Ordinateur portable d'un élu perdu", "information-content-security", "data-loss", "medium", 25, None),
        ("Balayage de ports sur l'adresse publique du VPN", "information-gathering", "scanner", "low", 12, None),
    ):
        detected = now - days * DAY
        incident = _create(
            ca,
            rssi,
            title=title,
            detected_at=detected,
            category=category,
            subcategory=subcategory,
            severity=severity,
            significant="no",
            significant_justification="Sans impact notable.",
        )
        incident = _walk(incident, rssi, [("investigating", detected + 2 * HOUR)])
        if cause:
            incident = _walk(incident, rssi, [("resolved", detected + DAY)])
            _close_with_root_cause(
                incident,
                rssi,
                detected + 3 * DAY,
                root_cause_category=cause,
                root_cause="Sensibilisation insuffisante des agents.",
                analysis_method="five_whys",
            )


def drill(ca: Organisation, rssi: User, now: datetime.datetime) -> None:
    """A crisis drill: an exercise, left out of every statistic and obligation."""
    drill = now - 15 * DAY
    _create(
        ca,
        rssi,
        title="Exercice de crise : rançongiciel simulé",
        is_exercise=True,
        detected_at=drill,
        aware_at=drill + HOUR,
        category="malicious-code",
        subcategory="infected-system",
        severity="high",
        significant="yes",
        significant_justification="Scénario de l'exercice.",
    )


def person(tenancy: DemoTenancy, key: str) -> User:
    person = tenancy.users[key]
    if not isinstance(person, User):
        raise TypeError(key)
    return person
