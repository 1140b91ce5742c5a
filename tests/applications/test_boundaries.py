"""Each guard of submission and upload, tried alone and at its exact boundary (#23).

The clock is frozen at an instant with a fraction of a second; the deadline is put exactly on it (closed) or one
microsecond after it (open). Each declaration is unticked alone, each section is left empty alone, each word limit
is tried at N and N+1 words, and each upload check fires on a file that passes every other check.
"""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import uploads
from applications.models import Application, ApplicationVersion
from applications.services import application_submit, submission_problems
from applications.uploads import MAX_BYTES, check_upload
from challenges.models import Round
from civtech.errors import DomainError
from tests.applications.test_uploads import docx_bytes  # the smallest file Word recognises, built once there
from tests.factories import ALL_DECLARED, DEFAULT_DECLARATIONS, DEFAULT_SECTIONS, GOOD_ANSWERS, make_application

pytestmark = pytest.mark.django_db
MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def instant(monkeypatch):
    frozen = timezone.now().replace(microsecond=500_000)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    return frozen


def submit(application, declarations=ALL_DECLARED):
    return application_submit(application_id=application.pk, by=application.created_by, declarations=declarations)


def deadline_at(application, closes):
    Round.objects.filter(pk=application.challenge.round_id).update(call_closes=closes)


# --- The deadline, to the microsecond ------------------------------------------------------------------------
def test_submitting_one_microsecond_before_the_deadline_is_accepted(instant):
    application = make_application()
    deadline_at(application, instant + MICROSECOND)
    assert submit(application).number == 1


def test_submitting_at_the_exact_instant_of_the_deadline_is_refused(instant):
    application = make_application()
    deadline_at(application, instant)
    with pytest.raises(PermissionDenied, match="The deadline has passed"):
        submit(application)
    assert not ApplicationVersion.objects.exists()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


# --- Declarations, each unticked alone -----------------------------------------------------------------------
@pytest.mark.parametrize("key", [key for key, _ in DEFAULT_DECLARATIONS])
def test_each_declaration_unticked_alone_refuses_submission(key):
    application = make_application()
    with pytest.raises(DomainError, match="Confirm each declaration"):
        submit(application, declarations={**ALL_DECLARED, key: False})
    assert not ApplicationVersion.objects.exists()


@pytest.mark.parametrize("key", [key for key, _ in DEFAULT_DECLARATIONS])
def test_each_declaration_missing_alone_refuses_submission(key):
    application = make_application()
    declarations = {k: v for k, v in ALL_DECLARED.items() if k != key}
    with pytest.raises(DomainError, match="Confirm each declaration"):
        submit(application, declarations=declarations)


# --- Sections, each empty alone; each word limit at N and N+1 -------------------------------------------------
@pytest.mark.parametrize("key", [key for key, *_ in DEFAULT_SECTIONS])
def test_each_section_left_empty_alone_refuses_submission(key):
    application = make_application(answers={**GOOD_ANSWERS, key: "   "})
    assert set(submission_problems(application)) == {key}
    with pytest.raises(DomainError, match="Answer “"):
        submit(application)
    assert not ApplicationVersion.objects.exists()


@pytest.mark.parametrize(("key", "limit"), [(key, limit) for key, _, limit, _ in DEFAULT_SECTIONS])
def test_each_word_limit_allows_exactly_n_words(key, limit):
    application = make_application(answers={**GOOD_ANSWERS, key: "word " * limit})
    assert submission_problems(application) == {}
    assert submit(application).number == 1


@pytest.mark.parametrize(("key", "limit"), [(key, limit) for key, _, limit, _ in DEFAULT_SECTIONS])
def test_each_word_limit_refuses_n_plus_one_words(key, limit):
    application = make_application(answers={**GOOD_ANSWERS, key: "word " * (limit + 1)})
    problems = submission_problems(application)
    assert set(problems) == {key}
    assert f"must be {limit} words or fewer (it has {limit + 1})" in problems[key]
    with pytest.raises(DomainError, match=f"must be {limit} words or fewer"):
        submit(application)


# --- Upload checks, each firing alone -------------------------------------------------------------------------
def pdf_of(size: int) -> bytes:
    head = b"%PDF-1.4\n"
    return head + b"0" * (size - len(head))


def docx_of_zeros(megabytes: int) -> bytes:
    buffer = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def check(name, content):
    return check_upload(SimpleUploadedFile(name, content, content_type="application/octet-stream"))


def test_a_pdf_of_exactly_the_size_limit_is_accepted():
    checked = check("plan.pdf", pdf_of(MAX_BYTES))
    assert checked.size == MAX_BYTES
    assert checked.content_type == uploads.PDF


def test_a_real_pdf_one_byte_over_the_limit_is_refused():
    with pytest.raises(DomainError, match="must be smaller than 20 MB"):
        check("plan.pdf", pdf_of(MAX_BYTES + 1))


def test_an_empty_file_with_an_allowed_name_is_refused_as_empty():
    with pytest.raises(DomainError, match="The selected file is empty"):
        check("plan.pdf", b"")


@pytest.mark.parametrize("name", ["plan.txt", "plan.PDF.exe", "plan", "plan.doc"])
def test_a_real_pdf_with_a_name_of_the_wrong_type_is_refused(name):
    with pytest.raises(DomainError, match="must be a PDF, DOCX, ODT or PPTX"):
        check(name, pdf_of(1000))


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("plan.pdf", docx_bytes(), "PDF"), ("plan.docx", pdf_of(1000), "DOCX"), ("plan.pptx", docx_bytes(), "PPTX")],
    ids=["docx-as-pdf", "pdf-as-docx", "docx-as-pptx"],
)
def test_a_real_document_disguised_as_another_allowed_type_is_refused(name, content, kind):
    with pytest.raises(DomainError, match=f"is not really a {kind}"):
        check(name, content)


def test_a_zip_bomb_under_the_absolute_limit_is_refused_by_its_ratio():
    content = docx_of_zeros(10)  # 10 MB unzipped: under 200 MB, but far more than 100× its size
    assert len(content) * uploads.MAX_RATIO < 10 * 1024 * 1024 < uploads.MAX_UNZIPPED_BYTES
    with pytest.raises(DomainError, match="expands to far more than its size"):
        check("bomb.docx", content)


def test_a_zip_bomb_is_refused_by_the_absolute_limit_alone(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_RATIO", 10**9)  # the ratio check cannot fire
    monkeypatch.setattr(uploads, "MAX_UNZIPPED_BYTES", 5 * 1024 * 1024)
    with pytest.raises(DomainError, match="expands to far more than its size"):
        check("bomb.docx", docx_of_zeros(6))
    assert check("small.docx", docx_of_zeros(4)).content_type == uploads.DOCX
