"""load_rubric: a file loaded again with the same bytes and methods is not parsed again."""

from __future__ import annotations

import pytest

from zwgk_score.errors import RubricError
from zwgk_score.plugins import get_methods
from zwgk_score.rubric import load_rubric

TITLE = 'title = "郯城县2023年度政务公开工作考核细则"'


def test_same_bytes_same_rubric_edited_file_read_again(root, tmp_path):
    path = tmp_path / "rubric.toml"
    source = (root / "rubrics" / "tancheng-2023.toml").read_text(encoding="utf-8")
    path.write_text(source, encoding="utf-8")
    first = load_rubric(path)
    assert load_rubric(path) is first
    assert load_rubric(path, methods=get_methods()) is first  # the default methods are these
    # the same bytes under another spelling of the path: a rubric naming that file
    other = load_rubric(str(path))
    assert other is not first and other.file == str(path)
    # an edit (same length, so a size or coarse mtime check could not tell) is read
    path.write_text(source.replace(TITLE, TITLE.replace("郯城县", "郯城市")), encoding="utf-8")
    edited = load_rubric(path)
    assert edited.meta.title == "郯城市2023年度政务公开工作考核细则"
    # other methods: parsed again with them
    assert load_rubric(path, methods=dict(get_methods())) is not edited


def test_errors_are_raised_every_time(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[meta\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RubricError):
            load_rubric(path)
    with pytest.raises(RubricError):
        load_rubric(tmp_path / "missing.toml")
