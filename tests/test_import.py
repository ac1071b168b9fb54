"""tools/import_seed.py: reproducible output, editor fields kept, the scan cleaned, bad input refused."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SOURCE = CONTENT / "source" / "赣府厅字〔2021〕8号.txt"
REGISTRY_FILES = ("leaders.yaml", "units.yaml", "statuses.yaml", "site.yaml")


def _load_importer():
    """The importer is a script, not a package: load it from its path."""
    spec = importlib.util.spec_from_file_location("import_seed", ROOT / "tools" / "import_seed.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_seed"] = module
    spec.loader.exec_module(module)
    return module


importer = _load_importer()
# Lines only editors write: a fresh import has none of them.
EDITORS_LINES = re.compile(rb"^(title|subjects): .*\n|^    searched: .*\n", re.M)


@pytest.fixture
def fresh_content(tmp_path) -> Path:
    """A content directory holding only what the importer reads: registries and source/."""
    target = tmp_path / "content"
    target.mkdir()
    for name in REGISTRY_FILES:
        shutil.copy(CONTENT / name, target / name)
    shutil.copytree(CONTENT / "source", target / "source")
    return target


@pytest.fixture
def full_content(tmp_path) -> Path:
    """A private copy of all of content/, generated files included."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def generated_files(content: Path) -> dict[str, bytes]:
    """Every file the importer owns, by path relative to the content directory."""
    files = {"sections.yaml": (content / "sections.yaml").read_bytes()}
    for path in sorted((content / "tasks").glob("*.yaml")):
        files[f"tasks/{path.name}"] = path.read_bytes()
    return files


def read_task(content: Path, name: str) -> dict:
    return yaml.safe_load((content / "tasks" / name).read_text(encoding="utf-8"))


# --- reproducibility ------------------------------------------------------------------------

def test_import_reproduces_committed_files_byte_for_byte(fresh_content):
    assert importer.main(["--content", str(fresh_content)]) == 0
    produced = generated_files(fresh_content)
    committed = generated_files(CONTENT)
    assert sorted(produced) == sorted(committed)
    # A fresh import has no editor fields: without the editors' title and subjects lines, only
    # the files that report progress may differ.
    different = {name for name in committed if produced[name] != EDITORS_LINES.sub(b"", committed[name])}
    assert different == {name for name in committed
                         if name.startswith("tasks/") and b"updates: []" not in committed[name]}
    assert all(b"\nsubjects: [" in committed[name] for name in committed if name.startswith("tasks/"))


def test_import_twice_writes_nothing_the_second_time(fresh_content, capsys):
    importer.main(["--content", str(fresh_content)])
    capsys.readouterr()
    assert importer.main(["--content", str(fresh_content)]) == 0
    assert "0 file(s) written" in capsys.readouterr().out


def test_command_line_check_reports_committed_files_up_to_date():
    result = subprocess.run([sys.executable, "tools/import_seed.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_check_mode_reports_a_stale_file_and_writes_nothing(full_content):
    path = full_content / "tasks" / "2-07.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("质量提升", "质量改进"), encoding="utf-8")
    before = path.read_bytes()
    assert importer.main(["--content", str(full_content), "--check"]) == 1
    assert path.read_bytes() == before


def test_explicit_source_option(fresh_content, tmp_path):
    elsewhere = tmp_path / "scan.txt"
    shutil.copy(SOURCE, elsewhere)
    (fresh_content / "source" / SOURCE.name).unlink()
    assert importer.main(["--content", str(fresh_content), "--source", str(elsewhere)]) == 0
    committed = generated_files(CONTENT)
    assert {name: text for name, text in generated_files(fresh_content).items()
            if b"updates: []" in committed[name]} == {
        name: EDITORS_LINES.sub(b"", text) for name, text in committed.items() if b"updates: []" in text}


def test_source_copy_is_the_unchanged_scan():
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert digest == "39e3988a41774ac59985cf78c7a1db47a0cb8ff4374022f99a531d25d31ee314"
    assert digest in (CONTENT / "source" / "README.md").read_text(encoding="utf-8")


# --- editor-owned fields survive a re-import ------------------------------------------------

def test_reimport_keeps_status_updates_and_actuals(full_content):
    path = full_content / "tasks" / "1-09.yaml"
    task = yaml.safe_load(path.read_text(encoding="utf-8"))
    task["status"] = "on_track"
    task["updates"] = [
        {"date": dt.date(2021, 6, 30), "status": "on_track",
         "note": "上半年新增瞪羚企业52家。\n第二行说明。", "source": "https://example.org/news/1"},
    ]
    task["targets"][1]["actual"] = 52
    task["targets"][1]["actual_date"] = dt.date(2021, 6, 30)
    task["text"] = "编辑误改了原文。"            # importer-owned: must come back
    task["leaders"] = ["殷美根"]                   # importer-owned: must come back
    task["subjects"] = ["talent", "innovation"]    # the editors' choice, not the committed one
    task["title"] = "培育独角兽和瞪羚企业"
    path.write_text(yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8")

    assert importer.main(["--content", str(full_content)]) == 0
    again = read_task(full_content, "1-09.yaml")
    original = read_task(CONTENT, "1-09.yaml")
    assert again["status"] == "on_track"
    assert again["updates"] == task["updates"]
    assert original["subjects"] != ["talent", "innovation"] and original["title"] != "培育独角兽和瞪羚企业"
    assert again["subjects"] == ["talent", "innovation"]
    assert again["title"] == "培育独角兽和瞪羚企业"
    assert again["targets"][1]["actual"] == 52
    assert again["targets"][1]["actual_date"] == dt.date(2021, 6, 30)
    assert again["targets"][0]["actual"] is None
    assert again["text"] == original["text"]
    assert again["leaders"] == ["罗小云"]
    # every other task is untouched
    others = {k: v for k, v in generated_files(full_content).items() if k != "tasks/1-09.yaml"}
    assert others == {k: v for k, v in generated_files(CONTENT).items() if k != "tasks/1-09.yaml"}


def test_reimported_file_with_updates_is_still_readable_yaml(full_content):
    path = full_content / "tasks" / "8-01.yaml"
    task = yaml.safe_load(path.read_text(encoding="utf-8"))
    task["status"] = "completed"
    task["updates"] = [{"date": dt.date(2021, 12, 20), "status": "completed", "note": "全年城镇新增就业40.1万人。"}]
    path.write_text(yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8")
    importer.main(["--content", str(full_content)])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 本文件由 tools/import_seed.py")
    assert yaml.safe_load(text)["updates"] == task["updates"]


def test_actuals_follow_a_target_by_position_when_its_label_changes(full_content):
    path = full_content / "tasks" / "3-01.yaml"
    task = yaml.safe_load(path.read_text(encoding="utf-8"))
    task["targets"][1]["label"] = "旧的名称"
    task["targets"][1]["actual"] = 9800
    path.write_text(yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8")
    importer.main(["--content", str(full_content)])
    again = read_task(full_content, "3-01.yaml")
    assert again["targets"][1]["label"] == "省大中型项目年度投资"
    assert again["targets"][1]["actual"] == 9800


def write_task(path: Path, task: dict) -> None:
    path.write_text(yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_renamed_target_with_another_value_stops_the_import_rather_than_move_its_actual(
        full_content, capsys):
    """Target 2 of 1-9 is 新增瞪羚企业 80家; an old target at its place with another label and
    another value is not the same target, and its actual must not land on 新增瞪羚企业."""
    path = full_content / "tasks" / "1-09.yaml"
    task = yaml.safe_load(path.read_text(encoding="utf-8"))
    task["targets"][1].update(label="旧的名称", target=75, actual=52, actual_date=dt.date(2021, 6, 30))
    write_task(path, task)
    before = path.read_bytes()
    assert importer.main(["--content", str(full_content)]) == 2
    error = capsys.readouterr().err
    assert "task 1-9" in error and "旧的名称" in error and "target 2" in error
    assert path.read_bytes() == before, "nothing is written"


def test_a_renamed_target_with_another_unit_stops_the_import(full_content):
    path = full_content / "tasks" / "1-09.yaml"
    task = yaml.safe_load(path.read_text(encoding="utf-8"))
    task["targets"][1].update(label="旧的名称", unit="个", actual=52)
    write_task(path, task)
    with pytest.raises(importer.SourceError, match="1-9.*旧的名称"):
        importer.generate(SOURCE, full_content)


def test_a_renamed_target_without_actuals_is_simply_regenerated(full_content):
    path = full_content / "tasks" / "1-09.yaml"
    task = yaml.safe_load(path.read_text(encoding="utf-8"))
    task["targets"][1].update(label="旧的名称", target=75)
    write_task(path, task)
    assert importer.main(["--content", str(full_content)]) == 0
    expected = read_task(CONTENT, "1-09.yaml")
    # The day a search for the old target found nothing does not carry over to the new one.
    assert expected["targets"][1].pop("searched")
    assert read_task(full_content, "1-09.yaml") == expected


def test_actuals_follow_their_label_when_the_targets_are_reordered(full_content):
    path = full_content / "tasks" / "1-09.yaml"
    task = yaml.safe_load(path.read_text(encoding="utf-8"))
    task["targets"][0]["actual"] = 6
    task["targets"][2]["actual"] = 900
    task["targets"].reverse()
    write_task(path, task)
    assert importer.main(["--content", str(full_content)]) == 0
    assert [t["actual"] for t in read_task(full_content, "1-09.yaml")["targets"]] == [6, None, 900]


def test_a_corrected_value_keeps_its_actual_by_label(full_content):
    path = full_content / "tasks" / "1-09.yaml"
    task = yaml.safe_load(path.read_text(encoding="utf-8"))
    task["targets"][1].update(target=70, actual=52)
    write_task(path, task)
    assert importer.main(["--content", str(full_content)]) == 0
    again = read_task(full_content, "1-09.yaml")["targets"]
    assert (again[1]["target"], again[1]["actual"]) == (80, 52)


def test_old_targets_sharing_a_label_are_told_apart_by_value():
    new = [{"label": "新增企业", "target": 10, "unit": "家", "actual": None, "actual_date": None},
           {"label": "新增企业", "target": 80, "unit": "家", "actual": None, "actual_date": None}]
    old = {"targets": [{"label": "新增企业", "target": 80, "unit": "家", "actual": 52, "actual_date": None},
                       {"label": "新增企业", "target": 10, "unit": "家", "actual": 7, "actual_date": None}]}
    kept = importer.keep_editor_fields({"id": "9-9", "targets": new}, old)
    assert [(t["target"], t["actual"]) for t in kept["targets"]] == [(10, 7), (80, 52)]


def test_old_targets_sharing_a_label_that_match_nothing_stop_the_import():
    new = [{"label": "新增企业", "target": 10, "unit": "家", "actual": None, "actual_date": None},
           {"label": "新增企业", "target": 20, "unit": "家", "actual": None, "actual_date": None}]
    old = {"targets": [{"label": "新增企业", "target": 15, "unit": "家", "actual": 52, "actual_date": None},
                       {"label": "新增企业", "target": 25, "unit": "个", "actual": 7, "actual_date": None}]}
    with pytest.raises(importer.SourceError, match="task 9-9: target 1 “新增企业”"):
        importer.keep_editor_fields({"id": "9-9", "targets": new}, old)


@pytest.mark.parametrize("text", ["- id: 2-7\n  status: on_track\n", "just a sentence\n", "42\n"])
def test_an_existing_file_that_is_not_a_mapping_stops_the_import(full_content, capsys, text):
    path = full_content / "tasks" / "2-07.yaml"
    path.write_text(text, encoding="utf-8")
    assert importer.main(["--content", str(full_content)]) == 2
    assert path.read_text(encoding="utf-8") == text
    error = capsys.readouterr().err
    assert "2-07.yaml" in error and "not a mapping" in error


def test_new_tasks_start_no_information_with_no_deadline(fresh_content):
    importer.main(["--content", str(fresh_content)])
    for path in (fresh_content / "tasks").glob("*.yaml"):
        task = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert task["status"] == "no_information"
        assert "deadline" not in task, "the document sets none"
        assert task["updates"] == []
        assert all(t.get("actual") is None and t.get("achieved") is None for t in task["targets"])


# --- refusing bad input ---------------------------------------------------------------------

def test_broken_existing_task_file_stops_the_import(full_content, capsys):
    path = full_content / "tasks" / "2-07.yaml"
    path.write_text("status: [unclosed\n", encoding="utf-8")
    assert importer.main(["--content", str(full_content)]) == 2
    assert path.read_text(encoding="utf-8") == "status: [unclosed\n"
    assert "2-07.yaml" in capsys.readouterr().err


def test_correction_that_does_not_match_the_scan_stops_the_import(fresh_content, capsys):
    path = fresh_content / "source" / "corrections.yaml"
    corrections = yaml.safe_load(path.read_text(encoding="utf-8"))
    corrections.append({"task": "2-7", "field": "text", "original": "不存在的文字",
                        "corrected": "x", "why": "test"})
    path.write_text(yaml.safe_dump(corrections, allow_unicode=True), encoding="utf-8")
    assert importer.main(["--content", str(fresh_content)]) == 2
    assert "不存在的文字" in capsys.readouterr().err
    assert not (fresh_content / "tasks").exists()


def test_unit_missing_from_the_registry_stops_the_import(fresh_content, capsys):
    path = fresh_content / "units.yaml"
    units = [u for u in yaml.safe_load(path.read_text(encoding="utf-8")) if u["name"] != "省供销社"]
    path.write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")
    assert importer.main(["--content", str(fresh_content)]) == 2
    assert "省供销社" in capsys.readouterr().err


def test_task_count_must_match_the_declared_count(fresh_content, tmp_path):
    source = tmp_path / "short.txt"
    lines = SOURCE.read_text(encoding="utf-8").splitlines(keepends=True)
    source.write_text("".join(l for l in lines if not l.startswith("17. 实施“体育+”行动")), encoding="utf-8")
    with pytest.raises(importer.SourceError, match="section 3 declares 19"):
        importer.generate(source, fresh_content)


# --- the cleaning functions -----------------------------------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("力争 R&D 经费支出占 GDP 比重达 2% 左右。", "力争R&D经费支出占GDP比重达2%左右。"),
    ("开工中国(南昌)数字经济港, 赣州大数据产业园", "开工中国（南昌）数字经济港，赣州大数据产业园"),
    ("昌北机场 T2 航站楼 C 指廊工程", "昌北机场T2航站楼C指廊工程"),
    ("“03 专项”百万级应用 3 个以上", "“03专项”百万级应用3个以上"),
    ("建成“赣服通”4.0版", "建成“赣服通”4.0版"),
    ("江西12345政务服务热线", "江西12345政务服务热线"),
    ("木林森 LED 全产业链、康硕 3D 打印", "木林森LED全产业链、康硕3D打印"),
    ("达到Ⅱ类水质", "达到Ⅱ类水质"),
    ("各设区市人民政府,省政府各部门:", "各设区市人民政府，省政府各部门："),
    ("甲;乙", "甲；乙"),
    ("<u>省人力资源社会保障厅</u>", "省人力资源社会保障厅"),
])
def test_clean_text(raw, clean):
    assert importer.clean_text(raw) == clean


def test_split_names_rejoins_pieces_by_the_registry():
    leaders = importer.name_registry([{"name": n} for n in ["殷美根", "胡强", "陈小平", "吴浩"]])
    assert importer.split_names("殷美根 胡 强 陈小平 吴 浩", leaders, "leader", "8-40") == [
        "殷美根", "胡强", "陈小平", "吴浩"]
    units = importer.name_registry([
        {"name": "省人力资源社会保障厅", "aliases": ["省人力资源和社会保障厅"]},
        {"name": "省国土空间规划工作领导小组成员单位"},
        {"name": "各设区市政府"},
    ])
    assert importer.split_names("省国土空间规划 工作领导小组 成员单位", units, "unit", "6-1") == [
        "省国土空间规划工作领导小组成员单位"]
    assert importer.split_names("<u>省人力资源和社会保障厅</u> 各设区市政府", units, "unit", "x") == [
        "省人力资源社会保障厅", "各设区市政府"]
    with pytest.raises(importer.SourceError, match="省不存在厅"):
        importer.split_names("省不存在厅", units, "unit", "x")


def test_targets_comparators_and_non_targets():
    targets = importer.extract_targets("3-10", "社会消费品零售总额突破1.1万亿元。")
    assert [(t["target"], t["unit"], t["comparator"]) for t in targets] == [(1.1, "万亿元", "at_least")]
    targets = importer.extract_targets("x", "不低于60%按照规定，新增10家左右，增加5座以上。")
    assert [t["comparator"] for t in targets] == ["at_least", "about", "at_least"]
    assert importer.extract_targets("x", "实施第4期计划，建成4号线和T2航站楼，5G覆盖。") == []
    [milestone] = importer.extract_targets("x", "收入力争恢复到2019年水平。")
    assert milestone == {"label": "收入恢复到2019年水平", "kind": "milestone",
                         "achieved": None, "achieved_date": None}
    assert importer.extract_targets("x", "建成“赣服通”4.0版，整入12345热线，庆祝建党100周年。") == []


def test_a_number_that_is_neither_target_nor_known_exception_stops_the_import():
    with pytest.raises(importer.SourceError, match="7"):
        importer.extract_targets("x", "产值增长7倍。")


def test_label_heuristic_carries_the_list_verb():
    targets = importer.extract_targets("x", "引进人才100名、团队10个，完成50万亩造林、20万亩改造。")
    assert [t["label"] for t in targets] == ["引进人才", "引进团队", "完成造林", "完成改造"]
