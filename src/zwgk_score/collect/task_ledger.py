"""Annual task ledger (工作任务台账): tasks completed by their deadline or late."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd

from zwgk_score.collect.base import STATUS_NA, CollectContext, evidence_rows
from zwgk_score.collect.settings import TableSettings, declared_settings
from zwgk_score.collect.tables import (
    Column,
    Records,
    check_calendar,
    check_unique,
    collected,
    config_error,
    data_keys,
    fmt_dates,
    load_records,
    parse_dates,
    per_unit,
    workdays,
)
from zwgk_score.structure import MAX_YEAR, MIN_YEAR

#: The ledger's canonical columns (规范列名) and default headers.
TASK_LEDGER_COLUMNS = (
    Column("unit", "责任单位", multi=True, label="责任单位"),
    Column("task", "任务编号", label="任务编号"),
    Column("name", "任务名称", required=False, blank_ok=True, label="任务名称"),
    Column("deadline", "完成时限", label="完成时限"),
    Column("completed", "完成时间", "date", blank_ok=True, label="完成时间"),
)
DEFAULT_KEYS = {"late": "task_late", "on_time": "task_on_time"}

#: Deadlines written as words (时限用语), e.g. ``2024年10月中旬``, ``5月底``, ``年底``.
_MONTH = r"^(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<part>上旬|中旬|下旬|底|末|份)?$"
# 「年内」「到年底」「今年年底前」(聊城 2018) are the same year end
_YEAR_END = r"^(?:(?P<y>\d{4})年|今年|到)?(?:年底|年末|底|末|全年|年内)$"
_ONGOING = ("持续推进", "持续", "长期", "长期坚持", "常态化")
_PART_DAY = {"上旬": 10, "中旬": 20}


def parse_deadlines(records: Records, text: pd.Series, year: int) -> tuple[pd.Series, np.ndarray]:
    """Parse 完成时限 cells (vectorised).

    Dates as in :func:`parse_dates`; ``M月上旬`` → the 10th, ``M月中旬`` → the
    20th, ``M月下旬/底/末`` and ``M月`` → the month's last day, ``年底`` → 31
    December (the year is the assessment year unless written); a trailing
    ``前`` (``2022年底前``, ``5月底前``) is ignored; ``年内``, ``到年底`` and
    ``今年年底前`` are the year end too; ``持续推进``,
    ``长期`` and ``常态化`` are ongoing tasks without a deadline.

    Returns:
        ``(deadline, ongoing)``; ``deadline`` is NaT for ongoing tasks.

    Raises:
        DataError: a deadline in none of these forms.
    """
    # plans write "2022年底前" / "10月底前" / "2024年10月中旬前": "前" adds nothing to the date
    text = text.str.replace(r"(?<=[旬底末月份年])前$", "", regex=True)
    parsed = parse_dates(text)
    month = text.str.extract(_MONTH)
    has_month = month["m"].notna().to_numpy()
    y = pd.to_numeric(month["y"], errors="coerce").fillna(year).astype("int64")
    m = pd.to_numeric(month["m"], errors="coerce").fillna(1).clip(1, 12).astype("int64")
    start = pd.to_datetime(pd.DataFrame({"year": y, "month": m, "day": 1}))
    end = start + pd.offsets.MonthEnd(0)
    day = month["part"].map(_PART_DAY)
    from_month = end.where(day.isna(), start + pd.to_timedelta(day.fillna(1) - 1, unit="D"))
    bad_month = has_month & ~pd.to_numeric(month["m"], errors="coerce").between(1, 12).to_numpy()
    year_end = text.str.extract(_YEAR_END)
    has_year_end = text.str.fullmatch(_YEAR_END).to_numpy()
    ye = pd.to_datetime(
        pd.DataFrame(
            {
                "year": pd.to_numeric(year_end["y"], errors="coerce").fillna(year).astype("int64"),
                "month": 12,
                "day": 31,
            }
        )
    )
    ongoing = text.isin(_ONGOING).to_numpy()
    deadline = parsed.where(parsed.notna(), from_month.where(has_month, ye.where(has_year_end)))
    bad = (deadline.isna().to_numpy() & ~ongoing) | bad_month
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise records.error(
            i,
            "deadline",
            f"无法识别的完成时限「{text.iat[i]}」",
            hint="写成日期（2024-10-20）、「10月中旬」「5月底」「年底」，或「持续推进」",
        )
    return deadline.where(~ongoing), ongoing


_QIAN = re.compile(r"(?<=[旬底末月份年])前$")
_MONTH_RE = re.compile(_MONTH)
_YEAR_END_RE = re.compile(_YEAR_END)
#: a whole date as :func:`parse_dates` reads it (``2023-09-30``, ``2023/9/30``, ``2023年9月30日``)
_YMD = re.compile(r"(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})(?:\s*日)?")


def deadline_of(text: str, year: int) -> tuple[dt.date | None, bool] | None:
    """One 完成时限 read as :func:`parse_deadlines` reads it, for the forms plans write.

    ``(date, ongoing)``: ``(None, True)`` for an ongoing task, ``(None, False)``
    for a month that does not exist (``13月底``, which :func:`parse_deadlines`
    refuses).  ``None`` when the text is in no form read here (an Excel serial,
    a date with a time, surrounding spaces, digits other than ASCII, a year
    outside :data:`MIN_YEAR`–:data:`MAX_YEAR`, anything it refuses): ask
    :func:`parse_deadlines`.  The rubric check asks for a leaf's due date
    before anything is collected, one expression at a time, where the
    vectorised parser costs ~5 ms a call (~30 ms the first time in a process);
    ``tests/test_collect_task_ledger.py`` checks that both agree on any text.
    """
    if text != text.strip() or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if any(c.isdigit() and not c.isascii() for c in text):  # ２０２３年: pandas decides
        return None
    text = _QIAN.sub("", text)
    if text in _ONGOING:
        return None, True
    m = _YMD.fullmatch(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        try:
            return dt.date(y, mo, d), False
        except ValueError:  # 2023-02-30: what pandas makes of it is its own business
            return None
    m = _MONTH_RE.fullmatch(text)
    if m:
        y = int(m["y"]) if m["y"] else year
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        mo = int(m["m"])
        if not 1 <= mo <= 12:
            return None, False
        day = _PART_DAY.get(m["part"] or "", calendar.monthrange(y, mo)[1])
        return dt.date(y, mo, day), False
    m = _YEAR_END_RE.fullmatch(text)
    if m:
        y = int(m["y"]) if m["y"] else year
        return (dt.date(y, 12, 31), False) if MIN_YEAR <= y <= MAX_YEAR else None
    return None


def check_tasks(
    records: Records, tasks: Iterable[str], ctx: CollectContext, path: str, file: str
) -> None:
    """Refuse a task number of the config (``dated``, ``not_late``) that the ledger does not have.

    Raises:
        ConfigError: at ``path``, naming the ledger ``file`` and the task number.
    """
    known = dict.fromkeys(records.frame["task"])
    for task in tasks:
        if task not in known:
            listed = "、".join(list(known)[:10]) + ("等" if len(known) > 10 else "")
            raise config_error(
                ctx,
                path,
                f"任务台账 {file} 中没有任务编号「{task}」",
                hint=f"按台账的任务编号填写（台账中有：{listed}）",
            )


@attrs.frozen(kw_only=True)
class TaskLedgerSettings(TableSettings):
    """Settings of ``task_ledger``: the table settings plus the tasks scored apart.

    Attributes:
        dated: ``{任务编号 = "数据键"}``: tasks with their own ``deadline`` leaf;
            each gets one row per roster unit under its data key (the unit's
            完成时间 as ``text``, ``na`` where the ledger does not name the unit)
            and is left out of ``late`` and ``on_time``.
        not_late: task numbers scored by another indicator: left out of
            ``late`` and ``on_time``, no row of their own.
    """

    dated: dict[str, str] = attrs.field(factory=dict)
    not_late: list[str] = attrs.field(factory=list)


class TaskLedgerCollector:
    """Collector ``task_ledger`` (工作任务台账): the annual plan's tasks and their completion.

    A cell naming several responsible units (``市发改委、市财政局``) makes the
    task count for each.  The ledger is read as it stands at the close of the
    inspection date (``period_end``): a task is *due* when its deadline is on
    or before that date or it is completed; it is *late* when completed after
    its deadline or still open with its deadline reached.  A task due on the
    inspection day itself and still open is late — 年底前 means done by the
    end of 12-31, and the year-end check reads the ledger at that end, as the
    ``deadline`` method scores an uncompleted task 0 — but its evidence says
    so (时限当日检查时仍未完成) instead of "逾期 0 天".
    Ongoing tasks (持续推进) are never due.

    Emits:

    - ``late``: one row (value 1) per late task, evidence with the days late
      in calendar days and working days;
    - ``on_time``: one row per roster unit, value = on-time ÷ due tasks
      (status ``na`` when the unit has no due task);
    - for each ``dated`` task (任务编号 → data key): one row per roster unit
      under the task's key, ``text`` = the unit's 完成时间 (blank while open)
      for a ``deadline`` leaf, status ``na`` where the ledger does not name the
      unit for the task.

    Tasks in ``dated`` or ``not_late`` are left out of ``late`` and
    ``on_time``: no task costs points twice.

    A region's variant presets its headers and keys through the class
    attributes (a subclass with ``name``, ``preset_columns``,
    ``default_keys``; ``settings_type`` for settings of its own, structured
    and checked like these) and may override :meth:`dated_tasks` and
    :meth:`dated_label`.

    Class attributes:
        settings_type: the attrs class the ``[collectors.<name>]`` table is
            structured into (a subclass of :class:`TaskLedgerSettings`).
        preset_columns: ``{规范列名: 表头}`` preset by a region; the config's
            ``columns`` override them one column at a time.
        default_keys: the roles emitted (under these keys) when the config
            gives no ``keys``; the config's ``keys`` replace them as a whole.
        deadline_label: how a dated row's evidence names the deadline (``时限``).
        unnamed_evidence: the evidence of a dated task's ``na`` rows.
    """

    name: ClassVar[str] = "task_ledger"
    settings_type: ClassVar[type[TaskLedgerSettings]] = TaskLedgerSettings
    preset_columns: ClassVar[dict[str, str]] = {}
    default_keys: ClassVar[dict[str, str]] = DEFAULT_KEYS
    deadline_label: ClassVar[str] = "时限"
    unnamed_evidence: ClassVar[str] = "任务台账未列本单位为该任务的责任单位"

    def collect(self, settings: Mapping[str, Any] | Any, ctx: CollectContext) -> pd.DataFrame:
        """Read the ledger in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, self.settings_type, self.name, ctx)
        if self.preset_columns:
            settings = attrs.evolve(settings, columns={**self.preset_columns, **settings.columns})
        records = load_records(settings, ctx, TASK_LEDGER_COLUMNS, path=path)
        if settings.keys is None:
            keys = dict(self.default_keys)
        else:
            keys = data_keys(settings, DEFAULT_KEYS, path, ctx)
        check_unique(records, ["unit", "task"], "任务编号")
        f = records.frame
        deadline, ongoing = parse_deadlines(records, f["deadline"], ctx.year)
        check_calendar(records, ctx, ["deadline", "completed"], f.assign(deadline=deadline))
        dated = self.dated_tasks(settings, records, ctx)
        check_tasks(records, settings.not_late, ctx, f"{path}.not_late", settings.file)
        apart = f["task"].isin([*dated, *settings.not_late]).to_numpy()
        done = f["completed"].notna().to_numpy()
        inspect = pd.Timestamp(ctx.period_end)
        stop = f["completed"].where(done, inspect)
        passed = (deadline <= inspect).to_numpy()
        late = ~apart & ~ongoing & np.where(done, (f["completed"] > deadline).to_numpy(), passed)
        due = ~apart & ~ongoing & (done | passed)
        on_time = due & ~late

        label = "任务 " + f["task"]
        if "name" in f.columns:
            label = label + pd.Series(
                np.where(f["name"] != "", "「" + f["name"] + "」", ""), dtype=object
            )
        frames = []
        if "late" in keys:
            dl, end = deadline[late], stop[late]
            calendar_days = (end - dl).dt.days.astype("int64").astype(str)
            work_days = pd.Series(workdays(ctx, dl, end), index=dl.index).astype(str)
            state = pd.Series(
                np.where(
                    done[late],
                    fmt_dates(end) + " 完成",
                    f"截至 {ctx.period_end.isoformat()} 未完成",
                ),
                index=dl.index,
                dtype=object,
            )
            overdue = "，逾期 " + calendar_days + " 天（" + work_days + " 个工作日）"
            # due on the inspection day itself and still open: late (the ledger is read at the
            # close of period_end), but no day has passed yet — never "逾期 0 天"
            on_the_day = (end == dl).to_numpy()
            evidence = (
                label[late]
                + "：完成时限 "
                + fmt_dates(dl)
                + "，"
                + state
                + overdue.where(~on_the_day, "（时限当日检查时仍未完成，按逾期计）")
            )
            frames.append(
                evidence_rows(
                    f["unit"][late],
                    keys["late"],
                    1.0,
                    text=np.where(done[late], "逾期完成", "未完成"),
                    evidence=evidence,
                    source=f["_source"][late],
                )
            )
        if "on_time" in keys:
            counted = ~apart
            frames.append(
                self._on_time(
                    ctx,
                    f["unit"][counted],
                    due[counted],
                    on_time[counted],
                    ongoing[counted],
                    keys["on_time"],
                    settings.file,
                )
            )
        if dated:
            frames.append(self._dated_rows(f, ctx, dated, settings.file))
        return collected(frames)

    def dated_tasks(
        self, settings: TaskLedgerSettings, records: Records, ctx: CollectContext
    ) -> dict[str, str]:
        """Task number → data key of the tasks with their own deadline leaf (``dated``).

        Raises:
            ConfigError: a data key is blank, or a task number is not in the ledger.
        """
        path = f"collectors.{self.name}.dated"
        for task, key in settings.dated.items():
            if not key.strip():
                raise config_error(
                    ctx,
                    f"{path}.{task}",
                    f"任务「{task}」的数据键为空",
                    hint='写成 任务编号 = "数据键"，如 dated = { RW02 = "a11y_retrofit" }',
                )
        check_tasks(records, settings.dated, ctx, path, settings.file)
        return dict(settings.dated)

    def dated_label(self, f: pd.DataFrame) -> pd.Series:
        """How a dated row's evidence names its task: ``任务台账 RW02「适老化改造」``."""
        title = f["name"] if "name" in f.columns else pd.Series("", index=f.index, dtype=object)
        return "任务台账 " + f["task"] + "「" + title + "」"

    def _dated_rows(
        self, f: pd.DataFrame, ctx: CollectContext, dated: Mapping[str, str], file: str
    ) -> pd.DataFrame:
        """Per dated task and roster unit: its completion date, or ``na`` when not named."""
        f = f[f["task"].isin(list(dated)).to_numpy()]
        done = f["completed"].notna().to_numpy()
        state = pd.Series(
            np.where(done, fmt_dates(f["completed"]) + " 完成", "截至检查未完成"),
            index=f.index,
            dtype=object,
        )
        evidence = (
            self.dated_label(f) + "：" + state + f"（{self.deadline_label} " + f["deadline"] + "）"
        )
        keys = f["task"].map(dated)
        frames = [
            evidence_rows(
                f["unit"],
                keys,
                text=fmt_dates(f["completed"]),
                evidence=evidence,
                source=f["_source"],
            )
        ]
        named = set(zip(f["unit"], keys, strict=True))
        every = dict.fromkeys(dated.values())
        absent = [(u, k) for k in every for u in ctx.units if (u, k) not in named]
        if absent:
            frames.append(
                evidence_rows(
                    [u for u, _ in absent],
                    [k for _, k in absent],
                    status=STATUS_NA,
                    evidence=self.unnamed_evidence,
                    source=file,
                )
            )
        return collected(frames)

    @staticmethod
    def _on_time(
        ctx: CollectContext,
        units: pd.Series,
        due: np.ndarray,
        on_time: np.ndarray,
        ongoing: np.ndarray,
        key: str,
        source: str,
    ) -> pd.DataFrame:
        n_due, n_ok = per_unit(ctx, units, due), per_unit(ctx, units, on_time)
        n_all, n_ongoing = per_unit(ctx, units), per_unit(ctx, units, ongoing)
        rate = np.where(n_due > 0, n_ok / np.maximum(n_due, 1), np.nan)
        s = {
            k: pd.Series(v).astype(str)
            for k, v in {
                "all": n_all,
                "due": n_due,
                "ok": n_ok,
                "ongoing": n_ongoing,
                "later": n_all - n_due - n_ongoing,
            }.items()
        }
        evidence = (
            "任务 "
            + s["all"]
            + " 项，到期或已完成 "
            + s["due"]
            + " 项，按时完成 "
            + s["ok"]
            + " 项；未到期 "
            + s["later"]
            + " 项、持续推进 "
            + s["ongoing"]
            + " 项不计"
        )
        return evidence_rows(
            list(ctx.units),
            key,
            rate,
            status=np.where(n_due > 0, "ok", STATUS_NA),
            evidence=evidence,
            source=source,
        )


__all__ = [
    "TASK_LEDGER_COLUMNS",
    "TaskLedgerCollector",
    "TaskLedgerSettings",
    "check_tasks",
    "deadline_of",
    "parse_deadlines",
]
