"""Parse the notice Markdown (the subset written by the notice templates) into blocks.

The subset is described in :mod:`zwgk_score.outputs.markdown`.  Inline
Markdown is not interpreted; backslash escapes are undone.
"""

from __future__ import annotations

import re

import attrs

from zwgk_score.outputs.markdown import md_unescape

#: div classes whose lines are separate paragraphs
LINE_DIVS = ("addressee", "signature", "attachment-note", "colophon")


@attrs.frozen
class Block:
    """One block of the notice.

    Attributes:
        kind: title, h1, h2, h3, para, table, or a div class (addressee, signature,
            attachment-note, attachment).
        text: the text (title, headings, paragraphs).
        lines: one entry per line (line divs).
        rows: table cells, header row first.
        children: blocks inside an ``attachment`` div.
    """

    kind: str
    text: str = ""
    lines: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    children: tuple[Block, ...] = ()


_HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def split_cells(line: str) -> tuple[str, ...]:
    """Cells of a pipe-table row; ``\\|`` is a literal bar inside a cell."""
    cells, cur, i = [], [], 0
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur.append(s[i : i + 2])
            i += 2
            continue
        if c == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    if "".join(cur).strip():
        cells.append("".join(cur))
    return tuple(md_unescape(c.strip()) for c in cells)


def parse_blocks(text: str) -> list[Block]:
    """Blocks of ``text`` in order."""
    lines = text.splitlines()
    blocks: list[Block] = []
    para: list[str] = []
    i = 0

    def flush() -> None:
        if para:
            blocks.append(Block("para", text=md_unescape("".join(s.strip() for s in para))))
            para.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(":::") and stripped != ":::":
            flush()
            kind = stripped[3:].strip().strip("{}").lstrip(".").strip()
            j = i + 1
            while j < len(lines) and lines[j].strip() != ":::":
                j += 1
            inner = lines[i + 1 : j]
            if kind in LINE_DIVS:
                blocks.append(
                    Block(kind, lines=tuple(md_unescape(s.strip()) for s in inner if s.strip()))
                )
            else:
                blocks.append(Block(kind, children=tuple(parse_blocks("\n".join(inner)))))
            i = j + 1
            continue
        if not stripped:
            flush()
        elif m := _HEADING.match(stripped):
            flush()
            kind = ("title", "h1", "h2", "h3")[len(m[1]) - 1]
            blocks.append(Block(kind, text=md_unescape(m[2].strip())))
        elif stripped.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                if not _SEPARATOR.match(lines[i].strip()):
                    rows.append(split_cells(lines[i]))
                i += 1
            blocks.append(Block("table", rows=tuple(rows)))
            continue
        else:
            para.append(line)
        i += 1
    flush()
    return blocks
