"""The web view and the published page in a real browser (Debian's chromium driven by Playwright).

Screenshots of the main pages at 1280 and 390 pixels wide go to build/screenshots/.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import SHOTS, Served, screenshot, seeded
from tests.web.hostile import EVENTS, SCRIPT_TITLE

PAIR = "Casablanca, MA – Kuala Lumpur, MY"


def casablanca_status(page) -> str:
    return page.locator(f'tr[data-cities="{PAIR}"]').get_attribute("data-status")


def test_the_front_page_loads_with_no_console_error(served, page):
    page.goto(served.url + "/")
    assert page.locator("h1").inner_text() == "Partnerships"
    assert page.locator("tr[data-cities]").count() >= 10
    assert page.locator(".anniversaries li").count() >= 1
    screenshot(page, "front")
    assert page.problems == []


def test_the_as_of_picker_changes_the_answer_and_the_link_keeps_it(served, page):
    page.goto(served.url + "/")
    assert casablanca_status(page) == "active"
    page.fill("#as-of", "1991-06-01")
    page.click("form.when button")
    page.wait_for_url("**as_of=1991-06-01**")
    assert casablanca_status(page) == "intent"
    page.fill("#as-of", "1992-07-12")
    page.click("form.when button")
    page.wait_for_url("**as_of=1992-07-12**")
    assert casablanca_status(page) == "active"
    page.click(f'tr[data-cities="{PAIR}"] a')  # the day asked about follows the link
    assert "as_of=1992-07-12" in page.url
    assert page.locator("#standing .badge").inner_text() == "active · twin"
    assert page.problems == []


def test_a_partnership_timeline_shows_its_status_bands_and_every_event_over_its_period(served, page):
    page.goto(served.url + "/")
    page.click(f'tr[data-cities="{PAIR}"] a')
    bands = page.eval_on_selector_all("svg rect.band", "els => els.map(e => [e.dataset.status, e.dataset.tier, e.dataset.from, e.dataset.to, e.dataset.uncertain])")
    assert bands == [
        ["proposed", "", "1989-01-01", "1989-01-31", "true"],  # proposed in January 1989: which day is unknown
        ["proposed", "", "1989-01-31", "1990-01-12", "false"],
        ["approved", "", "1990-01-12", "1991-05-31", "false"],
        ["intent", "twin", "1991-05-31", "1992-07-11", "false"],
        ["active", "twin", "1992-07-11", "", "false"],
    ]
    marks = page.eval_on_selector_all("svg rect.mark", "els => els.map(e => [e.dataset.date, e.getBBox().width])")
    assert [d for d, _ in marks] == ["1989-01", "1989-01", "1990-01-12", "1991-05-31", "1992-07-11"]
    assert page.locator("table.history tbody tr").count() == 5
    screenshot(page, "partnership")
    page.set_viewport_size({"width": 1100, "height": 700})
    page.screenshot(path=str(SHOTS / "readme.png"))  # docs/web.png is a copy of this one
    page.goto(served.url + "/partnership/Seoul/Tashkent")
    width = dict(page.eval_on_selector_all("svg rect.mark", "els => els.map(e => [e.dataset.date, e.getBBox().width])"))
    assert width["2006"] > 30 and width["2010"] == pytest.approx(width["2006"], abs=0.1)  # a year-precise date covers its year
    assert width["2025-07"] == pytest.approx(width["2006"] * 31 / 365, abs=0.5)  # a month-precise one its month
    page.goto(served.url + "/city/" + "geonames:1735161")
    assert page.locator("h1").inner_text() == "Kuala Lumpur, MY"
    screenshot(page, "city")
    page.goto(served.url + "/audit")
    screenshot(page, "audit")
    assert page.problems == []


def test_a_hostile_source_title_renders_as_text_and_a_javascript_url_is_no_link(browser, page):
    server = Served(seeded(extra=EVENTS))
    try:
        page.goto(server.url + "/partnership/Osaka,%20JP/Busan,%20KR")
        assert SCRIPT_TITLE in page.locator("table.history").inner_text()
        assert "<b>not bold</b>" in page.locator("table.history").inner_text()
        assert page.evaluate("window.__pwned") is None
        assert page.locator('a[href^="javascript"]').count() == 0
        assert page.locator("table.history b, table.history i, table.history img").count() == 0
        assert page.locator('a[href="https://www.city.osaka.lg.jp/news"]').count() == 1
        page.goto(server.url + "/audit")
        assert SCRIPT_TITLE in page.locator("table.audit").inner_text()
        assert page.evaluate("window.__pwned") is None
    finally:
        server.stop()


def test_the_published_kuala_lumpur_page_opens_from_disk(browser, page, web_store, tmp_path):
    from amity.ledger.app import Ledger
    from amity.web.publish import publish

    ledger = Ledger(web_store)
    path = publish(ledger, "Kuala Lumpur", tmp_path / "site")
    ledger.close()
    page.goto(path.as_uri())
    assert page.locator("h1").inner_text() == "Kuala Lumpur: twin cities and partnerships"
    partners = page.locator("section.partner h3").all_inner_texts()
    assert {"Ankara, TR", "Casablanca, MA", "Chennai, IN", "Isfahan, IR", "Melaka, MY", "Osaka, JP", "Seoul, KR"} <= set(partners)
    assert "amity verify --digest " in page.locator("#verify").inner_text()
    assert page.locator("link[rel=stylesheet], script").count() == 0  # one self-contained file
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")  # its stylesheet applies
    screenshot(page, "publish")
    assert page.problems == []


@pytest.mark.parametrize("width", [390])
def test_pages_fit_a_phone_width(served, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    for path in ("/", "/partnership/geonames:2553604/geonames:1735161", "/audit"):
        page.goto(served.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path
