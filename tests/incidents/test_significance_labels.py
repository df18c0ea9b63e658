"""The significance proposal says which thresholds are Rempart's design choices and which come, as
guidance only, from Implementing Regulation (EU) 2024/2690 (binding on digital providers, not on local
authorities); a cross-border impact is reported, never weighed."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from incidents.significance import CRITERIA, Impact, propose_significance
from tests.incidents.factories import IncidentFactory

NOTHING = Impact(
    services_affected="",
    users_affected=0,
    duration_hours=Decimal(0),
    estimated_financial_loss_eur=Decimal(0),
    personal_data_breach=False,
    suspected_malicious="no",
    severity="medium",
)


def _impact(**changes: object) -> Impact:
    return Impact(**{**NOTHING.__dict__, **changes})


@pytest.mark.parametrize(
    ("impact", "verdict", "criteria"),
    [
        pytest.param(NOTHING, "no", (), id="nothing"),
        pytest.param(
            _impact(estimated_financial_loss_eur=Decimal("500000.00")), "no", (), id="loss-of-exactly-500000-eur"
        ),
        pytest.param(
            _impact(estimated_financial_loss_eur=Decimal("500000.01")),
            "yes",
            ("financial_loss",),
            id="loss-exceeding-500000-eur",
        ),
        pytest.param(
            _impact(personal_data_breach=True, users_affected=10, data_subjects_count=150),
            "yes",
            ("damage_to_others",),
            id="people-whose-data-were-breached-counted-when-recorded",
        ),
        pytest.param(
            _impact(personal_data_breach=True, users_affected=150),
            "yes",
            ("damage_to_others",),
            id="users-affected-when-the-people-concerned-are-not-counted",
        ),
        pytest.param(
            _impact(personal_data_breach=True, users_affected=2_000, data_subjects_count=40),
            "yes",
            ("severe_disruption",),
            id="few-people-breached-among-many-users-affected",
        ),
        pytest.param(
            _impact(suspected_malicious="yes", severity="high"), "yes", ("malicious_access",), id="malicious-access"
        ),
    ],
)
def test_proposal(impact, verdict, criteria) -> None:
    proposal = propose_significance(impact)

    assert (proposal.verdict, proposal.criteria, proposal.missing) == (verdict, criteria, ())


def test_labels_say_where_each_threshold_comes_from() -> None:
    assert {code: str(label) for code, label in CRITERIA.items()} == {
        "severe_disruption": (
            "Art. 23(3)(a), severe operational disruption: a service disrupted for 4 hours or more, or 1,000 users "
            "or more affected (both figures are Rempart's design choices)"
        ),
        "financial_loss": (
            "Art. 23(3)(a), financial loss: a direct loss of more than EUR 500,000 (guidance from Implementing "
            "Regulation (EU) 2024/2690, Art. 3(1)(a), binding on digital providers only: EUR 500,000 or 5 % of the "
            "annual turnover, whichever is lower)"
        ),
        "damage_to_others": (
            "Art. 23(3)(b), damage to other persons: personal data of 100 people or more breached (Rempart's "
            "design choice)"
        ),
        "malicious_access": (
            "Art. 23(3)(a), suspected malicious access: an unauthorised access capable of causing severe disruption "
            "(guidance from Implementing Regulation (EU) 2024/2690, Art. 3(1)(e), binding on digital providers "
            "only), read by Rempart as such an access at high or critical severity (design choice)"
        ),
    }


@pytest.mark.usefixtures("french_catalogue")
def test_labels_in_french() -> None:
    with translation.override("fr"):
        labels = {code: str(label) for code, label in CRITERIA.items()}

    assert labels["financial_loss"] == (
        "Art. 23, par. 3, point a), perte financière : une perte directe de plus de 500 000 € (repère tiré du "
        "règlement d'exécution (UE) 2024/2690, art. 3, par. 1, point a), qui ne s'impose qu'aux fournisseurs "
        "numériques : 500 000 € ou 5 % du chiffre d'affaires annuel, le montant le plus bas étant retenu)"
    )
    assert labels["severe_disruption"] == (
        "Art. 23, par. 3, point a), perturbation opérationnelle grave : un service perturbé pendant 4 heures ou "
        "plus, ou au moins 1 000 utilisateurs touchés (deux seuils choisis par Rempart)"
    )
    assert labels["damage_to_others"] == (
        "Art. 23, par. 3, point b), dommage causé à d'autres personnes : violation des données à caractère "
        "personnel d'au moins 100 personnes (seuil choisi par Rempart)"
    )
    assert labels["malicious_access"] == (
        "Art. 23, par. 3, point a), accès malveillant suspecté : un accès non autorisé susceptible de causer une "
        "perturbation grave (repère tiré du règlement d'exécution (UE) 2024/2690, art. 3, par. 1, point e), qui ne "
        "s'impose qu'aux fournisseurs numériques), que Rempart retient lorsque la gravité est élevée ou critique "
        "(choix de Rempart)"
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("french_catalogue")
def test_incident_page_lists_the_criteria_met_with_their_source(client, organisation, security_officer) -> None:
    incident = IncidentFactory(
        organisation=organisation,
        users_affected=5_000,
        duration_hours=Decimal(2),
        estimated_financial_loss_eur=Decimal(20_000),
        cross_border="yes",
    )
    client.force_login(security_officer.user)

    html = client.get(reverse("incident-detail-page", args=[organisation.pk, incident.pk])).content.decode()

    assert (
        '<div class="proposal"><small>Rempart suggère : important. Les seuils ci-dessous sont des repères, pas des '
        "seuils légaux : la décision vous appartient.</small>\n"
        '      <ul class="criteria"><li><small>Art. 23, par. 3, point a), perturbation opérationnelle grave : un '
        "service perturbé pendant 4 heures ou plus, ou au moins 1 000 utilisateurs touchés (deux seuils choisis "
        "par Rempart)</small></li></ul></div>"
    ) in html
