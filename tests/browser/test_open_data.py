"""The open data page and the interactive API documentation pass axe and run under the strict CSP."""

import pytest

from tests.browser.conftest import WAIT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_open_data_page_is_accessible(page):
    response = page.goto("/open-data/")
    assert response.status == 200
    assert page.pw.locator("h1").inner_text() == "Open data"
    page.audit()


def test_api_docs_render_swagger_ui_without_inline_code(page):
    response = page.goto("/api/docs/")
    assert response.status == 200
    # Swagger UI renders the operations from /api/schema/ once its (external) set-up script has run.
    page.pw.locator(".opblock-tag-section").first.wait_for(timeout=WAIT)
    assert page.pw.locator("text=/api/v1/challenges/").count() > 0
    page.audit()
