"""Supporting files through the attachments page: hostile files are refused on the field, good ones kept privately."""

import hashlib
import io
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import uploads
from applications.models import Attachment
from applications.uploads import check_upload, safe_name
from civtech.errors import DomainError
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


# --- What the check keeps of a file, and the edges of each rule (mutation testing, docs/testing.md) ---------------
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def zipped(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


ODT = zipped({"mimetype": uploads.ODT.encode(), "content.xml": b"<office:document-content/>"})
PPTX = zipped({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"})
DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def check(name, content, **kwargs):
    return check_upload(SimpleUploadedFile(name, content, content_type="application/octet-stream"), **kwargs)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("plan.pdf", "plan.pdf"),
        ("../../etc/plan.pdf", "plan.pdf"),
        ("C:\\Users\\ana\\plan.pdf", "plan.pdf"),  # a Windows path: the last component only
        ("pl\x00an.pdf", "plan.pdf"),  # a NUL is dropped, not kept or turned into "_"
        ("  plan.pdf  ", "plan.pdf"),
        ("Plan.PDF", "Plan.pdf"),  # the extension is compared in lower case
        ("my plan (final).pdf", "my_plan_final.pdf"),
        ("plan.p-d_f", "plan.pdf"),  # only letters and digits are kept in an extension
        ("plan." + "x" * 20, "plan." + "x" * 9),
        ("a" * 150 + ".pdf", "a" * 100 + ".pdf"),
        ("..", "file"),
        ("", "file"),
        ("README", "README"),
    ],
)
def test_a_file_is_kept_under_a_safe_name(given, kept):
    assert safe_name(given) == kept


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("plan.pdf", PDF, uploads.PDF), ("plan.odt", ODT, uploads.ODT), ("deck.pptx", PPTX, uploads.PPTX),
     ("plan.docx", DOCX, uploads.DOCX)],
    ids=["pdf", "odt", "pptx", "docx"],
)  # fmt: skip
def test_every_allowed_kind_is_recognised_by_its_content_and_described_exactly(name, content, kind):
    checked = check(name, content)
    assert checked == uploads.CheckedFile(
        name=name, content_type=kind, size=len(content), sha256=hashlib.sha256(content).hexdigest()
    )


def test_the_file_can_be_read_from_the_start_after_the_check():
    upload = SimpleUploadedFile("plan.pdf", PDF)
    check_upload(upload)
    assert upload.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("plan.odt", DOCX, "ODT"), ("plan.odt", zipped({"mimetype": b"application/zip"}), "ODT"),
     ("deck.pptx", zipped({"ppt/presentation.xml": b"<p/>"}), "PPTX"),
     ("plan.docx", zipped({"word/document.xml": b"<w/>"}), "DOCX")],
    ids=["docx-as-odt", "other-mimetype", "pptx-without-content-types", "docx-without-content-types"],
)  # fmt: skip
def test_a_zip_that_is_not_the_kind_it_claims_is_refused(name, content, kind):
    with pytest.raises(DomainError, match=f"^The selected file is not really a {kind}. Upload a PDF, DOCX, ODT or"):
        check(name, content)


def test_a_refusal_names_the_form_field_it_belongs_to():
    with pytest.raises(DomainError) as refused:
        check("plan.exe", PDF, field="supporting_file")
    assert refused.value.field == "supporting_file"
    assert refused.value.message == "The selected file must be a PDF, DOCX, ODT or PPTX."
    with pytest.raises(DomainError) as refused:
        check("plan.exe", PDF)
    assert refused.value.field == "file"


def test_a_zip_expanding_to_exactly_100_times_its_size_is_accepted_and_one_byte_more_is_refused(monkeypatch):
    """Stored (uncompressed) members make the arithmetic exact: the ratio limit is set to the file's own ratio."""
    content = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * 5000}, zipfile.ZIP_STORED)
    expands_to = 5000 + len(b"<Types/>")
    monkeypatch.setattr(uploads, "MAX_RATIO", 1)
    monkeypatch.setattr(uploads, "MAX_UNZIPPED_BYTES", expands_to)
    assert expands_to < len(content)  # the ratio (1×) cannot fire: the absolute limit is tried at N and N+1
    assert check("plan.docx", content).content_type == uploads.DOCX
    monkeypatch.setattr(uploads, "MAX_UNZIPPED_BYTES", expands_to - 1)
    with pytest.raises(DomainError, match="expands to far more than its size"):
        check("plan.docx", content)


def test_the_ratio_is_measured_against_the_file_size_at_n_and_n_plus_one(monkeypatch):
    """Exact fractions, so "expands to exactly the limit" is exact: accepted at N, refused at N plus one byte."""
    content = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * 20000})
    expands_to = 20000 + len(b"<Types/>")
    monkeypatch.setattr(uploads, "MAX_UNZIPPED_BYTES", 10**12)  # only the ratio can fire
    monkeypatch.setattr(uploads, "MAX_RATIO", Fraction(expands_to, len(content)))
    assert check("plan.docx", content).content_type == uploads.DOCX
    monkeypatch.setattr(uploads, "MAX_RATIO", Fraction(expands_to - 1, len(content)))
    with pytest.raises(DomainError) as refused:
        check("plan.docx", content)
    assert refused.value.message == "This file expands to far more than its size. Upload an ordinary document."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("plan.pdf", b"", "The selected file is empty."),
     ("plan.pdf", b"%PDF-" + b"0" * uploads.MAX_BYTES, "The selected file must be smaller than 20 MB."),
     ("plan.txt", PDF, "The selected file must be a PDF, DOCX, ODT or PPTX."),
     ("plan.pdf", DOCX, "The selected file is not really a PDF. Upload a PDF, DOCX, ODT or PPTX.")],
    ids=["empty", "too-big", "wrong-name", "disguised"],
)  # fmt: skip
def test_each_refusal_in_its_exact_words(name, content, message):
    with pytest.raises(DomainError) as refused:
        check(name, content)
    assert refused.value.message == message
