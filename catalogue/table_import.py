"""Import a plan from the table an office already has:
`python build.py import TABLE --plan ID [--government ID] [--columns ROLE=NAME,…] [--replace]`.

The table is read by table_layouts.py, in whichever layout the office uses. Leaders and units
belong to the plan's government. For a government the content knows, a name its registries lack
is never added nor merged with a near one: the report names it with its rows and the entries it
resembles, and registry-proposals.yaml beside the plan holds draft entries. For a government the
content has never seen, the import writes its registries (content/governments/<id>/) from the
table, every entry marked `reviewed: false` and near spellings inside it named, so that `check`
and the build work at once and a maintainer reviews.

Nothing is overwritten: the plan's folder must not exist, or be empty, unless `--replace` names
a plan this import made and nobody has edited since. The table is read through the reader, with
its limits; everything is checked and turned into files in memory, and the writer places each
new folder in one step at the end, so a failed import leaves nothing behind.
"""
from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ContentError, ContentErrors, UsageError
from .load import MAX_REGISTRY_BYTES, PLAN_ID, read_document
from .reader import Refused, Table, read_table, read_text
from .table_layouts import Report, Section, parse_columns, parse_table, text_rows
from .validate import MAX_TASK_NUMBER, expected_task_file, folded_name
from .write import place_new_folder

# --- registries --------------------------------------------------------------------------------

@dataclass
class Registries:
    """The names a government's registries hold, and where they are."""

    leaders: dict[str, dict]   # name -> entry
    units: dict[str, dict]     # name or alias -> entry
    kinds: dict[str, str]
    folder: str                # content/ or content/governments/<id>/, as the report shows it


def _read_yaml(path: Path, content: Path):
    """A content file's data, read as the build reads it (refused, naming the file and line, when
    it is hostile or broken); None when it is missing."""
    if not os.path.lexists(path):
        return None
    document = read_document(path, content, MAX_REGISTRY_BYTES)
    if isinstance(document, ContentError):
        raise ContentErrors([document])
    return document.data


def _named(data) -> list[dict]:
    """The entries of a registry that are mappings with a name; `check` names the others."""
    return [item for item in data if isinstance(item, dict) and isinstance(item.get("name"), str)] \
        if isinstance(data, list) else []


def read_registries(content: Path, government: str | None = None) -> Registries:
    """The names the first government's registries hold (the top of content/), or another's."""
    folder = content if not government else content / "governments" / government
    units = {}
    for unit in _named(_read_yaml(folder / "units.yaml", content)):
        aliases = unit.get("aliases") if isinstance(unit.get("aliases"), list) else []
        for name in [unit["name"], *(alias for alias in aliases if isinstance(alias, str))]:
            units[name] = unit
    settings = _read_yaml(folder / ("site.yaml" if not government else "government.yaml"), content)
    kinds = settings.get("unit_kinds") if isinstance(settings, dict) else None
    return Registries(leaders={l["name"]: l for l in _named(_read_yaml(folder / "leaders.yaml", content))},
                      units=units, kinds={k: v for k, v in kinds.items() if isinstance(v, str)} if isinstance(kinds, dict) else {},
                      folder="content/" if not government else f"content/governments/{government}/")


def fold_to_first_spelling(sections: list[Section], report: Report) -> None:
    """For a new government: names of the table that differ only in the form of their characters
    (ＶＲ and VR: equal after NFKC) are one name, written as the table first writes it."""
    for fields in (("leaders",), ("lead_units", "responsible_units")):
        first: dict[str, tuple[str, int]] = {}
        for section in sections:
            for task in section.tasks:
                for what in fields:
                    for index, name in enumerate(task[what]):
                        spelling, row = first.setdefault(folded_name(name), (name, task["row"]))
                        if spelling != name:
                            report.say(f"第 {task['row']} 行：“{name}”与第 {row} 行的“{spelling}”只是字符写法不同"
                                       f"（全角、半角或兼容字符），按“{spelling}”写入。")
                            task[what][index] = spelling


def fold_to_registered(sections: list[Section], registries: Registries, report: Report) -> None:
    """A name the registries hold in another form of the same characters (full-width letters,
    compatibility forms: equal after NFKC) is the registered name: written as registered, and
    said so, never proposed as a new one."""
    for fields, known in ((("leaders",), registries.leaders), (("lead_units", "responsible_units"), registries.units)):
        by_fold = {folded_name(name): name for name in known}
        for section in sections:
            for task in section.tasks:
                for what in fields:
                    for index, name in enumerate(task[what]):
                        registered = by_fold.get(folded_name(name))
                        if name not in known and registered is not None:
                            report.say(f"第 {task['row']} 行：“{name}”与登记的“{registered}”只是字符写法不同"
                                       f"（全角、半角或兼容字符），按“{registered}”写入。")
                            task[what][index] = registered


def check_numbering(sections: list[Section], table: Table) -> None:
    """Each section once, with no more tasks than a task number may count: an id repeated would
    make two tasks one file. Raise ContentErrors naming the rows, before anything is written."""
    errors = []
    seen: dict[int, int] = {}
    for section in sections:
        if section.number in seen:
            errors.append(table.error(section.row, None, f"篇章“{section.title}”的序号与第 {seen[section.number]} 行的篇章重复。",
                                      f"section {section.number} ('{section.title}') repeats the one on row "
                                      f"{seen[section.number]}.", "改正篇章序号。", "fix the section's numeral"))
        seen.setdefault(section.number, section.row)
        if len(section.tasks) > MAX_TASK_NUMBER:
            errors.append(table.error(section.row, None,
                                      f"篇章“{section.title}”有 {len(section.tasks)} 项任务，一个篇章最多 {MAX_TASK_NUMBER} 项。",
                                      f"section '{section.title}' has {len(section.tasks)} tasks; a section holds at most "
                                      f"{MAX_TASK_NUMBER}.", "检查篇章行是否遗漏，或把该篇章分为几个。",
                                      "look for a missing section row, or split the section"))
    if errors:
        raise ContentErrors(errors)


def first_status(content: Path) -> str:
    """The status new tasks start at: the first of the registry."""
    statuses = _read_yaml(content / "statuses.yaml", content)
    codes = [item["code"] for item in statuses if isinstance(item, dict) and isinstance(item.get("code"), str)] \
        if isinstance(statuses, list) else []
    if not codes:
        raise ContentErrors([ContentError("content/statuses.yaml", None, "", "状态登记表中没有状态，新任务无法取得初始状态。",
                                          "the status registry lists no status for the new tasks to start at.",
                                          "运行 python build.py check 查看该文件的问题。", "run python build.py check")])
    return codes[0]


class _PlainDumper(yaml.SafeDumper):
    """Writes a value used twice twice: the build refuses YAML aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=1000)


MIN_SIMILARITY = 0.6  # difflib's ratio from which a name is shown as resembling a registered one
LEVELS = "省市县区"  # 省发展改革委 and 市发展改革委 are two governments' units, however alike


def resembling(name: str, known: list[str], strict: bool = False) -> list[str]:
    """Names of the same level of government that contain the name, are contained in it, or are
    spelt nearly like it. `strict`, for names that are all new (a new government's registry,
    where 省财政厅 and 省商务厅 are plainly two): the same characters in another order
    (省农业农村厅, 省农村农业厅), or one character apart."""
    def same_level(other: str) -> bool:
        return other != name and not (name[0] in LEVELS and other[0] in LEVELS and name[0] != other[0])
    candidates = [k for k in known if same_level(k)]
    if strict:
        return [k for k in candidates if (sorted(k) == sorted(name) or _one_apart(k, name))][:3]
    near = [k for k in candidates if name in k or k in name]
    near += [k for k in difflib.get_close_matches(name, candidates, n=3, cutoff=MIN_SIMILARITY) if k not in near]
    return near[:3]


def _one_apart(a: str, b: str) -> bool:
    """One character changed, added or dropped, in names of three characters or more."""
    if min(len(a), len(b)) < 2 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


SLUG_LIMIT = 60


def _slug(name: str, person: bool, taken: set[str], fallback: str) -> str:
    """An address name in pinyin, unique in its registry: chen-lixin for a person (姓-名),
    sheng-fa-zhan-gai-ge-wei for a unit."""
    try:
        from pypinyin import lazy_pinyin
        syllables = [p.lower() for p in lazy_pinyin(name) if p.isascii() and p.isalnum()]
    except ImportError:  # the [import] extra is not installed
        syllables = []
    if person and len(syllables) > 1:
        slug = f"{syllables[0]}-{''.join(syllables[1:])}"
    else:
        slug = ""
        for syllable in syllables:
            if len(slug) + len(syllable) + 1 > SLUG_LIMIT - 4:
                break
            slug = f"{slug}-{syllable}" if slug else syllable
    slug = slug or fallback
    if not slug:
        return ""  # a proposal's address the pinyin cannot spell: the maintainer writes it, not "-2"
    unique, n = slug, 2
    while unique in taken:
        unique, n = f"{slug}-{n}", n + 1
    taken.add(unique)
    return unique


def _rows_of(sections: list[Section]) -> dict[tuple[str, str], list[int]]:
    """(leaders|units, name) -> the rows that name it, in the order names first appear."""
    rows: dict[tuple[str, str], list[int]] = {}
    for section in sections:
        for task in section.tasks:
            for role in ("leaders", "lead_units", "responsible_units"):
                for name in task[role]:
                    rows.setdefault(("leaders" if role == "leaders" else "units", name), []).append(
                        task["rows"].get((role, name), task["row"]))
    return rows


def _lines(rows: list[int]) -> str:
    return "、".join(str(r) for r in sorted(set(rows)))


def propose(sections: list[Section], registries: Registries, report: Report) -> dict:
    """For a government the content knows: report every name its registries lack, with its rows
    and the entries it resembles; return draft entries for registry-proposals.yaml."""
    rows = _rows_of(sections)
    proposals: dict[str, list] = {"leaders": [], "units": []}
    for what, label in (("leaders", "领导"), ("units", "单位")):
        known = registries.leaders if what == "leaders" else registries.units
        unknown = [(name, found) for (kind, name), found in rows.items() if kind == what and name not in known]
        if not unknown:
            report.say(f"未登记的{label}：无")
            continue
        report.say(f"未登记的{label}（未自动新增或合并，请核对后写入 {registries.folder}{what}.yaml）：")
        taken = {entry["slug"] for entry in known.values() if entry.get("slug")}
        for name, found in unknown:
            near = resembling(name, list(known))
            if near:
                report.say(f"  “{name}”（第 {_lines(found)} 行）：与已登记的{'、'.join(f'“{n}”' for n in near)}相近；"
                           f"如是同一{'人' if what == 'leaders' else '单位'}，请改表格或在登记表中加别名。")
            else:
                report.say(f"  “{name}”（第 {_lines(found)} 行）：没有相近的登记项，建议新增。")
            entry = {"name": name, "slug": _slug(name, what == "leaders", taken, "")}
            if what == "units":
                entry["kind"] = ""
            proposals[what].append({**entry, "rows": sorted(set(found)), **({"resembles": near} if near else {})})
    return proposals


NEW_KINDS = {"unit": "单位", "collective": "统称"}


def new_registries(sections: list[Section], report: Report, government: str, name: str) -> dict[str, object]:
    """For a government the content has never seen: its government.yaml, leaders.yaml and
    units.yaml, every entry as the table writes it and marked not yet reviewed, near spellings
    named."""
    rows = _rows_of(sections)
    posts = {section.leader[0]: section.leader[1] for section in sections if section.leader}
    leaders, units = [], []
    taken_leaders: set[str] = set()
    taken_units: set[str] = set()
    leader_names = [n for (kind, n) in rows if kind == "leaders"]
    unit_names = [n for (kind, n) in rows if kind == "units"]
    for number, leader in enumerate(leader_names, start=1):
        entry = {"name": leader, "slug": _slug(leader, True, taken_leaders, f"leader-{number}")}
        if leader in posts:
            entry["post"] = posts[leader]  # the heading states it: 王某某市长负责事项
        near = resembling(leader, leader_names, strict=True)
        leaders.append({**entry, "reviewed": False, **({"resembles": near} if near else {})})
    for number, unit in enumerate(unit_names, start=1):
        # The name says it stands for several: 各…, 省政府各部门, …成员单位, 有关部门.
        collective = "各" in unit or unit.endswith("成员单位") or "有关" in unit or "相关" in unit
        near = resembling(unit, unit_names, strict=True)
        units.append({"name": unit, "slug": _slug(unit, False, taken_units, f"unit-{number}"),
                      "kind": "collective" if collective else "unit", "reviewed": False,
                      **({"resembles": near} if near else {})})
    report.say(f"政府“{government}”（{name}）是新的：它的登记表由本次导入按表格建立，每一项都标明"
               f"“reviewed: false”（尚未核对），写在 content/governments/{government}/：")
    report.say(f"  government.yaml（名称、单位类别）、leaders.yaml（{len(leaders)} 位领导）、units.yaml（{len(units)} 个单位）")
    close = [(entry, entry["resembles"]) for entry in leaders + units if entry.get("resembles")]
    if close:
        report.say("  写法相近，请核对是否同一人或同一单位（是则改正表格后用 --replace 重新导入，或在登记表中合并并加别名）：")
        shown = set()
        for entry, near in close:
            pair = frozenset([entry["name"], *near])
            if pair in shown:
                continue
            shown.add(pair)
            report.say("    " + "、".join(f"“{n}”（第 {_lines(rows.get(('leaders', n)) or rows[('units', n)])} 行）"
                                         for n in [entry["name"], *near]))
    return {
        "government.yaml": (
            "# 本政府的名称和单位类别，由 python build.py import 建立。名称取自印发机关，请核对；\n"
            "# 单位类别照本政府文件的叫法改写（代码: 名称），再把 units.yaml 中各单位的 kind 改成相应代码。\n"
            + _dump({"name": name, "unit_kinds": dict(NEW_KINDS)})),
        "leaders.yaml": (
            "# 本政府的领导，由 python build.py import 按表格建立，名称照原文件。\n"
            "# 逐项核对：姓名、slug（网址名，一经发布不再改动）；职务只写有来源的。核对后把 reviewed 改为 true\n"
            "# （或删去该行）；resembles 列出本表中写法相近的名称，核对后删去。\n" + (_dump(leaders) if leaders else "[]\n")),
        "units.yaml": (
            "# 本政府的单位，由 python build.py import 按表格建立，名称照原文件。\n"
            "# 逐项核对：同一单位的两种写法合并为一项（另一种写入 aliases）；slug 一经发布不再改动；\n"
            "# kind 见 government.yaml 的 unit_kinds；统称可用 members 列出它代表的单位（原文件列出的才写）。\n"
            "# 核对后把 reviewed 改为 true（或删去该行），resembles 核对后删去。\n" + (_dump(units) if units else "[]\n")),
    }


# --- writing -----------------------------------------------------------------------------------

PLAN_HEADER = "# 本计划的文件信息，由 python build.py import 生成。\n"
TASK_HEADER = """\
# 本文件由 python build.py import 根据 {table} 第 {row} 行生成，字段说明见 docs/content-format.md。
# 编辑只需修改：title、subjects、status、updates、targets、deadline（须注明 source）和 continues（延续的上一计划任务）。
"""
IMPORT_FILES = {"plan.yaml", "sections.yaml", "registry-proposals.yaml", "tasks"}
TASK_KEYS = {"id", "section", "subsection", "number", "text", "leaders", "lead_units", "responsible_units",
             "and_others", "deadline_text", "status", "targets", "updates"}


def plan_files(sections: list[Section], plan: dict, status: str, proposals: dict | None, table_name: str,
               kinds: dict[str, str]) -> dict[str, str]:
    """The plan's files by their path in its folder."""
    files = {}
    missing = [name for name in ("title", "source_date") if not plan.get(name)]
    header = PLAN_HEADER
    if missing:
        header += f"# 尚缺：{'、'.join(missing)}。照原文件填写后才能通过检查；不知道的不要编造。\n"
    if not plan.get("source_number"):
        header += "# 没有文号（source_number）：原文件有文号的请补上；没有的不写，页面以文件标题称呼它。\n"
    files["plan.yaml"] = header + (_dump(plan) if plan else "")
    records, notes = [], []
    for section in sections:
        subsections = [{"number": n, "title": t} for n, t in section.subsections] or [
            {"number": 1, "title": section.title}]  # a section without 小节 rows: one, its own title
        records.append({"number": section.number, "title": section.title,
                        "declared_count": len(section.tasks), "subsections": subsections})
        if section.declared is not None and section.declared != len(section.tasks):
            notes.append(f"# 第 {section.number} 篇章：原文件标明 {section.declared} 项，表中读到 {len(section.tasks)} 项。\n")
    files["sections.yaml"] = (f"# 由 python build.py import 根据 {table_name} 生成。declared_count 是表中读到的任务数。\n"
                              + "".join(notes) + _dump(records))
    for section in sections:
        for number, task in enumerate(section.tasks, start=1):
            task_id = f"{section.number}-{number}"
            data = {"id": task_id, "section": section.number, "subsection": task["subsection"], "number": number,
                    "text": task["text"], "leaders": task["leaders"], "lead_units": task["lead_units"],
                    "responsible_units": task["responsible_units"]}
            if task["and_others"]:
                data["and_others"] = task["and_others"]
            if task["deadline_text"]:
                data["deadline_text"] = task["deadline_text"]
            data.update({"status": status, "targets": [], "updates": []})
            files[f"tasks/{expected_task_file(task_id)}"] = (TASK_HEADER.format(table=table_name, row=task["row"])
                                                              + _dump(data))
    if proposals and (proposals["leaders"] or proposals["units"]):
        listing = "、".join(f"{code}（{label}）" for code, label in kinds.items())
        files["registry-proposals.yaml"] = (
            "# 导入时未在登记表中找到的名称：建议的登记项，未写入任何登记表。\n"
            "# 逐项核对：同一人或同一单位的另一种写法，加到已有项的 aliases（单位）或改正表格；\n"
            "# 确属新增的，核对 slug（网址名，一经发布不再改动），单位填写 kind"
            + (f"（可选：{listing}）" if listing else "") + "，\n"
            "# 去掉 rows 和 resembles 两项后，复制到登记表。\n" + _dump(proposals))
    return files


def _edited_files(folder: Path, status: str) -> list[str]:
    """What in an earlier import's folder is not as the import wrote it: editors' work that a
    --replace would lose."""
    edited = [p.name for p in folder.iterdir() if p.name not in IMPORT_FILES]
    if not _written_by_import(folder / "plan.yaml", folder):
        edited.append("plan.yaml（不是导入写的）")
    for path in sorted((folder / "tasks").glob("*")) if (folder / "tasks").is_dir() else []:
        document = read_document(path, folder)
        data = None if isinstance(document, ContentError) else document.data
        if (not isinstance(data, dict) or set(data) - TASK_KEYS or data.get("status") != status
                or data.get("updates") or data.get("targets")):
            edited.append(f"tasks/{path.name}")
    return edited


def _written_by_import(plan: Path, folder: Path) -> bool:
    """Whether a plan.yaml still opens as the import wrote it; read through the guarded reader, as
    every file the import opens is: a link out of the folder or an oversized file is not the import's."""
    try:
        return plan.is_file() and read_text(plan, plan.name, MAX_REGISTRY_BYTES, within=folder).startswith(PLAN_HEADER)
    except Refused:
        return False


def _plans_of_government(content: Path, government: str, besides: str) -> list[str]:
    """The other plans of a government, by their plan.yaml."""
    found = []
    for folder in sorted((content / "plans").glob("*")) if (content / "plans").is_dir() else []:
        data = _read_yaml(folder / "plan.yaml", content) if folder.name != besides else None
        if isinstance(data, dict) and str(data.get("government") or "") == government:
            found.append(folder.name)
    return found


def _unreviewed(folder: Path) -> bool:
    """Whether a government's registries are still all as an import wrote them."""
    entries = [entry for name in ("leaders.yaml", "units.yaml") for entry in (_read_yaml(folder / name, folder.parent.parent) or [])]
    return all(isinstance(entry, dict) and entry.get("reviewed") is False for entry in entries)


GOVERNMENT_OFFICES = ("办公厅", "办公室")


def government_name(issuer: str | None, government: str) -> str:
    """A new government's name: the issuing office's government (…人民政府办公厅 → …人民政府), else its id."""
    for office in GOVERNMENT_OFFICES:
        if issuer and issuer.endswith(office) and len(issuer) > len(office):
            return issuer[: -len(office)]
    return issuer or government


def import_table(table: Path, plan_id: str, content: Path, plan: dict, sheet: str | None = None,
                 government: str | None = None, columns: str | None = None, replace: bool = False,
                 name: str | None = None) -> str:
    """Import `table` as content/plans/<plan_id>/ (and a new government's registries) and return the report."""
    if not PLAN_ID.fullmatch(plan_id or ""):
        raise UsageError(f"plan id '{plan_id}' may only use lower-case letters, digits and hyphens",
                         f"计划编号“{plan_id}”只能用小写字母、数字和连字符")
    if government is not None and not PLAN_ID.fullmatch(government):
        raise UsageError(f"government id '{government}' may only use lower-case letters, digits and hyphens",
                         f"政府编号“{government}”只能用小写字母、数字和连字符")
    site = _read_yaml(content / "site.yaml", content)
    site = site if isinstance(site, dict) else {}
    first_plan = str(site.get("plan_id") or getattr(site.get("source_date"), "year", ""))
    if plan_id == first_plan:
        raise UsageError(f"'{plan_id}' is the id of the first plan (site.yaml)", f"“{plan_id}”是第一个计划的编号")
    folder = content / "plans" / plan_id
    previous: dict = {}
    if folder.is_symlink() or (folder.exists() and (not folder.is_dir() or any(folder.iterdir()))):
        if not replace:
            raise UsageError(f"{folder} already exists and is not empty; nothing was written (--replace "
                             "re-imports a plan this command made)",
                             f"{folder} 已存在且不是空文件夹，没有写入任何文件（导入从不覆盖已有文件）。"
                             "重新导入本命令先前导入的计划，加 --replace")
        if folder.is_symlink() or not folder.is_dir():
            raise UsageError(f"{folder} is not a plan folder", f"{folder} 不是计划文件夹")
        edited = _edited_files(folder, first_status(content))
        if edited:
            raise UsageError(f"{folder} has been edited since it was imported ({', '.join(edited)}); "
                             "--replace would lose that work, nothing was written",
                             f"{folder} 在导入后已有改动（{'、'.join(edited)}），--replace 会丢失这些改动，"
                             "没有写入任何文件。请把改动移到别处，或删去这些文件后再试")
        previous = _read_yaml(folder / "plan.yaml", content)
        previous = previous if isinstance(previous, dict) else {}
    for here in (content / "plans", folder, content / "governments"):
        if here.is_symlink():
            raise UsageError(f"{here} is a symbolic link; the import writes only inside {content}, nothing was written",
                             f"{here} 是符号链接；导入只写入 {content} 之内，没有写入任何文件")
    first_government = str(site.get("government_id") or "")
    government = government or (str(previous.get("government")) if previous.get("government") else None)
    if government == first_government:
        government = None
    report = Report()
    report.say(f"导入 {table.name} 为计划“{plan_id}”" + (f"（政府“{government}”）" if government else ""))
    read = read_table(table, sheet)
    sections, leader_label = parse_table(text_rows(read), report, parse_columns(columns))
    if not any(section.tasks for section in sections):
        raise UsageError("no task was found; nothing was written", "没有读到任何任务，没有写入任何文件")
    check_numbering(sections, read)
    report.say(f"读到 {len(sections)} 个篇章、{sum(len(s.tasks) for s in sections)} 项任务")

    government_folder = content / "governments" / government if government else None
    new_government = government_folder is not None and not government_folder.exists()
    if government_folder is not None and not new_government and replace and previous.get("government") == government \
            and _unreviewed(government_folder) and not _plans_of_government(content, government, plan_id):
        new_government = True  # made by the import being replaced, and nobody has reviewed it: made again
    government_files = proposals = None
    if new_government:
        fold_to_first_spelling(sections, report)
        government_files = new_registries(sections, report, government,
                                          name or government_name(plan.get("issuer") or previous.get("issuer"), government))
        registries = Registries({}, {}, dict(NEW_KINDS), f"content/governments/{government}/")
    else:
        registries = read_registries(content, government)
        fold_to_registered(sections, registries, report)
        proposals = propose(sections, registries, report)

    # A re-import keeps what was filled in by hand and not given again on the command line.
    kept = {k: v for k, v in previous.items() if k in ("title", "short_title", "issuer", "source_title", "source_number",
                                                        "source_date", "description", "deadline_note")}
    plan = {**kept, **{k: v for k, v in plan.items() if v}}
    if leader_label and "leader_label" not in plan:
        plan["leader_label"] = leader_label  # 市政府牵头领导: the table's word
    if government:
        plan["government"] = government
    files = plan_files(sections, plan, first_status(content), proposals, table.name, registries.kinds)

    new_folders = [(files, folder, ("tasks",))]  # a plan has its tasks/, though the table gave none
    if government_files is not None:
        new_folders.append((government_files, government_folder, ()))
    _place(new_folders, content)
    shown = folder.relative_to(content.parent) if folder.is_relative_to(content.parent) else folder
    written = sum(1 for path in files if path.startswith("tasks/"))
    report.say(f"已写入 {shown}/：plan.yaml、sections.yaml、tasks/ 下 {written} 个任务文件"
               + ("、registry-proposals.yaml（建议的登记项）" if "registry-proposals.yaml" in files else ""))
    report.say("下一步：核对 plan.yaml 和登记表，然后运行 python build.py check。")
    return report.text()


def _place(folders: list[tuple[dict[str, str], Path, tuple[str, ...]]], content: Path) -> None:
    """Place each new folder through the one writer, all or nothing: an earlier import's folder
    that --replace replaces (checked unedited above) is moved aside first, put back if anything
    fails, and removed, by its own name, once every new folder is in place."""
    aside: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for files, target, empty in folders:
            if target.is_dir() and not target.is_symlink() and any(target.iterdir()):
                hidden = target.with_name(f".{target.name}.replaced-{os.getpid()}")
                os.rename(target, hidden)
                aside.append((hidden, target))
            place_new_folder(files, target, content, folders=empty)
            placed.append(target)
    except BaseException:
        for target in placed:
            shutil.rmtree(target)  # made by this run
        for hidden, target in aside:
            os.rename(hidden, target)
        raise
    for hidden, _ in aside:
        shutil.rmtree(hidden)
