"""Property-based tests on the service and form boundaries: whatever arrives, the answer is a clear refusal
(a DomainError or a form error with a message) or a correct result — never another exception, never a 500."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.forms.admin import ModerationForm
from applications.services import submission_problems, word_count
from applications.services.decisions import _score
from applications.uploads import check_upload, safe_name
from civtech.errors import DomainError
from civtech.fields import MoneyField
from impact.services.returns import clean_figures
from ledger.services import _money
from tests.impact.reading import read_figures

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
anything = st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.decimals(), st.none(), st.booleans())


@FAST
@given(st.text())
def test_word_count_counts_runs_of_non_space(text):
    assert word_count(text) == len(text.split())


typed = st.one_of(
    st.text(max_size=30), st.decimals().map(str), st.integers().map(str), st.floats(allow_nan=True).map(str)
)
MONEY_FIELD = MoneyField(required=False)
SCORE_FIELD = ModerationForm.base_fields["score"]


@FAST
@given(typed)
def test_money_as_typed_is_pounds_and_pence_or_a_clear_refusal(text):
    """What people type, read by the form and ruled on by the ledger: an amount, or a message, never a crash."""
    try:
        amount = _money(MONEY_FIELD.clean(text), "amount")
    except ValidationError as error:
        assert error.messages == ["Enter an amount in pounds, like 5000 or 5000.50."]
    except DomainError as error:
        assert error.field == "amount" and error.message.endswith(".")
    else:
        assert amount > 0 and amount == amount.quantize(Decimal("0.01")) and amount < Decimal("1e12")


@FAST
@given(anything)
def test_the_ledger_takes_a_decimal_and_nothing_else(value):
    try:
        _money(value, "amount")
    except TypeError:
        assert isinstance(value, bool) or not isinstance(value, Decimal | int)
    except DomainError as error:
        assert error.field == "amount"


@FAST
@given(typed)
def test_a_moderated_score_as_typed_is_a_percentage_or_a_clear_refusal(text):
    try:
        score = _score(SCORE_FIELD.clean(text))
    except ValidationError as error:
        assert error.messages in (
            ["Enter the moderated score."],
            ["Enter the moderated score as a number from 0 to 100."],
        )
    except DomainError as error:
        assert error.field == "score" and "0 to 100" in error.message
    else:
        assert Decimal(0) <= score <= Decimal(100)


@FAST
@given(st.dictionaries(st.sampled_from(["headcount", "fte", "jobs_created", "jobs_safeguarded", "turnover",
                                        "investment_equity", "investment_grant", "investment_debt", "contracts_public",
                                        "contracts_private", "exports", "still_trading", "bogus"]),
                       st.one_of(st.text(max_size=12), st.integers(-10**15, 10**15).map(str))))  # fmt: skip
def test_return_figures_are_cleaned_or_refused_field_by_field(figures):
    """Typed in, read by the return form's fields and ruled on by the service: figures or a message, never a crash."""
    try:
        cleaned = clean_figures(read_figures(figures))
    except DomainError as error:
        assert error.message
    else:
        assert "bogus" not in cleaned
        for value in cleaned.values():
            assert value is None or isinstance(value, int | Decimal | bool)
            if isinstance(value, int | Decimal) and not isinstance(value, bool):
                assert value >= 0


@FAST
@given(st.text())
def test_a_file_name_never_escapes_its_folder(name):
    cleaned = safe_name(name)
    assert "/" not in cleaned and "\\" not in cleaned and cleaned not in ("", ".", "..")
    assert "\x00" not in cleaned


@FAST
@given(st.binary(max_size=4096), st.sampled_from(["plan.pdf", "deck.pptx", "a.docx", "b.odt", "x.exe", "../../e.pdf"]))
def test_uploads_are_accepted_only_when_their_content_matches(content, name):
    try:
        checked = check_upload(SimpleUploadedFile(name, content))
    except DomainError as error:
        assert error.message.endswith(".")
    else:
        assert checked.size == len(content) and "/" not in checked.name
        if checked.name.endswith(".pdf"):
            assert content.startswith(b"%PDF-")


@FAST
@given(st.lists(st.tuples(st.text(min_size=1, max_size=20), st.binary(max_size=200)), max_size=5))
def test_arbitrary_zips_never_pass_as_documents_unless_they_are(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            archive.writestr(name.replace("\x00", "_") or "x", data)
    try:
        check_upload(SimpleUploadedFile("report.docx", buffer.getvalue()))
    except DomainError:
        pass
    else:
        assert any(name.startswith("word/") for name, _ in entries)


@pytest.mark.django_db
@FAST
@given(st.dictionaries(st.sampled_from(["idea", "innovation", "commercial", "team", "commitment",
                                        "equality_sustainability"]), st.text(max_size=3000)))  # fmt: skip
def test_submission_problems_name_exactly_the_sections_at_fault(answers):
    from applications.models import Application
    from formbuilder.models import ApplicationForm
    from tests.factories import DEFAULT_SECTIONS

    application = Application(answers=answers, form_version=ApplicationForm.default().current_version())
    problems = submission_problems(application)
    for key, _label, limit, _hint in DEFAULT_SECTIONS:
        words = word_count(answers.get(key, ""))
        assert (key in problems) == (words == 0 or words > limit)
