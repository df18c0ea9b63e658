"""Files live as long as a row (history included) refers to them; orphans older than an hour are swept."""

import datetime
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from controls import services as controls_services
from controls.models import Evidence
from nis2.stored_files import sweep_orphan_files
from tests.controls.factories import FileEvidenceFactory

pytestmark = pytest.mark.django_db


def _files(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def _age(path: Path, hours: int) -> None:
    moment = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(path, (moment, moment))


def test_only_files_no_row_refers_to_are_swept(settings, member_of, organisation) -> None:
    root = Path(settings.MEDIA_ROOT)
    kept = FileEvidenceFactory(item__assessment__organisation=organisation, title="PSSI")
    deleted = FileEvidenceFactory(item__assessment__organisation=organisation, title="Ancienne PSSI")
    controls_services.evidence_delete(evidence=deleted, actor=member_of(organisation).user)
    orphan, fresh_orphan = root / "evidence" / "oublie.pdf", root / "evidence" / "en-cours.pdf"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"%PDF-1.4 orphan")
    fresh_orphan.write_bytes(b"%PDF-1.4 upload in progress")
    for path in root.rglob("*"):
        if path.is_file() and path != fresh_orphan:
            _age(path, 2)

    swept = sweep_orphan_files(now=timezone.now())

    assert swept == ["evidence/oublie.pdf"]
    remaining = _files(root)
    assert kept.file.name in remaining
    assert Evidence.history.get(history_type="-").file in remaining  # the deleted evidence, on record
    assert "evidence/en-cours.pdf" in remaining  # within the grace hour
    assert "evidence/oublie.pdf" not in remaining


def test_the_command_says_what_it_swept(settings, capsys) -> None:
    root = Path(settings.MEDIA_ROOT)
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "perdu.pdf").write_bytes(b"%PDF")
    _age(root / "reports" / "perdu.pdf", 3)

    call_command("sweep_files")

    assert "deleted reports/perdu.pdf" in capsys.readouterr().out
    assert _files(root) == []
