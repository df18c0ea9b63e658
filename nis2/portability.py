"""The tenancy core in an organisation's archive: the organisation itself and its members' roles.
People are written by the archive itself (``people.json``): names and e-mails, never passwords."""

from nis2.archive.declarations import Owned, Portability, Reference
from nis2.models import DataExport, Membership, Organisation

PORTABILITY = Portability(
    owned=[Owned(Organisation, parent=None), Owned(Membership, parent="organisation")],
    # The parent intercommunality is another authority: named by its SIREN, never copied.
    references=[Reference(Organisation, key=("siren",))],
    left_out={DataExport: "the archives themselves: an archive does not contain the earlier archives"},
)
