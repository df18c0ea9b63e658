import pytest
from django.contrib.auth import authenticate, get_user_model
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


@pytest.mark.django_db
def test_demo_admin_is_an_organisation_admin_not_a_platform_operator(client) -> None:
    """The demo's ``admin`` administers the intercommunality; the Django admin site, which shows every
    organisation, stays for operators created with ``createsuperuser``."""
    call_command("demo", password="demo-password-1")
    admin = get_user_model().objects.get(username="admin")

    assert (admin.is_staff, admin.is_superuser) == (False, False)
    assert list(Membership.objects.filter(user=admin).values_list("role", flat=True)) == ["admin"]
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_demo_run_again_takes_back_platform_rights_given_by_an_earlier_version(client) -> None:
    call_command("demo", password="demo-password-1")
    get_user_model().objects.filter(username="admin").update(is_staff=True, is_superuser=True)

    call_command("demo", password="demo-password-1")

    admin = get_user_model().objects.get(username="admin")
    assert (admin.is_staff, admin.is_superuser) == (False, False)
