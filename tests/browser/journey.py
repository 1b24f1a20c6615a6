"""What every page of a browser journey must be, as a person meets it: the shared checks.

``Journey.look`` is called on each key page: the page names its language, does not scroll
sideways, has no serious or critical axe-core violation, and is saved as a screenshot under
test-results/journeys/ (git-ignored) for a person to look at."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
IN_BETWEEN = (700, 900, 1100)
"""Window widths between a phone and a desktop (a tablet, a split screen) where a page must not scroll
sideways either."""
SHOTS = Path("test-results/journeys")
AXE = Axe()
AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice"]},
             "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/konto/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/konto/login/)"))


def tab_to(page, target, *, limit: int = 60) -> None:
    """Move the focus with the Tab key alone until it rests on the target element."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def axe_violations(page) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now, one line per element."""
    results = AXE.run(page, options=AXE_RULES)
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} — {node['target']}"
            for violation in results.response["violations"] if violation["impact"] in BLOCKING
            for node in violation["nodes"]]


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than its window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@dataclass
class Journey:
    name: str
    size: str
    language: str = "sv"
    shots: int = field(default=0)

    @property
    def viewport(self) -> dict:
        return SIZES[self.size]

    def look(self, page, what: str) -> None:
        page.wait_for_load_state("load")
        self.shots += 1
        folder = SHOTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{self.size}-{self.language}-{self.shots:02d}-{what}.png", full_page=True)
        assert page.evaluate("document.documentElement.lang") == self.language, (what, page.url)
        assert sideways_overflow(page) <= 0, f"{what} ({page.url}) scrolls sideways at {self.size} size"
        violations = axe_violations(page)
        assert not violations, f"{what} ({page.url}) at {self.size} size:\n" + "\n".join(violations)
