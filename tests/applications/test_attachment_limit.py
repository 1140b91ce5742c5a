"""The number of attachments at N and N+1 (#23): the tenth file is accepted, the eleventh refused; removing one
makes room again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.services import MAX_ATTACHMENTS, attachment_add, attachment_remove
from civtech.errors import DomainError
from tests.factories import make_application

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(number: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"file{number}.pdf", PDF_BYTES, content_type="application/pdf")


def test_the_tenth_file_is_accepted_and_the_eleventh_refused():
    assert MAX_ATTACHMENTS == 10
    application = make_application()
    owner = application.created_by
    for number in range(1, MAX_ATTACHMENTS + 1):
        attachment_add(application=application, by=owner, upload=pdf(number))
    assert application.attachments.count() == MAX_ATTACHMENTS
    with pytest.raises(DomainError, match="You can attach up to 10 files"):
        attachment_add(application=application, by=owner, upload=pdf(11))
    assert application.attachments.count() == MAX_ATTACHMENTS
    attachment_remove(attachment=application.attachments.first(), by=owner)
    attachment_add(application=application, by=owner, upload=pdf(12))
    assert application.attachments.count() == MAX_ATTACHMENTS
