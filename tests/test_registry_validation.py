"""Mistakes a maintainer can make in the registries: each is reported with file, line and
field, and the build never gets as far as a traceback."""
from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.errors import ContentErrors
from catalogue.load import read_content
from catalogue.pipeline import Paths, check
from catalogue.validate import validate


def edit(content: Path, name: str, old: str, new: str) -> int:
    """Replace the first `old` in content/<name>; return the line the change starts on."""
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def errors_for(content: Path):
    return validate(read_content(content))


@pytest.mark.parametrize("registry, old, new, field, words", [
    ("units.yaml", "slug: development-reform", "slug: science-technology", "[2].slug",
     ("网址名“science-technology”与第", "repeats the one on line")),
    ("units.yaml", "kind: party_organ", "kind: party", "kind", ("未知的单位类别“party”", "party_organ")),
    ("units.yaml", "slug: science-technology", "slug: 科技厅", "[1].slug", ("只能用小写英文字母", "lower-case ASCII")),
    ("leaders.yaml", "slug: yi-lianhong", "slug: Yi Lianhong", "[1].slug", ("网址名“Yi Lianhong”",)),
    ("statuses.yaml", 'color: "#6b7280"', 'color: grey', "[1].color", ("#RRGGBB",)),
    ("site.yaml", "as_of: 2021-02-10", "base_url: https://gzbg.jx.test/2021\nas_of: 2021-02-10",
     "base_url", ("必须以“/”结尾", "must end with '/'")),
    ("site.yaml", "as_of: 2021-02-10", "as_of: 2021-02-30", "as_of", ("不是有效日期",)),
])
def test_a_registry_mistake_names_file_line_and_field(content_copy, registry, old, new, field, words):
    line = edit(content_copy, registry, old, new)
    errors = [e for e in errors_for(content_copy) if e.file == f"content/{registry}"]
    assert len(errors) == 1, errors
    error = errors[0]
    assert error.line == line
    assert error.field.endswith(field)
    message = error.format()
    for word in words:
        assert word in message


def test_a_collective_member_must_be_a_registered_unit(content_copy):
    edit(content_copy, "units.yaml", "members: [南昌市政府,", "members: [南昌县政府,")
    errors = errors_for(content_copy)
    assert any("未登记的单位“南昌县政府”" in e.zh and "南昌市政府" in e.hint_zh for e in errors)


def test_a_unit_name_may_not_repeat_another_units_alias(content_copy):
    edit(content_copy, "units.yaml", "- name: 省科技厅", "- name: 省人力资源和社会保障厅")
    errors = errors_for(content_copy)
    assert any(e.file == "content/units.yaml" and "重复" in e.zh for e in errors)


DEVELOPMENT_REFORM = "  short_names: [省发改委, 发改委]\n"


@pytest.mark.parametrize("old, new, field, words", [
    (DEVELOPMENT_REFORM, "  short_names: 发改委\n", "short_names", ("short_names 应为列表", "must be a list")),
    (DEVELOPMENT_REFORM, "  short_names: [省科技厅]\n", "short_names[1]", ("行的单位名称“省科技厅”", "already the unit name")),
    (DEVELOPMENT_REFORM, "  short_names: [省发改委, 省人力资源和社会保障厅]\n", "short_names[2]",
     ("已是第", "单位名称“省人力资源和社会保障厅”")),
    ("  short_names: [省卫健委, 卫健委, 省卫生厅, 卫生厅]\n", "  short_names: [省卫健委, 发改委]\n", "short_names[2]",
     ("与第", "的简称“发改委”重复", "names one unit")),
])
def test_a_short_name_names_one_unit_and_no_unit_by_its_name(content_copy, old, new, field, words):
    line = edit(content_copy, "units.yaml", old, new)
    errors = [e for e in errors_for(content_copy) if e.file == "content/units.yaml"]
    assert len(errors) == 1, errors
    assert errors[0].line == line and errors[0].field.endswith(field)
    for word in words:
        assert word in errors[0].format()


def test_a_broken_registry_stops_the_build_with_errors_not_a_traceback(content_copy):
    (content_copy / "leaders.yaml").write_text("- 罗小云\n- 孙菊生\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        check(Paths(content=content_copy))
    assert all(e.file == "content/leaders.yaml" for e in caught.value.errors)
    assert "应为“字段: 值”的映射" in caught.value.report()
