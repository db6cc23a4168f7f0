"""The header's navigation on a phone: behind one menu button (a <details> disclosure, so it
works without JavaScript), opened by keyboard, with every link, staff links included, then
reachable with Tab. From 768 px the links are a plain row and there is no menu button."""

import pytest
from playwright.sync_api import expect

from tests import factories

from .helpers import (
    BROWSER,
    DESKTOP,
    PHONE,
    active_element,
    assert_accessible,
    assert_fits_the_width,
    sign_in,
)

pytestmark = BROWSER

PUBLIC_LINKS = ["Groups", "Guidelines", "Propose a group", "My private links"]
MANAGER_LINKS = ["Reviews", "Outbox", "Groups' health", "Form and pages", "Figures", "Settings"]


def signed_in_manager(new_page, viewport):
    page = new_page(viewport)
    page.goto("/accounts/login/")
    sign_in(page, factories.staff_user(role="manager"))
    return page


def menu_button_state(page) -> dict:
    """What the browser tells assistive technology about the menu button: its role and
    whether it is expanded (Chromium's accessibility tree, through the DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
        if node.get("name", {}).get("value") == "Menu" and node["role"]["value"] != "StaticText":
            props = {p["name"]: p["value"]["value"] for p in node.get("properties", [])}
            return {"role": node["role"]["value"], "expanded": props.get("expanded")}
    raise AssertionError("no menu button in the accessibility tree")


def tab_until(page, predicate, *, limit: int = 10) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = active_element(page)
        if predicate(focused):
            return focused
    raise AssertionError(f"nothing matching was focused after {limit} presses of Tab")


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_phone_menu_opens_by_keyboard_and_every_link_is_reachable(new_page, key):
    page = signed_in_manager(new_page, PHONE)
    header = page.get_by_role("banner")
    # Closed, the menu takes one row: the links are not shown.
    for name in PUBLIC_LINKS + MANAGER_LINKS:
        expect(header.get_by_role("link", name=name, exact=True)).to_be_hidden()
    menu = header.locator("details.site-menu")
    expect(menu).not_to_have_attribute("open", "")
    assert_accessible(page)

    page.locator("body").focus()
    focused = tab_until(page, lambda el: el["tag"] == "summary")
    assert focused["text"] == "Menu"
    # Announced as a disclosure button, collapsed, then expanded once opened.
    assert menu_button_state(page) == {"role": "DisclosureTriangle", "expanded": False}
    page.keyboard.press(key)
    expect(menu).to_have_attribute("open", "")
    assert menu_button_state(page) == {"role": "DisclosureTriangle", "expanded": True}
    # Tab goes through the links in order, the staff links and the sign-out button last.
    for name in PUBLIC_LINKS + MANAGER_LINKS:
        page.keyboard.press("Tab")
        assert active_element(page)["text"] == name
        expect(header.get_by_role("link", name=name, exact=True)).to_be_visible()
    page.keyboard.press("Tab")
    focused = active_element(page)
    assert (focused["tag"], focused["text"]) == ("button", "Sign out")
    assert_accessible(page)
    assert_fits_the_width(page)

    # The open menu leads where it says.
    header.get_by_role("link", name="Outbox", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    expect(menu).not_to_have_attribute("open", "")  # a new page starts with it closed


def test_phone_menu_works_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/")
        header = page.get_by_role("banner")
        expect(header.get_by_role("link", name="Groups", exact=True)).to_be_hidden()
        header.get_by_text("Menu", exact=True).click()
        header.get_by_role("link", name="Groups", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Groups")
    finally:
        context.close()


def test_wide_screens_show_the_links_in_a_row_without_a_menu_button(new_page):
    page = signed_in_manager(new_page, DESKTOP)
    header = page.get_by_role("banner")
    expect(header.get_by_text("Menu", exact=True)).to_be_hidden()
    tops = set()
    for name in PUBLIC_LINKS + MANAGER_LINKS:
        link = header.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        tops.add(round(link.bounding_box()["y"]))
    assert len(tops) == 1, "the header's links wrap onto more than one row"
    assert_accessible(page)
