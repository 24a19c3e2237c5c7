"""Read the notice Markdown into layout blocks, with markdown-it-py (CommonMark + GFM tables).

The Markdown is ordinary CommonMark; the layout roles a 公文 needs and
Markdown lacks are HTML comments placed before a paragraph (invisible when the
Markdown is displayed):

- ``<!-- masthead -->`` 发文机关标志, ``<!-- doc-number -->`` 发文字号,
  ``<!-- addressee -->`` 主送机关, ``<!-- attachment-note -->`` 附件说明,
  ``<!-- signature -->`` 署名和成文日期, ``<!-- colophon -->`` 版记;
- a thematic break ``---`` followed by ``<!-- attachment -->`` (or
  ``<!-- attachment landscape -->``) starts an attachment on a new page.

Headings: ``#`` the title (one), ``##`` 一、 (黑体), ``###`` （一） (楷体),
``####`` 1. (仿宋).  Inside an attachment ``##`` is its title and ``###`` a
sub-title.  A line ending in a backslash is a line break.  Anything else
(lists, quotes, code, links, images, raw HTML) cannot be laid out as a 公文
and raises :class:`MarkdownLayoutError` naming the line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

import attrs
from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token

from zwgk_score.errors import ConfigError

try:  # how the table rule trims a cell: markdown-it-py 4 strips CommonMark whitespace …
    from markdown_it.common.utils import mdTrim
except ImportError:  # … 3 strips with str.strip

    def mdTrim(string: str) -> str:  # noqa: N802  (markdown-it's name)
        return string.strip()


#: roles a comment may give the next paragraph
ROLES = ("masthead", "doc-number", "addressee", "attachment-note", "signature", "colophon")
#: roles whose lines are separate paragraphs
LINE_ROLES = ("masthead", "doc-number", "addressee", "attachment-note", "signature", "colophon")
#: div classes of the older ``::: name`` … ``:::`` form, still read for the feedback sheets
LINE_DIVS = ("addressee", "signature", "attachment-note", "colophon")
_COMMENT = re.compile(r"^<!--\s*([\w-]+)((?:\s+[\w-]+)*)\s*-->\s*$")
_INLINE_OK = {
    "text",
    "softbreak",
    "hardbreak",
    "strong_open",
    "strong_close",
    "em_open",
    "em_close",
    "code_inline",
}


class MarkdownLayoutError(ConfigError):
    """Markdown the 公文 renderer cannot lay out (a list, a link, unknown HTML …)."""


@attrs.frozen
class Block:
    """One block of the notice.

    Attributes:
        kind: title, h1, h2, h3, para, table, attachment, or a role
            (masthead, doc-number, addressee, attachment-note, signature, colophon).
        text: the text (title, headings, paragraphs).
        lines: one entry per line (line roles).
        rows: table cells, header row first (a long table's rows: :class:`TableRows`,
            read from the Markdown line by line as they are used).
        numeric: per table column, True when the column is right-aligned (numbers).
        children: blocks inside an attachment.
        landscape: an attachment laid out on landscape pages.
        line: the block's first line in the Markdown (1-based).
    """

    kind: str
    text: str = ""
    lines: tuple[str, ...] = ()
    rows: Sequence[tuple[str, ...]] = ()
    numeric: tuple[bool, ...] = ()
    children: tuple[Block, ...] = ()
    landscape: bool = False
    line: int = 0


def parser() -> MarkdownIt:
    """CommonMark with GFM tables; raw HTML allowed only so role comments parse as HTML blocks."""
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def _same(line: int) -> int:
    return line


def _inline_text(tok: Token, file: str | None, where: Callable[[int], int] = _same) -> str:
    out: list[str] = []
    for child in tok.children or []:
        if child.type not in _INLINE_OK:
            raise MarkdownLayoutError(
                f"通报中不能排版的 Markdown 行内元素：{child.type}",
                file=file,
                line=where(tok.map[0] + 1) if tok.map else None,
                hint="通报正文只用文字、换行（行末反斜杠）和表格；链接、图片、HTML 不能排成公文",
            )
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "softbreak":
            out.append("\n\x00")  # a soft break joins lines (CJK needs no space)
    return "".join(out)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in text.replace("\n\x00", "\n").split("\n") if s.strip())


def _joined(text: str) -> str:
    return text.replace("\n\x00", "").replace("\n", "")


def _reject(
    tok: Token, file: str | None, where: Callable[[int], int] = _same
) -> MarkdownLayoutError:
    names = {
        "bullet_list_open": "列表",
        "ordered_list_open": "编号列表",
        "blockquote_open": "引用",
        "code_block": "代码块",
        "fence": "代码块",
        "html_block": "HTML",
    }
    return MarkdownLayoutError(
        f"通报中不能排版的 Markdown：{names.get(tok.type, tok.type)}",
        file=file,
        line=where(tok.map[0] + 1) if tok.map else None,
        hint="通报只用标题（#、##、###）、段落、表格、分隔线（---，附件）和角色注释（如 <!-- signature -->）",
    )


def _table(tokens: list[Token], i: int, where: Callable[[int], int]) -> tuple[Block, int]:
    rows: list[tuple[str, ...]] = []
    numeric: list[bool] = []
    row: list[str] = []
    at = tokens[i].map
    line = where(at[0] + 1) if at else 0
    while tokens[i].type != "table_close":
        t = tokens[i]
        if t.type == "tr_open":
            row = []
        elif t.type in ("th_open",):
            numeric.append("text-align:right" in str(t.attrs.get("style", "")))
        elif t.type == "inline":
            row.append(_joined(_inline_text(t, None)))
        elif t.type == "tr_close":
            rows.append(tuple(row))
        i += 1
    return Block("table", rows=tuple(rows), numeric=tuple(numeric), line=line), i + 1


def _parse_tokens(text: str, file: str | None, where: Callable[[int], int] = _same) -> list[Block]:
    """Blocks of ``text`` from markdown-it's tokens; ``where`` maps a line of ``text`` to the
    line it reports (the Markdown's own when ``text`` lacks the long tables' rows)."""
    tokens = parser().parse(text)
    top: list[Block] = []
    current: list[Block] = top
    attachment: dict[str, object] | None = None
    role: str | None = None
    pending_hr = False

    def close_attachment() -> None:
        nonlocal attachment, current
        if attachment is not None:
            top.append(
                Block(
                    "attachment",
                    children=tuple(attachment["children"]),  # type: ignore[arg-type]
                    landscape=bool(attachment["landscape"]),
                    line=int(attachment["line"]),  # type: ignore[call-overload]
                )
            )
        attachment = None
        current = top

    i = 0
    while i < len(tokens):
        t = tokens[i]
        line = where(t.map[0] + 1) if t.map else 0
        if t.type == "html_block":
            m = _COMMENT.match(t.content.strip())
            if not m:
                raise _reject(t, file, where)
            name, flags = m[1], m[2].split()
            if name == "attachment":
                close_attachment()
                attachment = {"children": [], "landscape": "landscape" in flags, "line": line}
                current = attachment["children"]  # type: ignore[assignment]
            elif name in ROLES:
                if name == "colophon":
                    close_attachment()
                role = name
            else:
                raise _reject(t, file, where)
            pending_hr = False
            i += 1
            continue
        if t.type == "hr":
            pending_hr = True
            i += 1
            continue
        if pending_hr:
            # a plain thematic break (no role comment) also starts an attachment
            close_attachment()
            attachment = {"children": [], "landscape": False, "line": line}
            current = attachment["children"]  # type: ignore[assignment]
            pending_hr = False
        if t.type == "heading_open":
            level = int(t.tag[1])
            text_ = _joined(_inline_text(tokens[i + 1], file, where))
            kind = ("title", "h1", "h2", "h3", "h3", "h3")[level - 1]
            current.append(Block(kind, text=text_, line=line))
            role = None
            i += 3
            continue
        if t.type == "paragraph_open":
            raw = _inline_text(tokens[i + 1], file, where)
            lines = _lines(raw)
            if lines and lines[0].startswith(":::") and lines[-1] == ":::":
                kind = lines[0][3:].strip().strip("{}").lstrip(".").strip()
                current.append(Block(kind or "para", lines=lines[1:-1], line=line))
            elif role in LINE_ROLES:
                current.append(Block(role, lines=lines, line=line))
            else:
                current.append(Block("para", text=_joined(raw), line=line))
            role = None
            i += 3
            continue
        if t.type == "table_open":
            block, i = _table(tokens, i, where)
            current.append(block)
            role = None
            continue
        raise _reject(t, file, where)
    close_attachment()
    return top


def parse_blocks(text: str, *, file: str | None = None) -> list[Block]:
    """Blocks of ``text`` in order; attachments hold their blocks as children.

    A table of more than :data:`LAZY_ROWS` plain rows (the ranking of a national
    assessment lists 40,000 units) is not tokenised whole: markdown-it reads the
    Markdown without those rows, and the block's :class:`TableRows` splits them
    into cells when they are used.  The blocks are the same as from tokenising
    everything (``tests/test_mdblocks_lazy.py``).

    Raises:
        MarkdownLayoutError: Markdown that cannot be laid out as a 公文.
    """
    if "\r" in text or "\x00" in text:  # markdown-it normalises these: read it all
        return _parse_tokens(text, file)
    lines = text.split("\n")
    spans = _long_tables(lines)
    if not spans:
        return _parse_tokens(text, file)
    kept: list[str] = []
    # (first line of the shortened text, lines left out before it), in order
    shifts: list[tuple[int, int]] = [(1, 0)]
    start = 0
    for span in spans:
        kept.extend(lines[start : span.lo])
        start = span.hi
        shifts.append((len(kept) + 1, shifts[-1][1] + span.hi - span.lo))
    kept.extend(lines[start:])
    firsts = [f for f, _ in shifts]

    def where(line: int) -> int:
        return line + shifts[bisect.bisect_right(firsts, line) - 1][1]

    blocks = _parse_tokens("\n".join(kept), file, where)
    by_line = {span.header + 1: span for span in spans}
    found: set[int] = set()

    def fill(b: Block) -> Block:
        if b.kind == "attachment":
            return attrs.evolve(b, children=tuple(fill(c) for c in b.children))
        span = by_line.get(b.line)
        if b.kind != "table" or span is None or len(b.rows) < 2 or b.line in found:
            return b
        if len(b.rows[0]) != span.columns:
            return b
        found.add(b.line)
        rows = TableRows(b.rows[:2], lines[span.lo : span.hi], b.rows[2:])
        return attrs.evolve(b, rows=rows)

    out = [fill(b) for b in blocks]
    if len(found) != len(spans):  # not the tables they looked like (in a code block …)
        return _parse_tokens(text, file)
    return out


#: a table with more plain body rows than this is read without tokenising them (markdown-it
#: makes some twenty tokens a row: most of the time of reading a seed notice)
LAZY_ROWS = 8
#: characters an inline rule of markdown-it acts on (escapes, code, emphasis, links,
#: images, HTML, entities); a row without them and without control characters is plain
_ACTIVE = re.compile(r"[\\`*_\[\]!<>&~\x00-\x1f\x7f]")
_DELIMITER = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


@attrs.frozen
class _Span:
    """Body rows ``lo`` … ``hi - 1`` (0-based lines) of the table whose header is ``header``."""

    header: int
    lo: int
    hi: int
    columns: int


def _cells(line: str) -> list[str]:
    """The cells of a table row as markdown-it's table rule splits them (before trimming)."""
    text = mdTrim(line)
    # without a backslash no bar is escaped: markdown-it's split is a plain split
    columns = escapedSplit(text) if "\\" in text else text.split("|")
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    return columns


def _split(line: str) -> tuple[str, ...]:
    """A plain row's cells, trimmed as markdown-it trims them."""
    return tuple(mdTrim(c) for c in _cells(line))


def _plain_row(line: str, columns: int) -> bool:
    """True when ``line`` is a table row whose cells are plain text, ``columns`` of them.

    Such a row starts with ``|`` (no block rule can end the table there), holds no
    character an inline rule acts on, and has as many cells as the header (so the
    table rule's count of filled-in cells does not change when it is left out).
    """
    return line.startswith("|") and not _ACTIVE.search(line) and len(_cells(line)) == columns


def _long_tables(lines: Sequence[str]) -> list[_Span]:
    """Runs of more than :data:`LAZY_ROWS` plain rows in what look like tables.

    Each run keeps its first row in the text markdown-it reads (so the table there
    has the header, that row and the rows after the run), the others are left out.
    """
    spans: list[_Span] = []
    i, n = 0, len(lines)
    while i + 2 < n:
        if "|" not in lines[i] or not _DELIMITER.match(lines[i + 1]):
            i += 1
            continue
        columns = len(_cells(lines[i]))
        j = i + 2
        while j < n and _plain_row(lines[j], columns):
            j += 1
        if j - (i + 2) > LAZY_ROWS:
            spans.append(_Span(i, i + 3, j, columns))
        i = max(j, i + 1)
    return spans


class TableRows(Sequence[tuple[str, ...]]):
    """A long table's rows: those markdown-it read (header and first row, and any after
    the plain run) and the plain ones, split from their Markdown lines when asked for
    (a plain cell is its trimmed text)."""

    def __init__(
        self,
        head: Sequence[tuple[str, ...]],
        lines: Sequence[str],
        tail: Sequence[tuple[str, ...]] = (),
    ) -> None:
        self._head, self._lines, self._tail = tuple(head), lines, tuple(tail)

    def __len__(self) -> int:
        return len(self._head) + len(self._lines) + len(self._tail)

    @overload
    def __getitem__(self, k: int) -> tuple[str, ...]: ...
    @overload
    def __getitem__(self, k: slice) -> list[tuple[str, ...]]: ...
    def __getitem__(self, k: int | slice) -> Any:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        n = len(self)
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError(k)
        h, m = len(self._head), len(self._lines)
        if k < h:
            return self._head[k]
        if k < h + m:
            return _split(self._lines[k - h])
        return self._tail[k - h - m]

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        yield from self._head
        for line in self._lines:
            yield _split(line)
        yield from self._tail

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"TableRows({len(self)} rows)"


def check_layout(text: str, *, file: str | None = None, line_offset: int = 0) -> None:
    """Raise :class:`MarkdownLayoutError` when ``text`` holds Markdown a 公文 cannot show."""
    try:
        parse_blocks(text, file=file)
    except MarkdownLayoutError as exc:
        if line_offset and exc.line:
            raise MarkdownLayoutError(
                exc.message, file=file, line=exc.line + line_offset, hint=exc.hint
            ) from None
        raise


def split_cells(line: str) -> tuple[str, ...]:
    """Cells of one pipe-table row, read by markdown-it (``\\|`` is a literal bar)."""
    header = line if line.strip().startswith("|") else f"|{line}|"
    cols = max(1, len(re.findall(r"(?<!\\)(?:\\\\)*\|", header)) - 1)
    doc = header + "\n" + "|" + "---|" * cols + "\n"
    blocks = parse_blocks(doc)
    return blocks[0].rows[0] if blocks and blocks[0].rows else ()


def table_rows(blocks: Sequence[Block]) -> list[tuple[str, ...]]:
    """Every table row of ``blocks`` (attachments included), header rows too."""
    out: list[tuple[str, ...]] = []
    for b in blocks:
        out.extend(b.rows)
        out.extend(table_rows(b.children))
    return out
