"""Each role can do what the roles table says, and nothing more."""

import pytest
from django.urls import reverse

from nis2.models import Invitation, Membership, Organisation
from nis2.roles import WRITABLE_RESOURCES, Resource, Role, role_can_write
from tests.nis2.factories import MembershipFactory, OrganisationFactory

EXPECTED_WRITES = {
    Role.ADMIN: {Resource.ORGANISATION, Resource.MEMBERSHIP, Resource.REPORT, Resource.GOVERNANCE},
    Role.SECURITY_OFFICER: {Resource.INCIDENT, Resource.ASSESSMENT, Resource.REPORT},
    Role.IT: {Resource.ASSESSMENT, Resource.DEPENDENCY},
    Role.EXECUTIVE: {Resource.GOVERNANCE},
    Role.AUDITOR: set(),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("resource", list(Resource))
def test_roles_table(role: Role, resource: Resource) -> None:
    assert role_can_write(role, resource) is (resource in EXPECTED_WRITES[role])


def test_every_role_is_in_the_table() -> None:
    assert set(WRITABLE_RESOURCES) == set(Role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_its_organisation(role, api_client_for) -> None:
    membership = MembershipFactory(role=role)
    client = api_client_for(membership.user)
    assert client.get(reverse("organisation-detail", kwargs={"pk": membership.organisation_id})).status_code == 200
    listed = client.get(reverse("membership-list")).json()["results"]
    assert [row["id"] for row in listed] == [membership.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_admins_edit_the_organisation(role, api_client_for) -> None:
    membership = MembershipFactory(role=role)
    organisation = membership.organisation
    response = api_client_for(membership.user).patch(
        reverse("organisation-detail", kwargs={"pk": organisation.pk}), {"name": "Nouveau nom"}, format="json"
    )
    organisation.refresh_from_db()
    if role == Role.ADMIN:
        assert response.status_code == 200, response.content
        assert organisation.name == "Nouveau nom"
    else:
        assert response.status_code == 403
        assert organisation.name != "Nouveau nom"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_admins_manage_members(role, api_client_for) -> None:
    membership = MembershipFactory(role=role)
    colleague = MembershipFactory(organisation=membership.organisation, role=Role.EXECUTIVE)
    client = api_client_for(membership.user)

    invited = client.post(
        reverse("invitation-list"),
        {
            "organisation": membership.organisation_id,
            "email": "nouvelle.rssi@ville.example",
            "role": "security_officer",
        },
        format="json",
    )
    changed = client.patch(
        reverse("membership-detail", kwargs={"pk": colleague.pk}), {"role": "auditor"}, format="json"
    )
    removed = client.delete(reverse("membership-detail", kwargs={"pk": colleague.pk}))

    if role == Role.ADMIN:
        assert (invited.status_code, changed.status_code, removed.status_code) == (201, 200, 204)
        assert Invitation.objects.filter(email="nouvelle.rssi@ville.example", role="security_officer").exists()
        assert not Membership.objects.filter(pk=colleague.pk).exists()
    else:
        assert (invited.status_code, changed.status_code, removed.status_code) == (403, 403, 403)
        assert not Invitation.objects.exists()
        colleague.refresh_from_db()
        assert colleague.role == Role.EXECUTIVE


@pytest.mark.django_db
def test_admin_cannot_invite_to_an_organisation_they_do_not_belong_to(api_client_for) -> None:
    admin = MembershipFactory(role=Role.ADMIN)
    stranger = OrganisationFactory()
    response = api_client_for(admin.user).post(
        reverse("invitation-list"),
        {"organisation": stranger.pk, "email": "intrus@example.org", "role": "admin"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "organisation"
    assert not Invitation.objects.filter(organisation=stranger).exists()
    assert not Membership.objects.filter(organisation=stranger).exists()


@pytest.mark.django_db
def test_the_last_admin_cannot_be_removed(api_client_for) -> None:
    admin = MembershipFactory(role=Role.ADMIN)
    response = api_client_for(admin.user).delete(reverse("membership-detail", kwargs={"pk": admin.pk}))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "role"
    assert Membership.objects.filter(pk=admin.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "reads_children"),
    [
        (Role.ADMIN, True),
        (Role.AUDITOR, True),
        (Role.SECURITY_OFFICER, False),
        (Role.IT, False),
        (Role.EXECUTIVE, False),
    ],
)
def test_parent_members_read_children_only_as_admin_or_auditor(role, reads_children, api_client_for) -> None:
    parent = OrganisationFactory(kind=Organisation.Kind.COMMUNAUTE_COMMUNES, nis2_status="important")
    child = OrganisationFactory(parent=parent)
    sibling_of_parent = OrganisationFactory()
    child_member = MembershipFactory(organisation=child)
    client = api_client_for(MembershipFactory(organisation=parent, role=role).user)

    organisations = {row["id"] for row in client.get(reverse("organisation-list")).json()["results"]}
    members = {row["id"] for row in client.get(reverse("membership-list")).json()["results"]}

    assert sibling_of_parent.pk not in organisations
    assert (child.pk in organisations) is reads_children
    assert (child_member.pk in members) is reads_children


@pytest.mark.django_db
def test_parent_admin_reads_but_does_not_write_children(api_client_for) -> None:
    parent = OrganisationFactory(kind=Organisation.Kind.COMMUNAUTE_COMMUNES, nis2_status="important")
    child = OrganisationFactory(parent=parent, name="Commune fille")
    client = api_client_for(MembershipFactory(organisation=parent, role=Role.ADMIN).user)
    response = client.patch(reverse("organisation-detail", kwargs={"pk": child.pk}), {"name": "X"}, format="json")
    assert response.status_code == 403
    child.refresh_from_db()
    assert child.name == "Commune fille"
