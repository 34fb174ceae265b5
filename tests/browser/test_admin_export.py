"""The admin export page's "select all" box works under the Content-Security-Policy (the
package wires it with an inline handler, which the policy blocks; static/js/admin_ekspor.js
attaches it instead)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from accounts import roles
from tests import factories as f
from tests.browser.helpers import DESKTOP, log_in, open_page, shot

PASSWORD = "Sandi-Uji-Ekspor-2026"


@pytest.mark.browser
def test_select_all_on_the_admin_export_page(live_server, browser: Browser, artifacts: Path):
    f.ensure_reference_data()
    f.make_user("admin_ekspor", roles.ADMINISTRATOR, staff=True, superuser=True, password=PASSWORD)
    console_errors: list[str] = []
    context, page = open_page(browser, console_errors, DESKTOP)
    try:
        log_in(page, live_server.url, "admin_ekspor", PASSWORD)
        page.goto(live_server.url + "/admin/pmks/keluarga/export/")
        fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
        expect(fields.first).to_be_checked()
        count = fields.count()
        assert count >= 10  # every exported column has its box
        page.locator("input.select-toggle").uncheck()
        for i in range(count):
            expect(fields.nth(i)).not_to_be_checked()
        page.locator("input.select-toggle").check()
        for i in range(count):
            expect(fields.nth(i)).to_be_checked()
        shot(page, artifacts, "admin-ekspor-pilih-semua.png")
    finally:
        context.close()
