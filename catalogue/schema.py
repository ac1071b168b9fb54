"""A task file's fields, declared once: which are required, who writes them (the plan's document,
through the import, or the site's editors), how the editors' form names them, and, for those the
open data publishes, what they hold. The mappings inside a task file (a target, an update, a
source…) are declared the same way.

validate.py checks files against it, model_builder.py reads tasks through it, admin.py makes the
editors' form from it, and exports.py describes the open data's columns with it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

DOCUMENT = "document"  # read from the plan's document by the import; read-only in the form
EDITOR = "editor"      # kept by the site's editors, from public sources


@dataclass(frozen=True)
class Field:
    name: str
    label: str                # how the editors' form names it
    required: bool = True
    owner: str = DOCUMENT
    empty: object = None      # what an optional field left out, or written empty, stands for
    # What the open data's column of the same name holds: Chinese, English, an example.
    meaning: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class Record:
    """The fields of one mapping, in the order files write them."""

    fields: tuple[Field, ...]

    def __getitem__(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)

    # Read for every mapping of every task file (40,000 times at 10,000 tasks): made once.
    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)

    @cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields if field.required)

    @cached_property
    def optional(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields if not field.required)

    def owned_by(self, owner: str) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields if field.owner == owner)

    @cached_property
    def _empties(self) -> dict[str, object]:
        return {field.name: field.empty for field in self.fields}

    def read(self, data: dict) -> dict:
        """Every field of a validated mapping (whose fields are all the record's), those left out
        or empty as what they stand for."""
        # Copied and updated in C: a task's fields one by one in Python were 0.03 s of modelling
        # 10,000 tasks, which the preview does before it shows an edit.
        values = self._empties.copy()
        values.update(data)
        if None in data.values():  # written with nothing after the colon: not the empties' own Nones
            empties = self._empties
            for name in [name for name, value in data.items() if value is None]:
                values[name] = empties.get(name)
        return values


# The document sets no deadline and most tasks are of the year: neither field is required. A title
# is the text until an editor writes one; subjects are required only once content/subjects.yaml
# exists (validate._check_subjects_of_task).
TASK = Record((
    Field("id", "编号", meaning=("任务编号：篇章序号-任务序号", "task id: <section>-<number>", "1-5")),
    Field("section", "篇章", meaning=("所属篇章序号", "section number", "1")),
    Field("subsection", "小节", meaning=("篇章内的小节序号", "subsection number within the section", "2")),
    Field("number", "序号", meaning=("任务在篇章内的序号", "task number within the section", "5")),
    Field("text", "任务原文", meaning=("具体工作任务和要求（原文）", "the task as the document states it", "")),
    Field("leaders", "牵头领导", meaning=("牵头领导", "responsible leaders", "")),
    Field("lead_units", "牵头单位", meaning=("牵头单位", "lead units", "")),
    Field("responsible_units", "责任单位", meaning=("责任单位（配合单位）", "co-responsible units", "")),
    Field("and_others", "原文以“等”结尾的名单", required=False, empty=[],
           meaning=("原文件以“等”结尾的名单（leaders、lead_units、responsible_units）",
                    "the lists the document ends with 等 (and others)", "")),
    Field("timeframe", "期限类别", required=False,
           meaning=("期限类别：multi_year（多年期）、ongoing（持续性），年度任务为空",
                    "timeframe: multi_year, ongoing, or empty for a task of the year", "multi_year")),
    Field("subjects", "主题", required=False, owner=EDITOR, empty=[],
           meaning=("主题（本站编辑所标，不是原文件的分类），见主题页",
                    "subjects (tagged by the site's editors, not the document's)", "")),
    Field("title", "简短标题", required=False, owner=EDITOR, empty="",
           meaning=("简短标题：本站编辑所写；尚未拟定时为任务全文",
                    "short title written by the site's editors; the whole text until one is written", "")),
    Field("status", "当前状态", owner=EDITOR, meaning=("当前状态代码", "current status code", "no_information")),
    Field("deadline", "完成时限（有出处）", required=False, owner=EDITOR,
           meaning=("有出处的完成时限（无出处时为空）", "deadline with its source (empty without one)", "")),
    Field("deadline_text", "完成时限（原文）", required=False, empty="",
           meaning=("原文件“完成时限”一栏的原文（没有该栏时为空）", "the document's own deadline column, as written", "")),
    Field("continues", "延续的任务", required=False, owner=EDITOR, empty="",
           meaning=("本项延续的前一计划任务：计划编号/任务编号",
                    "the earlier plan's task this one continues: <plan>/<task>", "")),
    # The document's targets; their outcomes are the editors' (TARGET, MILESTONE).
    Field("targets", "指标", empty=[],
           meaning=("量化指标：名称、目标值、单位、实际完成值", "quantified targets: label, target, unit, actual value", "")),
    Field("updates", "进展记录", owner=EDITOR, empty=[],
           meaning=("进展记录条数", "number of dated updates", "0")),
))

# A number the document sets. `achieved` is the editor's reading of the source, needed where the
# target is approximate (左右); `searched` is the day the site last looked for an outcome and found none.
TARGET = Record((
    Field("label", "指标"),
    Field("target", "目标值"),
    Field("unit", "单位"),
    Field("comparator", "比较方式", required=False, empty="exactly"),
    Field("actual", "实际完成值", required=False, owner=EDITOR),
    Field("actual_date", "数据日期", required=False, owner=EDITOR),
    Field("achieved", "是否达成", required=False, owner=EDITOR),
    Field("source", "依据", required=False, owner=EDITOR),
    Field("searched", "查找未果的日期", required=False, owner=EDITOR),
))

# A step the document names, reached or not (kind: milestone).
MILESTONE = Record((
    Field("label", "节点目标"),
    Field("kind", "类别"),
    Field("achieved", "是否达成", required=False, owner=EDITOR),
    Field("achieved_date", "达成日期", required=False, owner=EDITOR),
    Field("source", "依据", required=False, owner=EDITOR),
    Field("searched", "查找未果的日期", required=False, owner=EDITOR),
))

UPDATE = Record((
    Field("date", "日期", owner=EDITOR),
    Field("status", "状态", owner=EDITOR),
    Field("note", "进展说明", owner=EDITOR),
    Field("source", "依据", required=False, owner=EDITOR),
))

# The vocabularies of the task files and corrections.yaml: each code, and its name, which the
# editors' form, the error messages and the pages give it. (The sentences pages make of them are
# in templates/strings.yaml.)
SOURCE_KINDS: dict[str, str] = {
    "official_report": "官方报告",
    "statistical_bulletin": "统计公报",
    "lead_unit_submission": "牵头单位报送",
    "research_report": "研究报告",
    "news": "新闻报道",
    "regulation": "法规文件",
}
TIMEFRAMES: dict[str, str] = {
    "multi_year": "多年期工作",
    "ongoing": "持续性工作",
}
# A target's comparator (model.COMPARATORS), as the editor guide words it.
COMPARATOR_NAMES: dict[str, str] = {"at_least": "不低于", "about": "左右", "at_most": "不高于", "exactly": "等于"}
# What a correction of the source text rests on.
EVIDENCE_KINDS: dict[str, str] = {
    "inference": "据原文上下文推断",
    "outside_source": "外部来源",
}

# A page that gives no date of its own is cited with the day the site read it (accessed); one that
# copies another publisher's text (转载) names the original it copies (copy_of).
SOURCE = Record((
    Field("title", "标题", owner=EDITOR),
    Field("date", "发布日期", required=False, owner=EDITOR),
    Field("accessed", "查阅日期", required=False, owner=EDITOR),
    Field("url", "网址", required=False, owner=EDITOR, empty=""),
    Field("kind", "类别", owner=EDITOR),
    Field("publisher", "发布者", required=False, owner=EDITOR, empty=""),
    Field("copy_of", "原载", required=False, owner=EDITOR),
    # A lead unit's submission alone (kind: lead_unit_submission, written by the report import):
    # the reporting round it answers, and the public source it cited.
    Field("round", "报送轮次", required=False, owner=EDITOR),
    Field("cites", "所引来源", required=False, owner=EDITOR),
))

ORIGINAL = Record((
    Field("publisher", "发布者", owner=EDITOR),
    Field("title", "标题", owner=EDITOR),
    Field("date", "发布日期", required=False, owner=EDITOR),
))

CITED = Record((
    Field("title", "标题", owner=EDITOR),
    Field("url", "网址", required=False, owner=EDITOR, empty=""),
    Field("date", "发布日期", required=False, owner=EDITOR),
))

DEADLINE = Record((
    Field("date", "日期", owner=EDITOR),
    Field("source", "依据", owner=EDITOR),
))

# The words that make a task longer than the year, found by the import.
TIMEFRAME = Record((
    Field("kind", "类别"),
    Field("phrases", "原文用语"),
))
