"""The tenancy core in an organisation's archive: the organisation itself, its members' roles and the
invitations it sent. People are written by the archive itself (``people.json``): names and e-mails,
never passwords; an invitation's token hash is never written (an imported invitation opens with no link)."""

from nis2.archive.declarations import Owned, Portability, Reference
from nis2.models import DataExport, Invitation, Membership, Organisation, RecoveryCodes

PORTABILITY = Portability(
    owned=[
        Owned(Organisation, parent=None),
        Owned(Membership, parent="organisation"),
        Owned(Invitation, parent="organisation", secret_fields=frozenset({"token_hash"})),
    ],
    # The parent intercommunality is another authority: named by its SIREN, never copied.
    references=[Reference(Organisation, key=("siren",))],
    left_out={
        DataExport: "the archives themselves: an archive does not contain the earlier archives",
        RecoveryCodes: "a person's sign-in secrets: people set up their second factor again in the new instance",
    },
)
