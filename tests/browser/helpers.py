"""What every browser test checks on the pages it visits: axe-core's WCAG A and AA rules,
target sizes, no sideways scrolling, and small helpers for reading what the user sees."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import STAFF_PASSWORD, totp_code

BROWSER = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core's own tags for those rules).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MIN_TARGET = 24  # CSS pixels, WCAG 2.2 success criterion 2.5.8 (AA)

_axe = Axe()


def axe_violations(page) -> list[dict]:
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return results.response["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']}")
    return "\n".join(lines)


def assert_accessible(page, *, min_target: int = MIN_TARGET) -> None:
    """Zero axe violations of the WCAG A/AA rules, and every target big enough."""
    violations = axe_violations(page)
    assert not violations, f"axe on {page.url}:\n{describe_violations(violations)}"
    small = undersized_targets(page, min_target=min_target)
    assert not small, f"targets smaller than {min_target}x{min_target} px on {page.url}: {small}"


# Links inside a sentence are exempt from 2.5.8 (their size is set by the line of text), so
# only links that stand alone (the only text of their paragraph, list item or cell), buttons
# and form controls are measured.
_TARGETS_JS = """
(min) => {
  const blockOf = (el) => el.parentElement.closest('p, li, dd, dt, td, th, div, h1, h2, h3, h4, nav, footer');
  const standsAlone = (el) => {
    const block = blockOf(el);
    if (!block) return true;
    const own = el.textContent.replace(/\\s+/g, ' ').trim();
    const all = block.textContent.replace(/\\s+/g, ' ').trim();
    return own === all;
  };
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('[aria-hidden=true], .honeypot')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not rendered
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    if (el.matches('.skip-link') && box.right < 0) continue;  // off screen until focused
    if (el.tagName === 'A' && !standsAlone(el)) continue;
    if (box.width < min || box.height < min) {
      const name = (el.textContent || el.value || el.id || el.name || '').replace(/\\s+/g, ' ').trim();
      small.push(`${el.tagName.toLowerCase()} "${name.slice(0, 40)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}
"""


def undersized_targets(page, *, min_target: int = MIN_TARGET) -> list[str]:
    return page.evaluate(_TARGETS_JS, min_target)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def assert_fits_the_width(page) -> None:
    """No sideways scrolling: the page is no wider than the window; if it is, say what
    sticks out."""
    overflow = horizontal_overflow(page)
    if overflow > 0:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 6)
                .map(e => `${e.tagName.toLowerCase()}.${e.className}`)"""
        )
        width = page.viewport_size["width"]
        raise AssertionError(f"{page.url} is {overflow} px wider than {width} px: {culprits}")


# For each form control in the content: its visible label (or its group's legend), the help
# and error texts that exist for it but are not in its aria-describedby (for a radio button,
# its fieldset's), and whether it is marked invalid and shows its error. Also any help or
# error text on the page that no control is described by.
_CONTROLS_JS = """
() => {
  const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const described = (el) => (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
  const out = [];
  for (const el of document.querySelectorAll('main input, main select, main textarea')) {
    if (el.type === 'hidden' || el.closest('.honeypot') || el.name === 'csrfmiddlewaretoken') continue;
    let label = el.labels && el.labels.length ? el.labels[0] : null;
    const row = {id: el.id, label: label && visible(label) ? label.textContent.replace(/\\s+/g, ' ').trim() : null,
                 invalid: el.getAttribute('aria-invalid') === 'true', missing: []};
    let owner = el, base = el.id;
    if (el.type === 'radio') {
      owner = el.closest('fieldset');
      base = el.id.replace(/_\\d+$/, '');
      const legend = owner && owner.querySelector('legend');
      row.group = legend && visible(legend) ? legend.textContent.replace(/\\s+/g, ' ').trim() : null;
    }
    const ids = described(owner);
    for (const suffix of ['_helptext', '_error']) {
      const target = document.getElementById(base + suffix);
      if (target && !ids.includes(target.id)) row.missing.push(target.id);
      if (suffix === '_error' && row.invalid) row.error_shown = visible(target);
    }
    out.push(row);
  }
  // No help or error text on the page is left untied to a control.
  const tied = new Set([...document.querySelectorAll('[aria-describedby]')].flatMap(described));
  const loose = [...document.querySelectorAll('main .form-text, main .invalid-feedback')]
      .filter(el => !el.closest('.honeypot') && !tied.has(el.id)).map(el => el.id || el.textContent.trim());
  return {controls: out, loose};
}
"""


def assert_fields_labelled_and_described(page) -> list[dict]:
    found = page.evaluate(_CONTROLS_JS)
    for control in found["controls"]:
        assert control["label"], f"{control['id']} has no visible label on {page.url}"
        if "group" in control:  # a radio button: its group needs a visible legend too
            assert control["group"], f"{control['id']}'s group has no visible legend"
        assert not control["missing"], f"{control['id']} is not described by {control['missing']}"
        if control["invalid"]:
            assert control["error_shown"], f"{control['id']} is invalid but shows no error"
    assert not found["loose"], f"help or error text tied to no field: {found['loose']}"
    return found["controls"]


def active_element(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                  text: el.textContent.replace(/\\s+/g, ' ').trim()};
        }"""
    )


def described_by(page, selector: str) -> str:
    """The text a screen reader reads as the description of a control (aria-describedby)."""
    return page.evaluate(
        """(selector) => {
          const el = document.querySelector(selector);
          const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
          return ids.map(id => document.getElementById(id))
                    .filter(Boolean)
                    .map(d => d.textContent.replace(/\\s+/g, ' ').trim()).join(' | ');
        }""",
        selector,
    )


def visible_text(page, selector: str = "main") -> str:
    return " ".join(page.locator(selector).inner_text().split())


def fill_proposal(page, *, name="Zine Librarians NYC", second_email="sam@example.org"):
    """Every answer of the form, as a person using a mouse would give them."""
    page.get_by_label("Group name").fill(name)
    page.get_by_label("Purpose and scope").fill(
        "We share how libraries collect, catalogue and lend zines."
    )
    page.get_by_label("Who it is for").fill("Anyone who works with zines, in any library.")
    page.get_by_label("Our meetings will be free and open").check()
    page.get_by_label("How it differs from or overlaps existing groups").fill(
        "No listed group covers zines."
    )
    page.locator("#id_organizers-0-name").fill("Alex Rivera")
    page.locator("#id_organizers-0-email").fill("alex@example.org")
    page.locator("#id_organizers-0-institution").fill("Brooklyn Public Library")
    page.locator("#id_organizers-0-institution_is_member").check()
    page.locator("#id_organizers-1-name").fill("Sam Okafor")
    page.locator("#id_organizers-1-email").fill(second_email)
    page.locator("#id_organizers-1-institution").fill("Queens Public Library")
    page.get_by_label("Planned activities").fill("Talks, a zine swap and a cataloguing workshop.")
    page.get_by_label("Quarterly").check()
    page.get_by_label("In person at the council").check()
    page.get_by_label("Promotion in the council's newsletter").check()
    page.get_by_label("We have read and will follow the program guidelines").check()
    page.get_by_label("We will follow the code of conduct").check()


def sign_in(page, user, *, lands_on: str = "Review queue") -> None:
    """Sign in on the staff sign-in form the page shows, as a person types it: then the
    code of their authenticator app, when the account has one."""
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).not_to_have_text("Staff sign-in")
    if heading.inner_text().strip() == "Two-factor sign-in":
        page.get_by_label("Code").fill(totp_code(user))
        page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lands_on)


def assert_nothing_scrolls_sideways(page) -> None:
    """assert_fits_the_width, and no part of the page (a table in a scrolling box) scrolls
    sideways inside it either: everything reads top to bottom."""
    assert_fits_the_width(page)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1
                && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
            .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.scrollWidth - e.clientWidth} px`)"""
    )
    assert not boxes, f"{page.url} scrolls sideways inside: {boxes}"
