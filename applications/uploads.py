"""Checking uploaded files by what they are, not by what they claim to be."""

import hashlib
import os
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

from civtech.errors import DomainError

MAX_BYTES = 20 * 1024 * 1024
# A zip whose contents would expand beyond this (or 100× its size) is treated as a zip bomb.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ALLOWED = {".pdf": PDF, ".docx": DOCX, ".pptx": PPTX, ".odt": ODT}
KINDS = "PDF, DOCX, ODT or PPTX"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def safe_name(name: str) -> str:
    """The last path component only, with awkward characters replaced: never used as a path."""
    base = os.path.basename(str(name).replace("\\", "/").replace("\x00", "")).strip()
    stem, ext = os.path.splitext(base)
    extension = re.sub(r"[^a-z0-9]", "", ext.lower())[:9]
    try:
        cleaned = get_valid_filename(stem)[:100]
    except SuspiciousFileOperation:  # nothing usable left, e.g. "." or ".."
        cleaned = ""
    if cleaned in ("", ".", ".."):
        cleaned = "file"
    return f"{cleaned}.{extension}" if extension else cleaned


def _zip_type(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
            if total > MAX_UNZIPPED_BYTES or total > MAX_RATIO * max(upload.size, 1):
                raise DomainError("This file expands to far more than its size. Upload an ordinary document.")
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("ppt/") for n in names):
                    return PPTX
    except zipfile.BadZipFile:
        return None
    return None


def check_upload(upload, *, field: str = "file") -> CheckedFile:
    """Refuse anything that is not a real PDF, DOCX, ODT or PPTX of 20 MB or less; a refusal names the form's
    `field`, so the error summary links to the file input."""
    try:
        return _check(upload)
    except DomainError as error:
        raise DomainError(error.message, field=field) from None


def _check(upload) -> CheckedFile:
    name = safe_name(upload.name or "")
    extension = os.path.splitext(name)[1]
    if extension not in ALLOWED:
        raise DomainError(f"The selected file must be a {KINDS}.")
    if upload.size == 0:
        raise DomainError("The selected file is empty.")
    if upload.size > MAX_BYTES:
        raise DomainError("The selected file must be smaller than 20 MB.")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    actual = PDF if head == b"%PDF-" else _zip_type(upload)
    upload.seek(0)
    if actual != ALLOWED[extension]:
        raise DomainError(f"The selected file is not really a {extension[1:].upper()}. Upload a {KINDS}.")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(name=name, content_type=actual, size=upload.size, sha256=digest.hexdigest())
