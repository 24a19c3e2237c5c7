"""The bundled demo (examples/liaocheng) produces the results site, checked in headless Chromium.

One example run and one browser session for the whole module.  Pages are
loaded from file://; the DOM must show every unit of each group's ranking in
the order of results.json, each unit page the total of results.json, the
filters and the sorting must work (also from the keyboard), no page may log a
console error, and no request may leave the site's own folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import chromium, requested_urls, require_browser

from zwgk_score.outputs.site import PUBLIC_SITE_DIR, SITE_DIR
from zwgk_score.run import run_assessment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "liaocheng"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("liaocheng-site")
    run_assessment(EXAMPLE, output=out)
    return out


@pytest.fixture(scope="module")
def data(out):
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser():
    require_browser()
    with chromium() as driver:
        # the start page (chrome://new-tab-page) is not ours: forget its requests and messages
        driver.get("about:blank")
        driver.get_log("performance")
        driver.get_log("browser")
        yield driver


def _open(browser, path: Path):
    browser.get(path.resolve().as_uri())
    return browser


def _check_clean(browser, site: Path) -> None:
    """No console error and no request outside ``site`` since the last check."""
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    base = site.resolve().as_uri() + "/"
    urls = requested_urls(browser)
    assert any(u.endswith("/assets/site.css") for u in urls)  # the log does record our requests
    outside = [u for u in urls if not u.startswith(base)]
    assert outside == []


def _visible_units(browser, table_id: str) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.getElementById(arguments[0]).tBodies[0].rows)"
        ".filter(r => !r.hidden).map(r => r.dataset.unit);",
        table_id,
    )


def test_the_demo_writes_both_sites_and_every_quarter_has_one(out, data):
    for site in (out / SITE_DIR, out / PUBLIC_SITE_DIR):
        assert (site / "index.html").is_file() and (site / "overview.html").is_file()
        assert len(list((site / "单位").glob("*.html"))) == len(data["units"]) == 24
    for q in ("2018Q1", "2018Q2", "2018Q3", "2018Q4"):
        assert (out / q / SITE_DIR / "index.html").is_file()


def test_every_ranking_in_the_order_of_results_json(browser, out, data):
    site = out / SITE_DIR
    _open(browser, site / "index.html")
    for i, group in enumerate(data["groups"], start=1):
        expected = [
            u["unit"]
            for u in sorted(
                (u for u in data["units"] if u["group"] == group["id"]),
                key=lambda u: (u["rank"], u["unit"]),
            )
        ]
        assert _visible_units(browser, f"group-{i}-table") == expected
        ranks = browser.execute_script(
            "return Array.from(document.getElementById(arguments[0]).tBodies[0].rows)"
            ".map(r => r.cells[0].textContent);",
            f"group-{i}-table",
        )
        # as in the notice: a vetoed unit (聊城: ranked last by the scores too) has no place
        units = sorted(
            (u for u in data["units"] if u["group"] == group["id"]), key=lambda u: u["rank"]
        )
        assert ranks == ["—" if u["veto"] else str(u["rank"]) for u in units]
    _check_clean(browser, site)


def test_unit_pages_show_the_total_of_results_json(browser, out, data):
    from selenium.webdriver.common.by import By

    site = out / SITE_DIR
    _open(browser, site / "index.html")
    links = {
        a.text: a.get_attribute("href")
        for a in browser.find_elements(By.CSS_SELECTOR, "table.ranking tbody th a")
    }
    assert sorted(links) == sorted(u["unit"] for u in data["units"])
    for u in data["units"]:
        browser.get(links[u["unit"]])
        assert browser.find_element(By.TAG_NAME, "h1").text == u["unit"]
        assert browser.find_element(By.ID, "unit-total").text == f"{u['total']:.2f}"
        # a vetoed unit has no place, as in the notice (聊城's is ranked last by the scores too)
        assert browser.find_element(By.ID, "unit-rank").text == (
            "—" if u["veto"] else str(u["rank"])
        )
        assert browser.find_element(By.ID, "unit-grade").text == u["grade"]
    _check_clean(browser, site)


def test_filters_work(browser, out, data):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    site = out / SITE_DIR
    _open(browser, site / "index.html")
    box = browser.find_element(By.CSS_SELECTOR, '.filters[data-for="group-3-table"]')
    assert box.is_displayed()  # revealed by the script
    depts = [u for u in data["units"] if u["group"] == "dept"]
    box.find_element(By.CSS_SELECTOR, ".filter-text").send_keys("局")
    shown = _visible_units(browser, "group-3-table")
    assert shown and all("局" in u for u in shown)
    assert len(shown) == sum("局" in u["unit"] for u in depts)
    Select(box.find_element(By.CSS_SELECTOR, ".filter-grade")).select_by_value("优秀")
    both = {u["unit"] for u in depts if "局" in u["unit"] and u["grade"] == "优秀"}
    assert set(_visible_units(browser, "group-3-table")) == both
    count = box.find_element(By.CSS_SELECTOR, ".filter-count").text
    assert count == f"显示 {len(both)} / {len(depts)} 个单位"
    # the other groups are untouched
    assert len(_visible_units(browser, "group-1-table")) == 8
    _check_clean(browser, site)


def test_sorting_by_mouse_and_keyboard(browser, out, data):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    site = out / SITE_DIR
    _open(browser, site / "index.html")
    table = browser.find_element(By.ID, "group-1-table")
    headers = table.find_elements(By.CSS_SELECTOR, "thead th")
    total_th = next(th for th in headers if th.text.startswith("总分"))
    button = total_th.find_element(By.TAG_NAME, "button")  # sortable headers are buttons
    county = [u for u in data["units"] if u["group"] == "county"]
    ascending = [u["unit"] for u in sorted(county, key=lambda u: (u["total"], u["rank"]))]
    button.click()
    assert total_th.get_attribute("aria-sort") == "ascending"
    assert _visible_units(browser, "group-1-table") == ascending
    button.send_keys(Keys.ENTER)  # keyboard: Enter on the focused button sorts the other way
    assert total_th.get_attribute("aria-sort") == "descending"
    by_total = [u["unit"] for u in sorted(county, key=lambda u: (-u["total"], u["rank"]))]
    assert _visible_units(browser, "group-1-table") == by_total
    unit_th = next(th for th in headers if th.text.startswith("单位"))
    unit_th.find_element(By.TAG_NAME, "button").send_keys(Keys.SPACE)
    assert unit_th.get_attribute("aria-sort") == "ascending"
    assert total_th.get_attribute("aria-sort") is None
    _check_clean(browser, site)


def test_keyboard_skip_link_and_visible_focus(browser, out):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    site = out / SITE_DIR
    _open(browser, site / "overview.html")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    active = browser.switch_to.active_element
    assert active.text == "跳到正文" and active.is_displayed()
    outline = browser.execute_script(
        "return getComputedStyle(document.activeElement).outlineStyle;"
    )
    assert outline == "solid"
    active.send_keys(Keys.ENTER)
    assert browser.execute_script("return document.activeElement.id;") == "main"
    _check_clean(browser, site)


def test_public_site_in_the_browser_and_free_of_evidence(browser, out, data):
    site = out / PUBLIC_SITE_DIR
    for page in [
        site / "index.html",
        site / "overview.html",
        *sorted((site / "单位").glob("*.html")),
    ]:
        _open(browser, page)
    _check_clean(browser, site)
    evidence = {e["evidence"] for e in data["evidence"] if e["evidence"]}
    sources = {e["source"] for e in data["evidence"] if e["source"]}
    assert len(evidence) > 100 and len(sources) > 1000
    # every source of the example is a path under data/ or the rubric's 责任分工 of an
    # indicator (liaocheng_duties): one check covers them all
    assert all(s.startswith(("data/", "考核细则 ")) for s in sources)
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) == 24 + 5  # unit pages, index, overview, css, js, icon
    for p in files:
        text = p.read_text(encoding="utf-8")
        leaked = [e for e in evidence if e in text]
        assert leaked == [], p
        assert "data/" not in text and ".csv" not in text
        assert "内部版" not in text and "佐证" not in text
    # the internal site does carry them (so the check above can fail)
    internal = (out / SITE_DIR / "单位" / "东昌府区.html").read_text(encoding="utf-8")
    assert "留言 ZC20189001" in internal and "data/网站找错留言.csv:64" in internal


def test_not_applicable_points_are_shown(out):
    import re

    page = (out / SITE_DIR / "单位" / "市发改委.html").read_text(encoding="utf-8")
    desc = re.search(r'<desc id="domains-d">(.*?)</desc>', page).group(1)
    # tests/test_example_liaocheng.py: 27 of 市发改委's 100 points are not applicable (the
    # 责任分工 of those tasks does not name it, or they are county / zone tasks), so its
    # domains apply 100 − 27 = 73 points (the domain at full applicability names none)
    shown = [float(x) for x in re.findall(r"适用分值 ([\d.]+)", desc)]
    full = [float(x) for x in re.findall(r"满分 ([\d.]+)，类别", desc)]
    assert sum(shown) + sum(full) == pytest.approx(73)
    assert "基础分按适用分值折算" in page


def test_the_site_works_from_a_static_web_server(browser, out, data):
    """Served by a plain static server on 127.0.0.1 (as on a portal), links and assets still resolve."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from selenium.webdriver.common.by import By

    site = out / PUBLIC_SITE_DIR

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        browser.get(base + "index.html")
        link = browser.find_element(By.CSS_SELECTOR, "#group-2-table tbody th a")
        name = link.text
        link.click()
        assert browser.find_element(By.TAG_NAME, "h1").text == name
        total = next(u["total"] for u in data["units"] if u["unit"] == name)
        assert browser.find_element(By.ID, "unit-total").text == f"{total:.2f}"
        # the stylesheet applied (the header is the site's blue), over HTTP too
        colour = browser.execute_script(
            "return getComputedStyle(document.querySelector('.site-header')).backgroundColor;"
        )
        assert colour == "rgb(31, 78, 121)"
        errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert errors == []
        urls = requested_urls(browser)
        assert any(u.endswith("/assets/site.css") for u in urls)
        assert [u for u in urls if not u.startswith(base)] == []
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
