"""The DOCX package written with fixed entry times, long table bodies streamed in.

A notice's attachment can list 40,000 units; as an lxml tree its rows took
gigabytes inside libxml2.  So a long table keeps only its properties and
header row in the python-docx document, followed by a processing instruction
``<?zwgk-rows N?>``; the body rows stay a generator of ``w:tr`` strings
(:class:`TableBodies`) and :func:`write_package` writes ``word/document.xml``
with each placeholder replaced by those rows, made, serialized and streamed
into the zip a chunk at a time.

Each chunk is parsed with python-docx's parser and serialized by lxml, the
same way the rows would serialize inside the document (the ``w`` namespace is
declared on the root, never on a row), so the bytes equal those of the
whole-tree document.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree  # type: ignore[import-untyped]

#: fixed zip entry time: the same Markdown gives the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DOCUMENT = "word/document.xml"
PI_TARGET = "zwgk-rows"
#: rows parsed and serialized at a time (a few MB of XML)
CHUNK_ROWS = 500
_OPEN = f"<w:tbl {nsdecls('w')}>"


def placeholder_bytes(key: int) -> bytes:
    """How the placeholder of body ``key`` serializes in ``word/document.xml``."""
    return f"<?{PI_TARGET} {key}?>".encode()


class TableBodies:
    """Table bodies still to be made, each standing in the document as a placeholder."""

    def __init__(self) -> None:
        self.rows: dict[int, Iterable[str]] = {}

    def add(self, rows: Iterable[str]) -> Any:
        """Keep the ``w:tr`` strings ``rows``; the placeholder element to put after the header.

        ``rows`` may be a generator: it is consumed while saving, :data:`CHUNK_ROWS`
        at a time, so only one chunk's strings, tree and bytes are alive at once.
        """
        key = len(self.rows)
        self.rows[key] = rows
        return etree.ProcessingInstruction(PI_TARGET, str(key))

    def chunks(self, key: int) -> Iterator[bytes]:
        """Body ``key`` serialized, a chunk at a time (consumes its rows)."""
        close = len(b"</w:tbl>")
        it = iter(self.rows.pop(key))
        while chunk := list(itertools.islice(it, CHUNK_ROWS)):
            tbl = parse_xml(_OPEN + "".join(chunk) + "</w:tbl>")
            data = etree.tostring(tbl, encoding="UTF-8", xml_declaration=False)
            # the children only: what follows the wrapper's start tag, up to its end tag
            yield data[data.index(b">") + 1 : -close]


def _document_parts(data: bytes, bodies: TableBodies) -> Iterable[bytes]:
    rest = data
    for key in sorted(bodies.rows):
        mark = placeholder_bytes(key)
        head, found, rest = rest.partition(mark)
        if not found:
            raise ValueError(f"{DOCUMENT} 中缺少表格占位 {mark.decode()}")
        yield head
        yield from bodies.chunks(key)
    yield rest


def package_entries(package: Any) -> list[tuple[str, bytes]]:
    """The entries python-docx's ``save`` of ``package`` writes, in its order, not zipped.

    The same parts and bytes as ``Document.save``, without deflating them into a zip
    that :func:`write_package` would read back and deflate again (the larger half of a
    notice's compression time).
    """
    parts = package.parts
    for part in parts:
        part.before_marshal()
    entries: list[tuple[str, bytes]] = []

    class _Entries:  # what python-docx's package writer asks of its zip writer
        @staticmethod
        def write(pack_uri: Any, blob: bytes) -> None:
            entries.append((pack_uri.membername, blob))

    # its steps, as its write() calls them, each given this writer instead of a zip file
    steps: Any = PackageWriter
    writer = _Entries()
    steps._write_content_types_stream(writer, parts)
    steps._write_pkg_rels(writer, package.rels)
    steps._write_parts(writer, parts)
    return entries


def write_package(entries: Iterable[tuple[str, bytes]], bodies: TableBodies | None = None) -> bytes:
    """The package of ``entries`` (:func:`package_entries`) with fixed entry times, same order.

    Every entry is deflated with entry time :data:`ZIP_TIME` and mode 0600; in
    ``word/document.xml`` each placeholder of ``bodies`` is replaced by its rows.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in entries:
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            if name == DOCUMENT and bodies is not None and bodies.rows:
                with dst.open(zi, "w") as f:
                    for part in _document_parts(content, bodies):
                        f.write(part)
            else:
                dst.writestr(zi, content)
    return out.getvalue()
