"""Collector ``newmedia_inspection`` (政务新媒体检查): account register plus monitoring export.

Government new-media accounts (政务新媒体: 微信公众号, 微博, 抖音, 头条号, APP …)
cannot be crawled, so offices inspect them from two tables:

- the account register (台账) ``[collectors.newmedia_inspection.register]``:
  one row per account with its unit, name, platform, status, opening and
  closing dates and the dates they were filed (备案);
- the monitoring export (监测记录) ``[collectors.newmedia_inspection.monitoring]``:
  one row per account per check (with a 检查日期 column) or per post (without
  it: every row belongs to one check on ``inspection_date``), giving the latest
  post date seen, and optionally messages received and replied.

Defaults follow the national 政务新媒体检查指标 (国办秘函〔2019〕19号): an account
with no post in the two weeks before the check (监测时间点前 2 周内无更新) and an
account that answers none of its messages (互动回应差) are single-item vetoes.
The filing limit of 5 working days is the xx市 rule for opening and closing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal, cast, overload

import attrs
import numpy as np
import pandas as pd

from zwgk_score.collect.base import STATUS_NA, CollectContext, evidence_rows
from zwgk_score.collect.settings import ExportSettings, FileSettings, declared_settings
from zwgk_score.collect.tables import (
    Column,
    Records,
    check_calendar,
    check_order,
    check_unique,
    collected,
    config_error,
    data_keys,
    elapsed,
    fmt_dates,
    load_records,
    number_setting,
    per_unit,
    period_mask,
    timing_evidence,
)
from zwgk_score.errors import DataError

REGISTER_COLUMNS = (
    Column("unit", "单位", label="主办单位"),
    Column("account", "账号名称", label="账号名称"),
    Column("platform", "平台", label="平台（微信公众号、微博、抖音等）"),
    Column("status", "状态", label="账号状态"),
    Column("opened", "开设日期", "date", label="开设日期"),
    Column("closed", "注销日期", "date", required=False, blank_ok=True, label="注销（关停）日期"),
    Column("filed", "备案日期", "date", blank_ok=True, label="开设备案日期"),
    Column(
        "close_filed", "注销备案日期", "date", required=False, blank_ok=True, label="注销备案日期"
    ),
)
MONITOR_COLUMNS = (
    Column("account", "账号名称", label="账号名称"),
    Column("platform", "平台", required=False, label="平台"),
    Column("checked", "检查日期", "date", required=False, label="检查日期"),
    Column("latest", "最近更新日期", "date", blank_ok=True, label="最近更新（发布）日期"),
    Column("messages", "留言数", "number", required=False, blank_ok=True, label="收到留言数"),
    Column("replied", "回复数", "number", required=False, blank_ok=True, label="回复留言数"),
)
DEFAULT_KEYS = {
    "stale": "newmedia_stale",
    "veto": "newmedia_veto",
    "filing": "newmedia_filing",
    "reply_rate": "newmedia_reply_rate",
}
OPTIONAL_ROLES = ("accounts",)
#: Default status words (账号状态) of the register.
STATUS_ACTIVE = ("运行", "正常", "正常运行", "在运行", "运营", "停更", "暂停更新")
STATUS_CLOSED = ("注销", "已注销", "关停", "已关停", "关闭", "已关闭")
#: Filing events (备案事项) that can be assessed.
EVENTS = ("开设", "注销")


@attrs.frozen(kw_only=True)
class NewMediaSettings:
    """``[collectors.newmedia_inspection]`` (政务新媒体检查设置).

    Attributes:
        register: ``[….register]``, the account register (an export with a unit column).
        monitoring: ``[….monitoring]``, the monitoring export (accounts, no unit column).
        keys: data keys by role; see :data:`DEFAULT_KEYS` (``accounts`` only when listed).
        inspection_date: the check date of exports without a 检查日期 column
            (default: the end of the assessed period).
        period_only: judge only checks, openings and closings in the assessed period.
        stale_days, veto_stale_days, veto_unanswered, veto_reply_rate,
        filing_limit: as in :class:`Rules`.
        filing_events: the filing events assessed (开设, 注销).
        status_active, status_closed, status_exempt: the register's status words.
    """

    register: ExportSettings | None = None
    monitoring: FileSettings | None = None
    keys: dict[str, str] | None = None
    inspection_date: date | None = None
    period_only: bool = True
    stale_days: float = 14
    veto_stale_days: float = 14
    veto_unanswered: bool = True
    veto_reply_rate: float = 0
    filing_limit: float = 5
    filing_events: list[str] = attrs.field(factory=lambda: list(EVENTS))
    status_active: list[str] = attrs.field(factory=lambda: list(STATUS_ACTIVE))
    status_closed: list[str] = attrs.field(factory=lambda: list(STATUS_CLOSED))
    status_exempt: list[str] = attrs.field(factory=list)


@attrs.frozen
class Rules:
    """The judgement settings of one run (检查规则).

    Attributes:
        day: the check date of exports without a 检查日期 column, and the date
            accounts in operation are counted on.
        stale_days: more than this many days since the latest post → stale (未更新).
        veto_stale_days: more than this many days → veto (0: never).
        veto_unanswered: veto an account that received messages and answered none.
        veto_reply_rate: veto an account whose reply rate is below this (0: never).
        filing_limit: working days allowed from opening/closing to filing (evidence only).
        events: the filing events assessed (开设, 注销).
        active, closed, exempt: status words; exempt accounts are not judged on updates.
    """

    day: date
    stale_days: float
    veto_stale_days: float
    veto_unanswered: bool
    veto_reply_rate: float
    filing_limit: float
    events: tuple[str, ...]
    active: tuple[str, ...]
    closed: tuple[str, ...]
    exempt: tuple[str, ...]


def _words(
    words: list[str],
    key: str,
    path: str,
    ctx: CollectContext,
    allowed: tuple[str, ...] | None = None,
) -> tuple[str, ...]:
    if not all(w.strip() for w in words):
        raise config_error(ctx, f"{path}.{key}", f"{key} 中有空字符串", hint="删去空项")
    out = tuple(w.strip() for w in words)
    bad = [w for w in out if allowed is not None and w not in allowed]
    if bad:
        raise config_error(
            ctx,
            f"{path}.{key}",
            f"无法识别的事项「{bad[0]}」",
            hint=f"可填 {'、'.join(allowed or ())}",
        )
    return out


def parse_rules(s: NewMediaSettings, ctx: CollectContext, path: str) -> Rules:
    """Check the judgement settings (their types were checked when structured)."""
    for key in ("stale_days", "veto_stale_days", "veto_reply_rate", "filing_limit"):
        number_setting(s, key, None, path, ctx)  # not negative
    if s.veto_reply_rate > 1:
        raise config_error(ctx, f"{path}.veto_reply_rate", "应在 0～1 之间", hint="如 0.8 表示 80%")
    active = _words(s.status_active, "status_active", path, ctx)
    closed = _words(s.status_closed, "status_closed", path, ctx)
    exempt = _words(s.status_exempt, "status_exempt", path, ctx)
    both = (set(active) & set(closed)) | (set(exempt) & set(closed)) | (set(active) & set(exempt))
    if both:
        raise config_error(
            ctx,
            f"{path}.status_closed",
            f"状态「{sorted(both)[0]}」同时出现在两个状态列表中",
            hint="每个状态只列入 status_active、status_closed、status_exempt 之一",
        )
    return Rules(
        day=s.inspection_date or ctx.period_end,
        stale_days=float(s.stale_days),
        veto_stale_days=float(s.veto_stale_days),
        veto_unanswered=s.veto_unanswered,
        veto_reply_rate=float(s.veto_reply_rate),
        filing_limit=float(s.filing_limit),
        events=_words(s.filing_events, "filing_events", path, ctx, allowed=EVENTS),
        active=active,
        closed=closed,
        exempt=exempt,
    )


@overload
def _sub(
    s: NewMediaSettings, name: Literal["register"], ctx: CollectContext, path: str
) -> ExportSettings: ...
@overload
def _sub(
    s: NewMediaSettings, name: Literal["monitoring"], ctx: CollectContext, path: str
) -> FileSettings: ...
def _sub(s: NewMediaSettings, name: str, ctx: CollectContext, path: str) -> FileSettings:
    sub: FileSettings | None = getattr(s, name)
    if sub is None:
        what = "新媒体账号台账" if name == "register" else "监测记录导出表"
        raise config_error(
            ctx,
            f"{path}.{name}",
            f"缺少{what}设置 [{path}.{name}]",
            hint=f'写成 [{path}.{name}]，其中 file = "data/….xlsx"',
        )
    return sub


def _check_register(records: Records, rules: Rules) -> None:
    """Validate the statuses and the order of the dates of the register."""
    f = records.frame
    known = f["status"].isin((*rules.active, *rules.closed, *rules.exempt)).to_numpy()
    if not known.all():
        i = int(np.flatnonzero(~known)[0])
        raise records.error(
            i,
            "status",
            f"无法识别的账号状态「{f['status'].iat[i]}」",
            hint=f"填写 {'、'.join((*rules.active, *rules.closed, *rules.exempt))} 之一，"
            "或在设置 status_active / status_closed / status_exempt 中添加",
        )
    closed_status = f["status"].isin(rules.closed).to_numpy()
    closed = f["closed"].notna().to_numpy() if records.has("closed") else np.zeros(len(f), bool)
    if (closed_status & ~closed).any():
        i = int(np.flatnonzero(closed_status & ~closed)[0])
        col = "closed" if records.has("closed") else "status"
        raise records.error(
            i,
            col,
            f"账号状态为「{f['status'].iat[i]}」，但没有注销日期",
            hint='填写注销（关停）日期；台账中没有该列的，在 columns 中设置 closed = "实际表头"',
        )
    if (closed & ~closed_status).any():
        i = int(np.flatnonzero(closed & ~closed_status)[0])
        raise records.error(
            i,
            "closed",
            f"账号状态为「{f['status'].iat[i]}」，却填写了注销日期",
            hint="核对账号状态（已注销的写“注销”）或删去注销日期",
        )
    check_order(records, "opened", "filed", "备案早于开设")
    if records.has("closed"):
        check_order(records, "opened", "closed", "注销早于开设")
        if records.has("close_filed"):
            check_order(records, "closed", "close_filed", "注销备案早于注销")


def load_register(
    settings: NewMediaSettings, ctx: CollectContext, path: str, rules: Rules
) -> tuple[Records, np.ndarray]:
    """Read the account register; returns the records and the mask of skipped units.

    Rows of ``skip_units`` are kept (flagged) so that monitoring rows of their
    accounts are recognised and skipped, not reported as unknown accounts.
    """
    sub = _sub(settings, "register", ctx, path)
    at = f"{path}.register"
    skip = sub.skip_units
    inner = attrs.evolve(sub, skip_units=[])
    wide = attrs.evolve(ctx, units=(*ctx.units, *(s for s in skip if s not in ctx.units)))
    records = load_records(inner, wide, REGISTER_COLUMNS, path=at)
    check_unique(records, ["account", "platform"], "账号")
    _check_register(records, rules)
    check_calendar(
        records, ctx, [c for c in ("opened", "closed", "filed", "close_filed") if records.has(c)]
    )
    skipped = (records.frame["unit"].isin(skip) & ~records.frame["unit"].isin(ctx.units)).to_numpy()
    return records, skipped


def _match(mon: Records, reg: pd.DataFrame) -> np.ndarray:
    """Register position of each monitoring row's account (DataError when unknown or ambiguous)."""
    m = mon.frame
    if mon.has("platform"):
        on = ["account", "platform"]
    else:
        on = ["account"]
        counts = m["account"].map(reg["account"].value_counts()).fillna(0).to_numpy()
        if (counts > 1).any():
            i = int(np.flatnonzero(counts > 1)[0])
            raise mon.error(
                i,
                "account",
                f"账号名称「{m['account'].iat[i]}」在台账中对应多个平台",
                hint='在监测表中加入“平台”列（或在 columns 中设置 platform = "实际表头"）',
            )
    right = reg[on].assign(_acc=np.arange(len(reg)))
    acc = m[on].merge(right, on=on, how="left")["_acc"].to_numpy()
    if np.isnan(acc).any():
        i = int(np.flatnonzero(np.isnan(acc))[0])
        accounts, platforms = (
            m["account"].to_numpy(),
            m["platform"].to_numpy() if mon.has("platform") else None,
        )
        name = str(accounts[i]) + (f"（{platforms[i]}）" if platforms is not None else "")
        raise mon.error(
            i,
            "account",
            f"账号「{name}」不在新媒体账号台账中",
            hint="核对账号名称和平台是否与台账完全一致；新开设的账号请补录入台账",
        )
    return cast("np.ndarray", acc.astype(np.int64))


def load_monitoring(
    settings: NewMediaSettings, ctx: CollectContext, path: str, reg: pd.DataFrame
) -> tuple[Records, np.ndarray]:
    """Read and validate the monitoring export; returns it and each row's register position."""
    sub = _sub(settings, "monitoring", ctx, path)
    at = f"{path}.monitoring"
    mon = load_records(sub, ctx, MONITOR_COLUMNS, path=at)
    for a, b in (("messages", "replied"), ("replied", "messages")):
        if mon.has(a) and not mon.has(b):
            col = next(c for c in MONITOR_COLUMNS if c.name == b)
            raise DataError(
                f"有“{mon.headers[a]}”列但缺少列「{col.header}」（{col.label}）",
                file=mon.file,
                hint=f'留言数和回复数须同时提供；在 [{at}.columns] 中设置 {b} = "实际表头"',
            )
    m = mon.frame
    if mon.has("messages"):
        over = (m["replied"].fillna(0) > m["messages"].fillna(0)).to_numpy()
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise mon.error(i, "replied", "回复数大于留言数", hint="核对两列数字")
    acc = _match(mon, reg)
    if mon.has("checked"):
        check_order(mon, "latest", "checked", "最近更新晚于检查日期")
        check = m["checked"].to_numpy("datetime64[D]")
        opened = reg["opened"].to_numpy("datetime64[D]")[acc]
        before = check < opened
        if before.any():
            i = int(np.flatnonzero(before)[0])
            raise mon.error(
                i,
                "checked",
                f"检查日期早于账号开设日期 {opened[i]}",
                hint="核对检查日期或台账中的开设日期",
            )
        if "closed" in reg.columns:
            closed = reg["closed"].to_numpy("datetime64[D]")[acc]
            gone = ~np.isnat(closed) & (check >= closed)
            if gone.any():
                i = int(np.flatnonzero(gone)[0])
                raise mon.error(
                    i,
                    "checked",
                    f"账号已于 {closed[i]} 注销，检查日期不应在其后",
                    hint="删除注销后的监测记录，或核对台账中的注销日期",
                )
    return mon, acc


class NewMediaInspectionCollector:
    """Collector ``newmedia_inspection`` (政务新媒体检查).

    Emits, per unit (roles mapped to data keys through ``keys``):

    - ``stale``: one row (value 1) per account and check whose latest post is
      more than ``stale_days`` days before the check date (未更新);
    - ``veto``: one row (value 1) per triggered condition — an account not
      updated for more than ``veto_stale_days`` days, an account answering none
      of its messages (``veto_unanswered``) or fewer than ``veto_reply_rate`` —
      else one row with value 0 and evidence 未触发单项否决, for every roster unit;
    - ``filing``: one row per opening or closing in the period, value = working
      days until it was filed (to the end of the period, text 未备案, when not);
    - ``reply_rate``: one row per roster unit, replied ÷ messages (needs the
      留言数 and 回复数 columns; status ``na`` without messages);
    - ``accounts`` (only when listed in ``keys``): one row per roster unit,
      value = accounts in operation on the inspection date.
    """

    name = "newmedia_inspection"

    def collect(
        self, settings: Mapping[str, Any] | NewMediaSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """Read the register and the monitoring export in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, NewMediaSettings, self.name, ctx)
        rules = parse_rules(settings, ctx, path)
        keys = data_keys(settings, DEFAULT_KEYS, path, ctx, OPTIONAL_ROLES)
        register, skipped = load_register(settings, ctx, path, rules)
        reg = register.frame.assign(
            _skip=skipped, _exempt=register.frame["status"].isin(rules.exempt)
        )
        if "closed" not in reg.columns:
            reg["closed"] = pd.NaT
        reg["label"] = reg["platform"] + "「" + reg["account"] + "」"
        mon, acc = load_monitoring(settings, ctx, path, reg)
        has_counts = mon.has("messages")
        if "reply_rate" in (settings.keys or {}) and not has_counts:
            raise config_error(
                ctx,
                f"{path}.keys.reply_rate",
                "要求输出留言回复率，但监测表中没有留言数、回复数列",
                hint=f"在 [{path}.monitoring.columns] 中设置 messages、replied 的实际表头",
            )

        rows = self._monitored(mon, acc, reg, settings, ctx, path, rules)
        frames = []
        if "filing" in keys:
            frames.append(self._filings(register, reg, settings, ctx, path, rules, keys["filing"]))
        if "stale" in keys:
            frames.append(self._stale(rows["checks"], rules, keys["stale"]))
        if "veto" in keys:
            frames.append(
                self._veto(
                    rows, rules, ctx, _sub(settings, "monitoring", ctx, path).file, keys["veto"]
                )
            )
        if "reply_rate" in keys and has_counts:
            frames.append(self._reply_rate(rows["rows"], ctx, settings, keys["reply_rate"]))
        if "accounts" in keys:
            frames.append(self._accounts(reg, rules, ctx, settings, keys["accounts"]))
        return collected(frames)

    # ------------------------------------------------------------ monitoring

    @staticmethod
    def _monitored(
        mon: Records,
        acc: np.ndarray,
        reg: pd.DataFrame,
        settings: NewMediaSettings,
        ctx: CollectContext,
        path: str,
        rules: Rules,
    ) -> dict[str, pd.DataFrame]:
        """Judged monitoring rows, and one row per (account, check) with its latest post."""
        m = mon.frame.assign(_acc=acc)
        info = reg.iloc[acc].reset_index(drop=True)
        for col in ("unit", "label", "opened", "closed", "_skip", "_exempt"):
            m[col] = info[col].to_numpy()
        if mon.has("checked"):
            m["_check"] = m["checked"]
            keep = period_mask(settings, ctx, m["checked"], path)
        else:
            day = pd.Timestamp(rules.day)
            m["_check"] = day
            m.loc[m["latest"] > day, "latest"] = pd.NaT  # posts after the check date do not count
            operating = (m["opened"] <= day) & (m["closed"].isna() | (m["closed"] > day))
            keep = operating.to_numpy()
        m = m.loc[keep & ~m["_skip"].to_numpy(bool) & ~m["_exempt"].to_numpy(bool)].reset_index(
            drop=True
        )
        checks = (
            m.sort_values(["_acc", "_check", "latest", "_row"], na_position="first", kind="stable")
            .drop_duplicates(["_acc", "_check"], keep="last")
            .reset_index(drop=True)
        )
        ref = checks["latest"].fillna(checks["opened"])
        checks["days"] = (checks["_check"] - ref).dt.days.astype(np.int64)
        posted = checks["latest"].notna()
        checks["seen"] = np.where(
            posted,
            "最近更新 " + fmt_dates(checks["latest"]),
            "未发现发布记录（" + fmt_dates(checks["opened"]) + " 开设）",
        )
        return {"rows": m, "checks": checks}

    @staticmethod
    def _stale(checks: pd.DataFrame, rules: Rules, key: str) -> pd.DataFrame:
        hit = checks.loc[checks["days"] > rules.stale_days]
        evidence = (
            hit["label"]
            + "："
            + hit["seen"]
            + "，至检查日 "
            + fmt_dates(hit["_check"])
            + " 已 "
            + hit["days"].astype(str)
            + f" 天未更新（超过 {rules.stale_days:g} 天）"
        )
        return evidence_rows(
            hit["unit"], key, 1.0, text="未更新", evidence=evidence, source=hit["_source"]
        )

    @staticmethod
    def _veto(
        rows: dict[str, pd.DataFrame], rules: Rules, ctx: CollectContext, file: str, key: str
    ) -> pd.DataFrame:
        parts = []
        checks = rows["checks"]
        if rules.veto_stale_days > 0:
            hit = checks.loc[checks["days"] > rules.veto_stale_days]
            parts.append(
                pd.DataFrame(
                    {
                        "unit": hit["unit"],
                        "_order": hit["_acc"],
                        "source": hit["_source"],
                        "evidence": "内容不更新："
                        + hit["label"]
                        + "检查日 "
                        + fmt_dates(hit["_check"])
                        + f" 前 {rules.veto_stale_days:g} 天内无更新（"
                        + hit["seen"]
                        + "，已 "
                        + hit["days"].astype(str)
                        + " 天）",
                    }
                )
            )
        m = rows["rows"]
        if "messages" in m.columns and (rules.veto_unanswered or rules.veto_reply_rate > 0):
            g = (
                m.assign(messages=m["messages"].fillna(0), replied=m["replied"].fillna(0))
                .groupby("_acc", sort=True)
                .agg(
                    unit=("unit", "first"),
                    label=("label", "first"),
                    messages=("messages", "sum"),
                    replied=("replied", "sum"),
                    source=("_source", "; ".join),
                )
                .reset_index()
            )
            rate = g["replied"] / g["messages"].where(g["messages"] > 0)
            none = (g["messages"] > 0) & (g["replied"] == 0) & rules.veto_unanswered
            low = (rate < rules.veto_reply_rate) & ~none & (rules.veto_reply_rate > 0)
            n_msg, n_rep = g["messages"].map("{:g}".format), g["replied"].map("{:g}".format)
            said = np.where(
                none,
                "互动回应差：" + g["label"] + "收到留言 " + n_msg + " 条，均未回复",
                "互动回应差："
                + g["label"]
                + "收到留言 "
                + n_msg
                + " 条，回复 "
                + n_rep
                + " 条，回复率 "
                + (rate * 100).map("{:.2f}".format)
                + f"% 低于 {rules.veto_reply_rate * 100:.2f}%",
            )
            hit = (none | low).to_numpy()
            parts.append(
                pd.DataFrame(
                    {
                        "unit": g["unit"][hit],
                        "_order": g["_acc"][hit],
                        "source": g["source"][hit],
                        "evidence": said[hit],
                    }
                )
            )
        found = (
            pd.concat(parts, ignore_index=True)
            if parts
            else pd.DataFrame(columns=["unit", "_order", "source", "evidence"])
        )
        found = found.sort_values("_order", kind="stable").assign(value=1.0)
        clear = [u for u in ctx.units if u not in set(found["unit"])]
        quiet = pd.DataFrame(
            {"unit": clear, "value": 0.0, "evidence": "未触发单项否决", "source": file}
        )
        out = pd.concat([found.drop(columns="_order"), quiet], ignore_index=True)
        order = pd.Categorical(out["unit"], categories=list(ctx.units)).codes
        return cast("pd.DataFrame", out.iloc[np.argsort(order, kind="stable")].assign(key=key))

    @staticmethod
    def _reply_rate(
        m: pd.DataFrame, ctx: CollectContext, settings: NewMediaSettings, key: str
    ) -> pd.DataFrame:
        n = per_unit(ctx, m["unit"], m["messages"].fillna(0).to_numpy())
        done = per_unit(ctx, m["unit"], m["replied"].fillna(0).to_numpy())
        rate = np.where(n > 0, done / np.maximum(n, 1), np.nan)
        evidence = np.where(
            n > 0,
            "政务新媒体收到留言 "
            + pd.Series(n).map("{:g}".format)
            + " 条，回复 "
            + pd.Series(done).map("{:g}".format)
            + " 条，回复率 "
            + pd.Series(rate * 100).map("{:.2f}".format)
            + "%",
            "本期政务新媒体无留言，回复率不适用",
        )
        return evidence_rows(
            list(ctx.units),
            key,
            rate,
            status=np.where(n > 0, "ok", STATUS_NA),
            evidence=evidence,
            source=settings.monitoring.file if settings.monitoring else "",
        )

    # ------------------------------------------------------------ register

    @staticmethod
    def _filings(
        register: Records,
        reg: pd.DataFrame,
        settings: NewMediaSettings,
        ctx: CollectContext,
        path: str,
        rules: Rules,
        key: str,
    ) -> pd.DataFrame:
        live = reg.loc[~reg["_skip"].to_numpy(bool)]
        parts = []
        if "开设" in rules.events:
            opened = live.loc[period_mask(settings, ctx, live["opened"], path)]
            parts.append(
                opened.assign(_event="开设", _start=opened["opened"], _end=opened["filed"])
            )
        if "注销" in rules.events:
            closing = live.loc[live["closed"].notna()]
            closing = closing.loc[period_mask(settings, ctx, closing["closed"], path)]
            if len(closing) and not register.has("close_filed"):
                raise DataError(
                    f"有账号在考核期内注销（第 {int(closing['_row'].iat[0])} 行），但台账中缺少列「注销备案日期」",
                    file=register.file,
                    hint=f'在 [{path}.register.columns] 中设置 close_filed = "实际表头"；'
                    '不考核注销备案的，设置 filing_events = ["开设"]',
                )
            parts.append(
                closing.assign(
                    _event="注销",
                    _start=closing["closed"],
                    _end=closing.get("close_filed", pd.NaT),
                )
            )
        if not parts:
            return cast("pd.DataFrame", pd.DataFrame())
        ev = pd.concat(parts, ignore_index=True).sort_values(["_row", "_event"], kind="stable")
        ev = ev.reset_index(drop=True)
        days, open_ = elapsed(ctx, ev["_start"], ev["_end"])
        evidence = timing_evidence(
            ctx,
            ev["label"] + ev["_event"],
            ev["_start"],
            ev["_end"],
            days,
            np.full(len(ev), rules.filing_limit),
            received="发生",
            done="备案",
        )
        return evidence_rows(
            ev["unit"],
            key,
            days,
            text=np.where(open_, "未备案", ""),
            evidence=evidence,
            source=ev["_source"],
        )

    @staticmethod
    def _accounts(
        reg: pd.DataFrame, rules: Rules, ctx: CollectContext, settings: NewMediaSettings, key: str
    ) -> pd.DataFrame:
        day = pd.Timestamp(rules.day)
        live = reg.loc[
            ~reg["_skip"].to_numpy(bool)
            & (reg["opened"] <= day).to_numpy()
            & (reg["closed"].isna() | (reg["closed"] > day)).to_numpy()
        ]
        n = per_unit(ctx, live["unit"])
        names = live.groupby("unit")["label"].agg("、".join).reindex(list(ctx.units), fill_value="")
        when = rules.day.isoformat()
        evidence = np.where(
            n > 0,
            f"{when} 在运行的政务新媒体账号 "
            + pd.Series(n).astype(str)
            + " 个："
            + names.to_numpy(dtype=str),
            f"{when} 无在运行的政务新媒体账号",
        )
        return evidence_rows(
            list(ctx.units),
            key,
            n.astype(float),
            evidence=evidence,
            source=settings.register.file if settings.register else "",
        )
