"""Shared pieces of the browser journeys: screen sizes, pages that collect console errors,
screenshots, logging in, and the phone-width check."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "id-ID"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "id-ID"}
TIMEOUT_MS = 10_000


def open_page(browser: Browser, console_errors: list[str], size: dict) -> tuple[BrowserContext, Page]:
    """A fresh context and page whose console errors and page errors land in ``console_errors``."""
    context = browser.new_context(**size)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(f"{message.text} @ {message.location.get('url')}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: console_errors.append(f"pageerror: {exc}"))
    return context, page


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / name), full_page=True)


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(base + "/beranda/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")


def fits_phone(page: Page) -> None:
    """The page does not scroll sideways on a 390 px phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
