"""The wording of the pages and the feed built from the catalogue lives in templates/strings.yaml:
every entry the code asks for is there, every entry is asked for, and the code that makes the
pages, the feed and the editors' form holds no Chinese sentence of its own."""
from __future__ import annotations

import ast
import re
import shutil

import pytest

from catalogue.errors import ContentErrors
from catalogue.model import ASKED_STATES
from catalogue.pipeline import PROJECT_ROOT
from catalogue.strings import Strings
from catalogue.validate import CORRECTED_FIELDS

CODE = PROJECT_ROOT / "catalogue"
HAN = re.compile(r"[\u3400-\u9fff]")


def asked_for() -> set[str]:
    """The keys the code and the templates name: say("unit.intro", …), say.join(…, "clauses");
    and those they make from a vocabulary: asked.<state>, corrections.field.<field>."""
    keys = set()
    for path in CODE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'\bsay\(\s*"([a-z_.]+)"', text))
        keys |= set(re.findall(r'\bsay\.join\(.*?, "([a-z_]+)"\)', text))
        keys |= set(re.findall(r'self\("([a-z_.]+)"', text)) if path.name == "strings.py" else set()
    for path in (PROJECT_ROOT / "templates").rglob("*.html"):
        keys |= set(re.findall(r'\bsay\(\s*"([a-z_.]+)"\s*\)', path.read_text(encoding="utf-8")))
    keys |= {f"asked.{state}" for state in ASKED_STATES}
    keys |= {f"corrections.field.{field}" for field in CORRECTED_FIELDS}
    return keys


def test_every_entry_the_code_asks_for_is_written_and_every_entry_is_asked_for():
    entries = set(Strings.read(PROJECT_ROOT / "templates").entries)
    asked = asked_for() | {"list"}  # say.join's separator when none is named
    assert asked - entries == set(), "asked for, not in strings.yaml"
    assert entries - asked == set(), "in strings.yaml, asked for by nothing"


@pytest.mark.parametrize("module", ["pages.py", "templating.py", "render.py", "charts.py", "feed.py", "admin.py"])
def test_the_code_that_makes_the_pages_and_the_form_writes_no_chinese_of_its_own(module):
    """Only comments and docstrings may hold Chinese (as examples of what a function returns)."""
    tree = ast.parse((CODE / module).read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and id(node) not in docstrings and HAN.search(node.value)]
    assert found == []


def test_a_broken_strings_file_names_itself_and_the_line(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    path = templates / "strings.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  home: 首页\n", "  home: [首页]\n", 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        Strings.read(templates)
    (error,) = raised.value.errors
    line = text.splitlines().index("  home: 首页") + 1
    assert (error.file, error.line, error.field) == ("templates/strings.yaml", line, "crumb.home")


def test_the_editors_form_says_what_strings_yaml_says(tmp_path):
    """A hint or a pattern's message reworded in strings.yaml is what the form shows, with its
    values filled in; nothing of the form's wording stays behind in the code."""
    from catalogue.admin import cms_config, config_text
    from catalogue.pipeline import Paths, check
    from catalogue.validate import MAX_NOTE

    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    path = templates / "strings.yaml"
    text = path.read_text(encoding="utf-8")
    reworded = (text.replace("note_hint: 写清做了什么", "note_hint: 请写明做了什么", 1)
                .replace('note: "不超过 {limit} 字"', 'note: "最多 {limit} 个字"', 1))
    assert reworded.count("请写明") == 1 and reworded.count("最多 {limit} 个字") == 1
    path.write_text(reworded, encoding="utf-8")
    catalogue = check(Paths())
    before = config_text(cms_config(catalogue, Strings.read(PROJECT_ROOT / "templates"), "content")).decode("utf-8")
    after = config_text(cms_config(catalogue, Strings.read(templates), "content")).decode("utf-8")
    assert "写清做了什么" in before and "写清做了什么" not in after and "请写明做了什么" in after
    assert f"不超过 {MAX_NOTE} 字" in before and f"最多 {MAX_NOTE} 个字" in after
    assert after.count("请写明做了什么") == len(catalogue.plans)  # one updates field per plan's collection


def test_the_form_s_words_name_what_its_fields_and_patterns_hold(tmp_path):
    """The values the form's wording is filled with are the form's own: a one-line field's message
    names the length its pattern allows, the status hint the label of the updates field below it,
    and a plan's collection its issuer only where plan.yaml names one."""
    from catalogue.admin import cms_config
    from catalogue.pipeline import Paths, check
    from tiny_content import plans_beside_tiny

    catalogue = check(Paths(content=plans_beside_tiny(tmp_path)))
    say = Strings.read(PROJECT_ROOT / "templates")
    config = cms_config(catalogue, say, "content")

    def fields(specs):
        for spec in specs:
            yield spec
            yield from fields(spec.get("fields", []))
            for kind in spec.get("types", []):
                yield from fields(kind["fields"])

    lines = 0
    for collection, plan in zip(config["collections"], catalogue.plans):
        assert collection["label"] == (f"{plan.short_title}（{plan.issuer}）" if plan.issuer else plan.short_title)
        specs = list(fields(collection["fields"]))
        for spec in specs:
            pattern, message = spec.get("pattern", [None, ""])
            if spec["widget"] == "string" and "{0," in pattern:
                allowed = int(re.search(r"\{0,(\d+)\}", pattern).group(1)) + 2
                assert re.search(r"\d+", message).group() == str(allowed), (spec["name"], message)
                lines += 1
        status = next(spec for spec in specs if spec["name"] == "status")
        updates = next(spec for spec in specs if spec["name"] == "updates")
        assert f"“{updates['label']}”" in status["hint"]
    assert lines and {bool(plan.issuer) for plan in catalogue.plans} == {True, False}
