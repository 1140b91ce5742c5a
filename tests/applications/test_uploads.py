"""Supporting files through the attachments page: hostile files are refused on the field, good ones kept privately."""

import io
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Attachment
from tests.factories import make_application

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def random_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", "not a document")
    return buffer.getvalue()


def zip_bomb_bytes() -> bytes:
    """300 MB of zeros, deflated to a few hundred kilobytes, written in chunks."""
    buffer = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


@pytest.fixture
def application():
    return make_application()


@pytest.fixture
def owner(client, application):
    client.force_login(application.created_by)
    return client


def upload(client, application, name, content, content_type="application/octet-stream"):
    return client.post(
        reverse("applications:attachments", args=[application.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"just some text pretending", "The selected file is not really a PDF"),
        ("plan.docx", random_zip_bytes(), "The selected file is not really a DOCX"),
        ("bomb.docx", zip_bomb_bytes(), "This file expands to far more than its size"),
        ("empty.pdf", b"", "The selected file is empty."),
        ("big.pdf", b"%PDF-" + b"0" * (21 * 1024 * 1024), "The selected file must be smaller than 20 MB."),
        ("script.exe", b"MZ", "The selected file must be a PDF, DOCX, ODT or PPTX."),
    ],
    ids=["text-as-pdf", "zip-as-docx", "zip-bomb", "empty", "21mb", "exe"],
)
def test_hostile_files_are_refused_on_the_field(owner, application, name, content, message):
    response = upload(owner, application, name, content)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "ds_question__error-message" in body
    assert 'href="#id_file"' in body  # the error summary links to the field
    assert not Attachment.objects.exists()


def test_the_page_states_the_limit(owner, application):
    body = owner.get(reverse("applications:attachments", args=[application.pk])).content.decode()
    assert "20 MB or smaller" in body
    assert 'enctype="multipart/form-data"' in body
    # The file input sits inside the design system's .ds_file-upload wrapper (its script looks for it there).
    soup = BeautifulSoup(body, "html.parser")
    assert soup.select_one(".ds_file-upload input[type=file][name=file]") is not None


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("plan.pdf", PDF_BYTES, "application/pdf"),
        ("plan.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_real_documents_are_accepted_and_downloaded_by_the_owner(owner, application, name, content, content_type):
    response = upload(owner, application, name, content)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == name
    assert attachment.content_type == content_type
    download = owner.get(reverse("applications:download", args=[application.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'


def test_a_path_in_the_name_is_stripped_and_nothing_is_written_outside(owner, application):
    response = upload(owner, application, "../../etc/passwd.pdf", PDF_BYTES)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == "passwd.pdf"
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(root)
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name


def test_removing_a_file(owner, application):
    upload(owner, application, "plan.pdf", PDF_BYTES)
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path)
    response = owner.post(reverse("applications:remove", args=[application.pk, attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_removing_needs_post(owner, application):
    upload(owner, application, "plan.pdf", PDF_BYTES)
    attachment = Attachment.objects.get()
    assert owner.get(reverse("applications:remove", args=[application.pk, attachment.pk])).status_code == 405
