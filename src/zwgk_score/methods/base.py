"""Scoring methods (评分方法): the contract and the registry.

A method turns one indicator's aggregated evidence for every unit at once
(:class:`LeafData`, arrays over units) into scores.  Methods are registered
through the plugin hook ``register_methods``; the built-in ones are a default
plugin like any other.

The contract (:class:`Method`) in one paragraph: a method declares its
``name``, Chinese ``title``, ``params_type`` (an attrs class the rubric's
``params`` are structured into), the :class:`InputKind` of its evidence (what
the engine reads from the rows: a number, a text choice, a list of items, or
any number of event rows) and its :class:`Role` (what the result means for the
total).  Every hook takes ``(params, points, …)`` in that order: ``params`` is
the structured ``params_type`` instance, ``points`` the indicator's points.
"""

from __future__ import annotations

import enum
import functools
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

import attrs
import numpy as np
import numpy.typing as npt

#: an array over units (or over evidence rows)
Array = npt.NDArray[Any]


class _Named(str, enum.Enum):
    """A str enum whose ``str()`` is its value (as ``enum.StrEnum`` from Python 3.11).

    Tables compare plain strings with members, and numpy / pandas convert a
    member through ``str()``: it must give ``"score"``, not ``"Role.SCORE"``.
    """

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Role(_Named):
    """What a method's result means for the total (指标性质)."""

    SCORE = "score"  #: points within the indicator tree
    BONUS = "bonus"  #: 加分, outside the tree, capped
    MAJOR = "major"  #: 重大扣分项, outside the tree, uncapped
    VETO = "veto"  #: 单项否决 (the score is a 0/1 flag)


# the historical names (tables compare the ``role`` column, plain strings, with these)
ROLE_SCORE = Role.SCORE
ROLE_BONUS = Role.BONUS
ROLE_MAJOR = Role.MAJOR
ROLE_VETO = Role.VETO


class InputKind(_Named):
    """What a method reads from its evidence rows; the engine validates and aggregates by it.

    * ``NUMBER``: exactly one row per unit, its ``value`` a number (binary, ratio, manual);
    * ``CHOICE``: exactly one row per unit, its ``text`` one of declared names (levels);
    * ``ITEMS``: exactly one row per unit, its ``text`` a ``;``-separated list of item ids
      (checklist);
    * ``EVENTS``: any number of rows per unit, each ``value`` a number (count, deduction…);
    * ``DATE``: exactly one row per unit, its ``text`` a date (or empty: not done) (deadline);
    * ``DATES``: any number of rows per unit, each ``text`` a date, e.g. a publication
      log (periodic).
    """

    NUMBER = "number"
    CHOICE = "choice"
    ITEMS = "items"
    EVENTS = "events"
    DATE = "date"
    DATES = "dates"

    @property
    def single(self) -> bool:
        """Exactly one row per unit (the row's value / text is the data)."""
        return self not in (InputKind.EVENTS, InputKind.DATES)

    @property
    def textual(self) -> bool:
        """The data is the row's ``text``; its ``value`` may be empty."""
        return self in (InputKind.CHOICE, InputKind.ITEMS, InputKind.DATE, InputKind.DATES)


@attrs.frozen
class LeafData:
    """Aggregated evidence for one indicator, one array element per unit.

    Attributes:
        n: number of evidence rows.
        total: sum of the rows' ``value``.
        value: the single row's value (NaN when there is none).
        text: the single row's text ("" when there is none).
        over: number of rows whose value exceeds the method's ``threshold``
            (e.g. items answered later than the limit).
        effect: sum of the rows' own effects (:meth:`Method.row_effect`), for
            methods whose rows carry different amounts (per-reason deductions,
            amount-valued deductions); None where the caller did not compute it.
        distinct: number of distinct keys (:meth:`Method.row_key`, ≥ 0) among the
            unit's rows, e.g. distinct months published; None for methods without keys.
        text_codes: where the engine has them, ``(texts, codes)``: the distinct texts (as
            ``text``'s dtype) and each unit's position among them (``texts[codes]`` is
            ``text``), so that a method can treat each distinct text once; None otherwise.
    """

    n: Array
    total: Array
    value: Array
    text: Array
    over: Array
    effect: Array | None = None
    distinct: Array | None = None
    text_codes: tuple[Array, Array] | None = None


@attrs.frozen
class Cell:
    """One unit's aggregates for one indicator, as :meth:`Method.describe` sees them.

    Attributes:
        score: the method's result for the unit (points, bonus, deduction or veto flag).
        n, total, value, text, over: the unit's entries of :class:`LeafData`.
        rows: the unit's evidence rows as (value, text), only when the method's
            :meth:`~Method.describe_rows` says it needs them (empty in dense input,
            which has no rows).
    """

    score: float
    n: int
    total: float
    value: float
    text: str
    over: int
    rows: tuple[tuple[float, str], ...] = ()


#: the fields of :class:`Cell` that :meth:`Method.describe_fields` may name (rows aside)
CELL_FIELDS = ("score", "n", "total", "value", "text", "over")


@attrs.frozen
class Cases:
    """Many cells of one indicator at once, for an optional ``describe_cases`` hook.

    A method may define ``describe_cases(params, points, cases) -> list[str] | None``
    next to :meth:`Method.describe`: the texts ``describe`` gives for each case, in
    order (None: have ``describe`` called per case).  The engine uses it only when
    ``describe`` and ``describe_cases`` are defined by the same class (a subclass
    that changes ``describe`` alone is described cell by cell) and the method
    needs no rows (:meth:`Method.describe_rows`).

    Attributes:
        score, n, total, value, text, over: one entry per case, as the
            :class:`Cell` fields (``n`` and ``over`` integers, ``text`` objects as
            the engine holds them, normally strings).
    """

    score: Array
    n: Array
    total: Array
    value: Array
    text: Array
    over: Array


P = TypeVar("P", contravariant=True)


@runtime_checkable
class Method(Protocol[P]):
    """The scoring-method protocol (评分方法协议).

    Implement it by subclassing (``class Pass60(Method[NoParams])``, or any
    built-in method) and registering an instance through ``register_methods``.

    Class attributes:
        name: the name rubrics use (``method = "…"``).
        title: Chinese title shown in explanations and tables.
        params_type: attrs class the rubric's ``params`` are structured into
            (unknown keys rejected).
        kind: the :class:`InputKind` of the evidence (default ``NUMBER``);
            ``CHOICE`` / ``ITEMS`` methods read the row's text, so plugins can
            add text-valued methods.
        role: the :class:`Role` of the result (default ``SCORE``).
        requires_rows: a unit with no row is missing data (``meta.missing``
            applies); ``False`` for events where no row means no occurrence.
        deducts: the rows only take points off (``row_effect`` ≤ 0): the method
            may be used in a deduction-only category (``deduct_only``), where a
            rule's score is the sum of its rows' effects.

    Hooks, all ``(params, points, …)``; only :meth:`score` is required.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    params_type: ClassVar[type]
    kind: ClassVar[InputKind] = InputKind.NUMBER
    role: ClassVar[Role] = Role.SCORE
    requires_rows: ClassVar[bool] = True
    deducts: ClassVar[bool] = False

    def check(self, params: P, points: float) -> list[tuple[str, str]]:
        """Semantic checks of the parameters: a list of (params key, Chinese message)."""
        return []

    def threshold(self, params: P) -> float | None:
        """A per-row threshold; rows above it are counted in ``LeafData.over``."""
        return None

    def row_key(self, params: P, values: Array, texts: Array) -> Array | None:
        """A key per row (integers; < 0 = not counted); the engine counts the distinct keys
        of each unit's rows into ``LeafData.distinct`` (e.g. the month of a publication)."""
        return None

    def check_value(self, params: P, points: float, values: Array, texts: Array) -> str | None:
        """Validate raw row values / texts; a Chinese message for the first bad one, else None.

        The engine has already rejected empty values of non-textual kinds.
        """
        return None

    def score(self, params: P, points: float, d: LeafData) -> Array:
        """Scores (or bonus / major deduction / veto flag, by role) for every unit."""
        ...

    def row_effect(self, params: P, points: float, values: Array, texts: Array) -> Array:
        """Each event row's own contribution in points (for traceability)."""
        return np.zeros(len(values))

    def describe_rows(self, params: P) -> bool:
        """Whether :meth:`describe` needs the unit's rows in ``Cell.rows`` (costs a grouping)."""
        return False

    def describe(self, params: P, points: float, cell: Cell) -> str:
        """失分原因 / 得分说明 for one unit, in Chinese ("" when there is nothing to say)."""
        return ""

    def describe_fields(self, params: P) -> tuple[str, ...] | None:
        """The :class:`Cell` fields :meth:`describe` reads (of :data:`CELL_FIELDS`), or None
        for all of them.

        The engine describes cells that agree on these fields (and on their rows, when
        :meth:`describe_rows` asks for them) once, so fewer fields mean fewer distinct
        cases to group and describe.  Used only when the class that defines it also
        defines :meth:`describe` (a subclass that changes ``describe`` alone is grouped
        on every field); a field ``describe`` reads but does not declare gives every cell
        of a case the text of its first cell.
        """
        return None


def fmt(x: float) -> str:
    """Format a number the way a notice does: 5, 2.5, 0.25 (no trailing zeros)."""
    if x != x:  # NaN
        return "—"
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def pct(x: float) -> str:
    """Format a ratio as a percentage with two decimals: 99.87%."""
    return f"{x * 100:.2f}%"


#: arrays shorter than this are formatted value by value (cheaper than building a table)
PCT_TABLE_MIN = 2_000


@functools.lru_cache(maxsize=32)
def _pct_table(before: str, after: str) -> Array:
    """``before + pct(k / 10000) + after`` for k = 0 … 10000 (object array, built once each)."""
    return np.array(
        [f"{before}{k // 100}.{k % 100:02d}%{after}" for k in range(10001)], dtype=object
    )


def pct_texts(x: Array, before: str = "", after: str = "") -> Array:
    """``before + pct(v) + after`` for each value ``v`` (object array of the same strings as
    formatting value by value).

    From :data:`PCT_TABLE_MIN` values on, a value whose percentage rounds
    unambiguously to a multiple of 0.01 in [0, 100] (every ratio with at most
    four decimals, for instance) is looked up in a table of the 10,001 texts
    (built once per ``before``/``after``, a few milliseconds); any other
    (negative, -0.0, NaN, infinite, above 1, or within 1e-9 of a rounding tie),
    and every value of a shorter array, is formatted by :func:`pct`.
    """
    x = np.asarray(x, dtype=float)
    out = np.empty(len(x), dtype=object)
    if not len(x):
        return out
    if len(x) < PCT_TABLE_MIN:
        out[:] = [f"{before}{pct(v)}{after}" for v in x.tolist()]
        return out
    with np.errstate(invalid="ignore", over="ignore"):
        y = x * 100.0  # the product pct formats
        t = y * 100.0
        k = np.rint(t)
        # |t - exact| <= 2**-53 * t < 1e-9 for t <= 10000: away from a tie, rint(t) is the
        # rounding of the exact value, which is what formatting with two decimals gives
        fine = (t >= 0) & (t <= 10000) & ~np.signbit(t) & (np.abs(np.abs(t - k) - 0.5) > 1e-9)
    out[fine] = _pct_table(before, after)[k[fine].astype(np.int64)]
    rest = np.flatnonzero(~fine)
    if len(rest):
        out[rest] = [f"{before}{pct(v)}{after}" for v in x[rest].tolist()]
    return out
