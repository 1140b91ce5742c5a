"""What the upload check keeps of a file (its safe name, true type, size and digest) and the edges of each rule
it applies: names from any system, every allowed kind recognised by content, the zip ratio at 100× exactly."""

import hashlib
import io
import zipfile
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import uploads
from applications.uploads import check_upload, safe_name
from civtech.errors import DomainError

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
