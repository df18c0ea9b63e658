import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from nis2.models import Membership, Organisation


@pytest.mark.django_db
def test_demo_is_idempotent_and_prints_the_logins(capsys) -> None:
    call_command("demo", password="demo-password-1")
    call_command("demo", password="demo-password-2")
    output = capsys.readouterr().out

    intercommunality = Organisation.objects.get(name="Communauté d'agglomération du Val de Rempart")
    commune_a = Organisation.objects.get(name="Saint-Aubin-sur-Rempart")
    commune_b = Organisation.objects.get(name="Villeneuve-la-Forte")
    assert Organisation.objects.count() == 3
    assert (intercommunality.nis2_status, commune_a.nis2_status, commune_b.nis2_status) == (
        "essential",
        "important",
        "essential",
    )
    assert {commune_a.parent_id, commune_b.parent_id} == {intercommunality.pk}
    assert sorted(Membership.objects.values_list("user__username", "organisation__name", "role")) == [
        ("admin", intercommunality.name, "admin"),
        ("auditeur", intercommunality.name, "auditor"),
        ("dsi", intercommunality.name, "it"),
        ("dsi-a", commune_a.name, "it"),
        ("elu", intercommunality.name, "executive"),
        ("rssi", intercommunality.name, "security_officer"),
        ("rssi-a", commune_a.name, "security_officer"),
        ("rssi-b", commune_b.name, "security_officer"),
    ]
    assert authenticate(username="elu", password="demo-password-2") is not None
    assert "password: demo-password-2" in output
    assert "http://127.0.0.1:8000/" in output
