"""Build the loop's forms and sheets for the render script: runs the worked example of docs/loop.md in DIR."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
target = Path(sys.argv[1])
target.mkdir(parents=True, exist_ok=True)
os.chdir(target)
os.environ["ZWGK_DOCS_ROOT"] = str(root)
doc = (root / "docs" / "loop.md").read_text(encoding="utf-8")
ns: dict[str, object] = {"__name__": "render_loop"}
with contextlib.redirect_stdout(sys.stderr):  # stdout lists the files to render
    for m in re.finditer(r"(<!-- no-run -->\s*)?```(\w+)\n(.*?)```", doc, re.S):
        if m.group(2) == "python" and not m.group(1):
            exec(compile(m.group(3), "docs/loop.md", "exec"), ns)  # noqa: S102 - our own docs
for name in (
    "发放/自评/自评表_郯城街道.xlsx",
    "发放/复核/复核表_乡镇街道复核组.xlsx",
    "发放/申诉/申诉表_杨集镇.xlsx",
    "报送/报送情况.xlsx",
    "out/申诉处理记录.xlsx",
    "整改/整改台账.xlsx",
):
    print(target / name)
