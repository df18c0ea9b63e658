"""Upload checks shared by every app: a size limit and a type confirmed by the file's own bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    magic: tuple[bytes, ...]  # accepted leading bytes; empty = text, checked as UTF-8


ACCEPTED_TYPES = {
    file_type.extension: file_type
    for file_type in (
        FileType("pdf", "application/pdf", (b"%PDF-",)),
        FileType("png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
        FileType("jpg", "image/jpeg", (b"\xff\xd8\xff",)),
        FileType("jpeg", "image/jpeg", (b"\xff\xd8\xff",)),
        FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP_MAGIC,)),
        FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP_MAGIC,)),
        FileType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP_MAGIC,)),
        FileType("odt", "application/vnd.oasis.opendocument.text", (ZIP_MAGIC,)),
        FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", (ZIP_MAGIC,)),
        FileType("zip", "application/zip", (ZIP_MAGIC,)),
        FileType("txt", "text/plain", ()),
        FileType("csv", "text/csv", ()),
        FileType("eml", "message/rfc822", ()),
    )
}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def check_upload(upload: UploadedFile[bytes], *, max_bytes: int = MAX_UPLOAD_BYTES) -> CheckedUpload:
    """Refuse files that are too large, of an unexpected type, or whose content contradicts their name."""
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size or 0), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    file_type = ACCEPTED_TYPES.get(extension)
    if file_type is None:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted. Accepted types: %(accepted)s.")
            % {"extension": extension or "?", "accepted": ", ".join(sorted(ACCEPTED_TYPES))},
            code="file_type",
        )
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if len(head) < 2048:
            head += chunk[: 2048 - len(head)]
        digest.update(chunk)
    upload.seek(0)
    if file_type.magic:
        content_matches = any(head.startswith(magic) for magic in file_type.magic)
    else:
        content_matches = b"\x00" not in head and _decodes_as_utf8(head)
    if not content_matches:
        raise ValidationError(
            _("The content of the file does not match its “.%(extension)s” extension.") % {"extension": extension},
            code="file_content",
        )
    return CheckedUpload(content_type=file_type.content_type, size=upload.size, sha256=digest.hexdigest())


def _decodes_as_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3  # a multi-byte character cut by the 2 KiB window
    return True
