"""Website inspection: settings, decoding, parsing and judgements without a live site."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path

import attrs
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk_score.collect.base import CollectContext
from zwgk_score.errors import ConfigError, DataError
from zwgk_score.inspection import (
    ColumnRecord,
    ColumnSpec,
    Crawl,
    Fetch,
    LinkRecord,
    LocalSite,
    Route,
    SiteRecord,
    Thresholds,
    WebsiteInspectionCollector,
    load_crawl,
    parse_settings,
    save_crawl,
)
from zwgk_score.inspection import fetch as fetch_mod
from zwgk_score.inspection.extract import column_items, find_badge, item_date, page_links
from zwgk_score.inspection.fetch import Fetcher, RateLimiter, decode_html
from zwgk_score.inspection.measure import (
    availability,
    blank_columns,
    broken_links,
    latest_date,
    stale_columns,
    veto_reasons,
)
from zwgk_score.workdays import WorkCalendar

CAL = WorkCalendar.china()
P = "collectors.website_inspection"
UNITS = ("东昌府区", "茌平区", "阳谷县")


def ctx(base: Path = Path(".")) -> CollectContext:
    return CollectContext(
        year=2023,
        quarter=None,
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        base_dir=base,
        units=UNITS,
        calendar=CAL,
        config_file=Path("assessment.toml"),
    )


def site(unit: str = "东昌府区", url: str = "http://127.0.0.1:8000/", **kw) -> dict:
    cols = [{"name": "政策文件", "path": "/zcwj/", "item_selector": "ul.list li"}]
    return {"unit": unit, "url": url, "columns": cols, **kw}


# ---------------------------------------------------------------- settings


def error_at(settings: dict) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_settings(settings, ctx())
    assert info.value.file == "assessment.toml"
    return info.value


def test_defaults_are_the_national_rules():
    s = parse_settings({"sites": [site()]}, ctx())
    assert (s.probes, s.timeout, s.slow_after) == (20, 15.0, 15.0)
    assert (s.veto_failed_share, s.veto_stale_columns, s.veto_blank_columns) == (0.05, 5, 5)
    assert s.sites[0].columns[0] == ColumnSpec("政策文件", "/zcwj/", item_selector="ul.list li")
    assert s.sites[0].columns[0].key == "政策文件"  # id defaults to the name
    assert s.hosts() == frozenset({"127.0.0.1:8000"})  # the port is part of the host


def test_bad_url_names_the_site():
    e = error_at({"sites": [site(), site("茌平区"), site("阳谷县", url="www.ygx.gov.cn")]})
    assert e.path == f"{P}.sites[2].url"
    assert "www.ygx.gov.cn" in e.message and "http://" in e.hint


@pytest.mark.parametrize(
    ("settings", "path", "words"),
    [
        ({"sites": [site()], "probs": 20}, f"{P}.probs", "是否应为 probes"),
        ({"sites": [site()], "probes": "20"}, f"{P}.probes", "整数"),
        ({"sites": [site()], "probes": 0}, f"{P}.probes", "大于 0"),
        ({"sites": [site()], "veto_failed_share": 5}, f"{P}.veto_failed_share", "0～1"),
        ({"sites": [site()], "inspection_date": "12/20"}, f"{P}.inspection_date", "格式不正确"),
        ({"sites": []}, f"{P}.sites", "没有配置"),
        ({"sites": [site("聊城市")]}, f"{P}.sites[0].unit", "不在单位名单"),
        ({"sites": [site(), site()]}, f"{P}.sites[1].unit", "重复"),
        ({"sites": [site(colums=[])]}, f"{P}.sites[0]", "colums"),
        (
            {"sites": [site(columns=[{"name": "政策文件", "path": "http://evil.example/zcwj/"}])]},
            f"{P}.sites[0].columns[0].path",
            "不在本网站上",
        ),
        (
            {
                "sites": [
                    site(
                        columns=[
                            {"name": "a", "path": "/a/"},
                            {"name": "b", "path": "/b/", "date_pattern": "(\\d{4}"},
                        ]
                    )
                ]
            },
            f"{P}.sites[0].columns[1].date_pattern",
            "正则表达式",
        ),
        (
            {"sites": [site(columns=[{"name": "a", "path": "/a/", "item_selector": "ul[["}])]},
            f"{P}.sites[0].columns[0].item_selector",
            "CSS 选择器",
        ),
        (
            {"sites": [site(columns=[{"name": "a", "path": "/a/"}, {"name": "a", "path": "/b/"}])]},
            f"{P}.sites[0].columns[1].id",
            "重复",
        ),
        ({"sites": [site()], "keys": {"veto": "v", "vetoo": "x"}}, f"{P}.keys.vetoo", "未知"),
    ],
)
def test_config_errors(settings, path, words):
    e = error_at(settings)
    assert e.path == path
    assert words in e.message or words in str(e)


def test_inspection_date_defaults_to_period_end(tmp_path):
    rec = SiteRecord(
        "东昌府区",
        "http://127.0.0.1:8000/",
        [Fetch("http://127.0.0.1:8000/", 200)],
        home_loaded=True,
        columns=[_column(["2023-09-01"])],
    )
    crawl_file = save_crawl(Crawl([rec]), tmp_path / "c.json")
    s = {"sites": [site()], "saved_crawl": str(crawl_file)}
    df = WebsiteInspectionCollector().collect(s, ctx())
    # period end 2023-12-31 − 2023-09-01 = 121 days > 90 → stale
    assert df.loc[df["key"] == "site_stale_columns", "evidence"].tolist() == [
        "栏目「政策文件」最近更新 2023-09-01，超过90天未更新"
    ]
    # on 2023-11-30 it is 90 days old: not stale (more than 90 needed)
    df = WebsiteInspectionCollector().collect(s | {"inspection_date": "2023-11-30"}, ctx())
    assert (df["key"] == "site_stale_columns").sum() == 0


def _column(dates: list[str], items: int | None = None, status: int = 200, **kw) -> ColumnRecord:
    fetch = Fetch("http://127.0.0.1:8000/zcwj/", status, **kw)
    return ColumnRecord(
        "政策文件", "政策文件", True, fetch, len(dates) if items is None else items, dates
    )


def test_keys_select_roles(tmp_path):
    rec = SiteRecord(
        "东昌府区",
        "http://127.0.0.1:8000/",
        [Fetch("http://127.0.0.1:8000/", 200)],
        badge="123456789X",
        home_loaded=True,
        columns=[_column([], items=0)],
    )
    save_crawl(Crawl([rec]), tmp_path / "c.json")
    s = {"sites": [site()], "saved_crawl": "c.json", "keys": {"blank_columns": "D2.1", "veto": "V"}}
    df = WebsiteInspectionCollector().collect(s, ctx(tmp_path))
    assert df["key"].tolist() == ["D2.1", "V"]
    assert df["evidence"].tolist() == ["栏目「政策文件」无内容", "未触发单项否决"]


def test_saved_crawl_missing_unit(tmp_path):
    save_crawl(Crawl([]), tmp_path / "c.json")
    with pytest.raises(DataError, match="东昌府区"):
        WebsiteInspectionCollector().collect(
            {"sites": [site()], "saved_crawl": "c.json"}, ctx(tmp_path)
        )


# ---------------------------------------------------------------- saved crawls


def test_saved_crawl_round_trip(tmp_path):
    link = LinkRecord(Fetch("http://h/a.html", 0, "timeout", "1 秒内未完成", 1.0), "http://h/")
    crawl = Crawl(
        [
            SiteRecord(
                "茌平区",
                "http://h/",
                [Fetch("http://h/", 200, elapsed=0.01)],
                "1",
                True,
                [_column(["2023-01-02"])],
                [link],
                3,
                1,
            )
        ],
        "2023-12-20T08:00:00+00:00",
    )
    path = save_crawl(crawl, tmp_path / "sub" / "c.json")
    assert load_crawl(path) == crawl
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("zwgk-score/website-crawl", 1)
    assert "茌平区" in path.read_text(encoding="utf-8")  # CJK kept readable


@pytest.mark.parametrize(
    ("content", "words", "path"),
    [
        (None, "不存在", None),
        ("{", "JSON", None),
        ('{"format": "other"}', "不是 zwgk-score", "format"),
        (
            '{"format": "zwgk-score/website-crawl", "version": 9, "sites": []}',
            "版本为 9",
            "version",
        ),
        (
            '{"format": "zwgk-score/website-crawl", "version": 1, "sites": [{"unit": "a", "url": "u",'
            ' "probes": [{"url": "u", "status": "200"}]}]}',
            "类型错误",
            "sites[0].probes[0].status",
        ),
    ],
)
def test_saved_crawl_errors(tmp_path, content, words, path):
    f = tmp_path / "c.json"
    if content is not None:
        f.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_crawl(f)
    assert words in info.value.message
    assert info.value.path == path
    assert info.value.file == str(f)


# ---------------------------------------------------------------- decoding and parsing


def test_decode_html_declarations():
    text = "<p>政务公开</p>"
    assert decode_html(text.encode("utf-8")) == (text, "utf-8")
    assert decode_html(text.encode("gbk")) == (text, "gb18030")  # not UTF-8 → GB18030
    assert decode_html(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' + text
    assert decode_html(meta.encode("gbk"))[0] == meta
    # the HTTP header wins over <meta>; an unknown label is ignored
    assert decode_html(meta.encode("gbk"), "text/html; charset=GBK")[1] == "gb18030"
    assert decode_html(text.encode("utf-8"), "text/html; charset=x-unknown") == (text, "utf-8")
    # a server-default Latin-1 header is not trusted over the bytes
    assert decode_html(text.encode("gbk"), "text/html; charset=ISO-8859-1") == (text, "gb18030")
    # a UTF-8 page cut inside its last character (max_bytes) is still UTF-8
    cut = text.encode("utf-8")[:-5]  # "</p>" is 4 bytes, so this cuts 开 in half
    assert decode_html(cut)[1] == "utf-8"


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1))
def test_decode_html_gbk_round_trip(text):
    body = ('<meta charset="gbk">' + text).encode("gbk")
    assert decode_html(body)[0].endswith(text)


@given(st.text())
def test_decode_html_utf8_round_trip(text):
    body = text.encode("utf-8", errors="surrogatepass")
    if text[:1] == "\ufeff":
        return
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:  # surrogates: not valid UTF-8 at all
        return
    assert decode_html(body) == (text, "utf-8")


FORMATS = ("{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m:02d}.{d:02d}", "{y}年{m}月{d}日")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(FORMATS))
def test_item_date_reads_common_formats(day, fmt):
    import re

    from zwgk_score.inspection.config import DEFAULT_DATE_PATTERN

    text = "关于印发通知 " + fmt.format(y=day.year, m=day.month, d=day.day) + " 来源"
    assert item_date(text, re.compile(DEFAULT_DATE_PATTERN)) == day


def test_item_date_rejects_impossible_dates():
    import re

    assert item_date("2023-02-30", re.compile(r"(\d{4})-(\d{2})-(\d{2})")) is None
    assert item_date("无日期", re.compile(r"\d{4}-\d{2}-\d{2}")) is None


def test_column_items_with_date_selector():
    html = """<ul class=list><li><a>第3号 2021-01-01 修订</a><span class=d>2023-05-06</span>
              <li><a>无日期条目</a><li> <li><a>x</a><span class=d>bad</span></ul>"""
    spec = ColumnSpec("a", "/a/", item_selector="ul.list li", date_selector="span.d")
    # 3 non-empty items; the date comes from span.d only, so 2021-01-01 in the title is ignored
    count, dates = column_items(html, spec)
    assert (count, dates) == (3, [date(2023, 5, 6)])


def test_page_links_and_badge():
    html = """<a href="/a.html#top">a</a><a href="#x">x</a><a href="javascript:void(0)">j</a>
              <a href="mailto:a@b.c">m</a><a href="b/c.html">c</a><a href="https://o.example/">o</a>
              <img alt="网站标识码3715020001">"""
    assert page_links(html, "http://h/x/index.html") == [
        "http://h/a.html",
        "http://h/x/b/c.html",
        "https://o.example/",
    ]
    pattern = r"网站标识码\s*[:：]?\s*([0-9A-Za-z]{6,20})"
    assert find_badge(html, pattern) == "3715020001"  # found in the markup (alt text)
    assert find_badge("<p>网站标识码：</p>", pattern) == ""


# ---------------------------------------------------------------- judgements


def test_availability_reasons():
    probes = [
        Fetch("u", 200, elapsed=0.1),
        Fetch("u", 500),
        Fetch("u", 200, elapsed=20.0),
        Fetch("u", error="timeout", detail="15 秒内未完成"),
        Fetch("u", 200, elapsed=15.0),
    ]
    a = availability(probes, slow_after=15.0)
    # failed: 500, 20 s > 15 s, timeout; 15.0 s is not more than 15 → 3 of 5
    assert (a.probes, a.failed, a.ok_share) == (5, 3, 0.4)
    assert a.reasons == (("HTTP 500", 1), ("用时超过 15 秒", 1), ("请求超时", 1))
    assert math.isnan(availability([], 15.0).ok_share)


@pytest.mark.parametrize(
    ("failed", "probes", "stale", "blank", "t", "n"),
    [
        (1, 20, 4, 4, Thresholds(), 1),  # 1/20 = 5 % ≥ 5 %
        (0, 20, 5, 5, Thresholds(), 2),
        (1, 21, 4, 4, Thresholds(), 0),  # 1/21 = 4.76 % < 5 %
        (
            20,
            20,
            9,
            9,
            Thresholds(veto_failed_share=0, veto_stale_columns=0, veto_blank_columns=0),
            0,
        ),
    ],
)
def test_veto_thresholds(failed, probes, stale, blank, t, n):
    a = availability([Fetch("u", 500)] * failed + [Fetch("u", 200)] * (probes - failed), 15.0)
    assert len(veto_reasons(a, stale, blank, t)) == n


def test_stale_and_blank_columns():
    day = date(2023, 12, 20)
    site = SiteRecord(
        "a",
        "u",
        columns=[
            _column(["2023-12-25", "2023-01-01"]),  # future date ignored → latest 2023-01-01, stale
            _column([], items=3),  # items without dates → stale, says so
            _column([], items=0),  # blank
            _column([], status=404),  # unreachable → blank, not stale
            _column([str(day - timedelta(days=90))]),  # exactly 90 days: fresh
        ],
    )
    assert latest_date(site.columns[0], day) == date(2023, 1, 1)
    stale = [f.reason for f in stale_columns(site, day, 90)]
    assert stale == [
        "栏目「政策文件」最近更新 2023-01-01，超过90天未更新",
        "栏目「政策文件」有 3 条信息，但未识别出不晚于 2023-12-20 的发布日期",
    ]
    assert [f.reason for f in blank_columns(site)] == [
        "栏目「政策文件」无内容",
        "栏目「政策文件」无法访问（HTTP 404），按空白栏目计",
    ]


def test_broken_links_skip_off_host():
    links = [
        LinkRecord(Fetch("http://h/a", 404), "p"),
        LinkRecord(Fetch("http://h/b", 200), "p"),
        LinkRecord(Fetch("http://h/c", 302, "off_host", "http://o/"), "p"),
        LinkRecord(Fetch("http://h/d", 0, "connect", "ConnectError"), "p"),
    ]
    out = broken_links(SiteRecord("a", "u", links=links))
    assert [(b.link.fetch.url, b.reason) for b in out] == [
        ("http://h/a", "HTTP 404"),
        ("http://h/d", "无法连接：ConnectError"),
    ]


# ---------------------------------------------------------------- fetching


def _settings(**kw):
    return parse_settings({"sites": [site(url="http://gov.example/")], "rate": 0.0, **kw}, ctx())


def test_fetcher_refuses_other_hosts_and_schemes():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if request.url.path == "/away":
            return httpx.Response(302, headers={"Location": "http://other.example/"})
        return httpx.Response(200, text="<p>ok</p>")

    with Fetcher(_settings(), httpx.MockTransport(handler)) as f:
        assert f.get("http://other.example/x").fetch.error == "off_host"
        assert f.get("ftp://gov.example/x").fetch.error == "invalid_url"
        assert f.get("http://gov.example/\x00").fetch.error == "invalid_url"  # refused by httpx
        away = f.get("http://gov.example/away").fetch
        assert (away.error, away.detail, away.redirects) == ("off_host", "http://other.example/", 1)
        page = f.get("http://gov.example/")
    # robots.txt is read once, before the first request to the site
    assert calls == [
        "http://gov.example/robots.txt",
        "http://gov.example/away",
        "http://gov.example/",
    ]
    assert page.fetch.ok and page.text == "<p>ok</p>"


def test_fetcher_allow_hosts_extends_the_list():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="ok")

    with Fetcher(_settings(allow_hosts=["www.gov.example"]), httpx.MockTransport(handler)) as f:
        assert f.get("http://www.gov.example/").fetch.ok


def test_fetcher_connection_refused():
    with LocalSite({"/": Route("x")}) as s:
        url = s.url
    s = parse_settings({"sites": [site(url=url)], "timeout": 1.0}, ctx())
    with Fetcher(s) as f:
        fetch = f.get(url).fetch
    assert fetch.error == "connect" and not fetch.ok


def test_rate_limiter_spaces_requests(monkeypatch):
    clock = [100.0]
    sleeps: list[float] = []
    monkeypatch.setattr(fetch_mod.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(fetch_mod.time, "sleep", sleeps.append)
    limiter = RateLimiter(4.0)  # one start every 0.25 s
    for _ in range(3):
        limiter.wait()
    # starts at 100.00, 100.25, 100.50 while the clock stands still
    assert sleeps == [0.25, 0.5]
    assert RateLimiter(0).wait() is True


def test_settings_records_are_frozen():
    s = _settings()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.probes = 3  # type: ignore[misc]


def test_badge_image_and_link():
    from zwgk_score.inspection.extract import find_badge_image

    sel, link = 'img[src*="conac"], img[alt*="党政机关"]', r"conac\.cn"
    linked = '<a href="https://bszs.conac.cn/sitename?id=1"><span><img src="/dzjg.png" alt="党政机关"></span></a>'
    assert find_badge_image(linked, sel, link) == (True, "https://bszs.conac.cn/sitename?id=1")
    assert find_badge_image('<a href="/about"><img alt="党政机关"></a>', sel, link) == (True, "")
    assert find_badge_image('<img src="/logo.png">', sel, link) == (False, "")


def test_optional_columns_and_no_required_columns():
    from zwgk_score.inspection.collector import site_rows

    opt = attrs.evolve(_column(["2023-12-01"]), required=False)
    home = [Fetch("u", 200)]
    rows = site_rows(
        SiteRecord("a", "u", home, home_loaded=True, columns=[_column([], status=404), opt]),
        date(2023, 12, 20),
        Thresholds(),
        {"required_columns": "c"},
    )
    # one required column, unreachable → 0/1; the optional column is not counted
    assert (rows[0]["value"], rows[0]["text"]) == (0.0, "")
    assert rows[0]["evidence"] == "必设栏目 1 个，可访问 0 个；缺少：政策文件（HTTP 404）"
    rows = site_rows(
        SiteRecord("a", "u", home, home_loaded=True, columns=[opt]),
        date(2023, 12, 20),
        Thresholds(),
        {"required_columns": "c"},
    )
    assert rows[0]["status"] == "na" and math.isnan(rows[0]["value"])


@given(
    st.integers(min_value=1, max_value=400),
    st.data(),
    st.sampled_from([(1, 20), (1, 10), (3, 10), (1, 100)]),
)
def test_failed_share_veto_matches_exact_arithmetic(n, data, share):
    from fractions import Fraction

    k = data.draw(st.integers(min_value=0, max_value=n))
    frac = Fraction(*share)
    a = availability([Fetch("u", 503)] * k + [Fetch("u", 200)] * (n - k), 15.0)
    vetoed = bool(veto_reasons(a, 0, 0, Thresholds(veto_failed_share=float(frac))))
    assert vetoed == (Fraction(k, n) >= frac)
    assert a.ok_share == pytest.approx(1 - k / n)


_fetches = st.builds(
    Fetch,
    url=st.text(min_size=1, max_size=20),
    status=st.integers(min_value=0, max_value=599),
    error=st.sampled_from(["", "timeout", "connect", "redirect_loop", "off_host"]),
    elapsed=st.floats(min_value=0, max_value=100, allow_nan=False),
)


@given(st.lists(_fetches, max_size=5), st.lists(st.dates().map(date.isoformat), max_size=5))
def test_saved_crawl_round_trip_property(probes, dates):
    import tempfile

    col = ColumnRecord("id", "名称", True, probes[0] if probes else Fetch("u"), len(dates), dates)
    crawl = Crawl(
        [
            SiteRecord(
                "单位",
                "http://h/",
                probes,
                columns=[col],
                links=[LinkRecord(p, "http://h/") for p in probes],
            )
        ]
    )
    with tempfile.TemporaryDirectory() as d:
        assert load_crawl(save_crawl(crawl, Path(d) / "c.json")) == crawl


@pytest.mark.parametrize("name", ["fetch", "extract", "measure", "localsite"])
def test_docstring_examples(name):
    import doctest
    import importlib

    module = importlib.import_module(f"zwgk_score.inspection.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
