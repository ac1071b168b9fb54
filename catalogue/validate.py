"""Check all of content/ at once and report every problem, each with file, line and field.

Nothing here raises on bad content: each check appends a ContentError and carries on, so an
editor sees the whole list in one run.
"""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import NamedTuple
from urllib.parse import urlsplit

from .errors import ContentError, field_label
from .load import Content, Document
from .model import COMPARATORS, SUBMISSION, PartialDate, Target
from .schema import (CITED, DEADLINE, EVIDENCE_KINDS, MILESTONE, ORIGINAL, SOURCE, SOURCE_KINDS, TARGET, TASK, TIMEFRAME,
                     TIMEFRAMES, UPDATE)
from .urls import REPORT_CHANNEL, WEB, url_problem

MAX_SUBJECTS_PER_TASK = 3
# A title that ends on one of these stops inside a list (加强婴幼儿、老年人、残疾人等).
LIST_ENDINGS = ("、", "，", "和", "及", "与", "等", "以及", "或")
# A source's fields only a lead unit's submission (its unit is the publisher) may give: the round
# it answers and what it cited.
SUBMISSION_FIELDS = ("round", "cites")
STATUS_FIELDS = ("code", "label", "color", "meaning", "needs_round")
STATUS_REQUIRED = ("code", "label", "color", "meaning")
ROUND_FIELDS = ("plan", "title", "as_of", "sent", "due", "closed", "units", "leader")
ROUND_REQUIRED = ("as_of", "due", "units")
SITE_FIELDS = (
    "title", "short_title", "base_url", "as_of", "repository", "branch",
    "source_title", "source_number", "source_date", "description",
    "publisher", "contact", "report_error", "editor_auth",
    # The first plan's own wording, and what every plan shares (see docs/content-format.md).
    "plan_id", "plan_title", "plan_short_title", "issuer", "leader_label", "deadline_note", "current_plan",
    "unit_kinds", "search_examples", "source_access", "source_copy",
    # The first government, whose registries are content/leaders.yaml and content/units.yaml.
    "government_id", "government_name", "government_short_name",
)
# Who publishes the site and where it lives are left out rather than filled with placeholders;
# a publishing build (build.py --publish) insists on what a public site needs.
SITE_OPTIONAL = ("description", "base_url", "repository", "branch", "publisher", "contact", "report_error", "editor_auth",
                 "plan_id", "plan_title", "plan_short_title", "issuer", "leader_label", "deadline_note",
                 "current_plan", "search_examples", "as_of", "government_id", "government_name",
                 "government_short_name", "source_access", "source_copy")
# content/plans/<id>/plan.yaml: one further plan, the same document fields as site.yaml's.
PLAN_FIELDS = ("title", "short_title", "issuer", "source_title", "source_number", "source_date", "as_of",
               "description", "leader_label", "deadline_note", "government", "source_access", "source_copy")
# source_title defaults to the title; as_of to the newest update, else the document's own date; a
# document without a number (文号) is named by its title.
PLAN_REQUIRED = ("title", "source_date")
# content/governments/<id>/government.yaml: whose further registries they are.
GOVERNMENT_FIELDS = ("name", "short_name", "unit_kinds")
# The lists a task may say the document ends with 等 ("and others").
AND_OTHERS = {"leaders": "牵头领导", "lead_units": "牵头单位", "responsible_units": "责任单位"}
PLAN_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Every pattern is used with fullmatch: "$" would also accept a value ending in a newline,
# which then breaks the URL it becomes.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
STATUS_CODE = re.compile(r"[a-z]+(?:_[a-z]+)*")  # no_information, on_track
TASK_ID = re.compile(r"([1-9][0-9]{0,2})-([1-9][0-9]{0,2})")
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# C0 and C1 controls other than tab and line feed, and code points that UTF-8 cannot carry
# (lone surrogates) or that XML forbids: any of them breaks feed.xml or the writing of a page.
FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Lengths far above the real content (the longest task text is 223 characters) that keep one
# bad paste from making every page huge or a chart unreadable.
MAX_TEXT = 2000           # any text field not given its own limit
MAX_TASK_TEXT = 1000
MAX_NOTE = 5000
MAX_ANY_STRING = 20000    # a backstop for values no check looks at
LIMITS = {
    "status_label": 8, "leader_name": 20, "unit_name": 50, "target_label": 60, "target_unit": 10,
    "title": 200, "short_title": 20, "source_number": 40,
    "subject_name": 10, "task_title": 30,
}
MAX_SECTION = 999         # chinese_numeral writes any number; many plans side by side pass 99
MAX_TASK_NUMBER = 999
MAX_MAGNITUDE = 1e12      # larger than any figure a work plan states
CHINA = dt.timezone(dt.timedelta(hours=8))


class RoundScope(NamedTuple):
    """What a task file's checks need of one reporting round of its plan."""

    units: frozenset[str]  # canonical names of the units asked
    leader: str | None     # the round asked only about this leader's tasks
    closed: bool

    def asks(self, lead_units: set[str], leaders) -> bool:
        return bool(self.units & lead_units) and (self.leader is None or self.leader in (leaders or ()))


@dataclass
class Registry:
    """Names the task files may use, gathered from the registries that validated."""

    # The plan's government's names; None when its registry could not be read (its error says so).
    leaders: set[str] | None = None
    units: dict[str, str] | None = None  # name or alias -> canonical name
    statuses: dict[str, str] = field(default_factory=dict)  # code -> label
    subjects: dict[str, str] | None = None  # slug -> name; None without content/subjects.yaml
    sections: dict[int, tuple[int, set[int]]] = field(default_factory=dict)
    earliest: dt.date | None = None  # the document's date (its first day): nothing reported can predate it
    unit_kinds: dict[str, str] = field(default_factory=dict)  # code -> label, from site.yaml
    # A further plan's tasks may wait for their subjects: editors tag them after the import; and
    # its document may name no leader for a task (many tables have no leader column).
    subjects_required: bool = True
    leaders_required: bool = True
    round_statuses: frozenset[str] = frozenset()  # codes of the statuses only a round may set (未报送)
    rounds: dict[dt.date, RoundScope] = field(default_factory=dict)  # this plan's, by as-of date
    today: dt.date = field(default_factory=lambda: dt.datetime.now(CHINA).date())


class Checker:
    """Collects errors about one document, with the line of the offending value."""

    def __init__(self, document: Document, errors: list[ContentError]):
        self.document = document
        self.errors = errors

    def error(self, key: tuple, zh: str, en: str, hint_zh: str = "", hint_en: str = "") -> None:
        self.errors.append(ContentError(
            self.document.file, self.document.line(*key), field_label(key), zh, en, hint_zh, hint_en,
        ))

    def mapping(self, value, key: tuple, allowed: tuple[str, ...], required: tuple[str, ...]) -> bool:
        """Check that `value` is a mapping with only known fields and every required one."""
        if not isinstance(value, dict):
            self.error(key, f"应为“字段: 值”的映射，实际是{_kind_zh(value)}。",
                       f"expected a mapping of fields, found {_kind_en(value)}.")
            return False
        for name in value:
            if name not in allowed:
                guess = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
                hint_zh = f"是否应为“{guess[0]}”？" if guess else ""
                hint_en = f"did you mean '{guess[0]}'?" if guess else ""
                self.error(key + (name,), f"未知字段“{name}”。允许的字段：{'、'.join(allowed)}。",
                           f"unknown field '{name}'; allowed: {', '.join(allowed)}.",
                           hint_zh, hint_en)
        for name in required:
            if name not in value:
                self.error(key + (name,), f"缺少必填字段“{name}”。", f"missing required field '{name}'.",
                           f"请添加一行 {name}: …", f"add a line '{name}: …'")
        return True

    def text(self, value, key: tuple, allow_empty: bool = False, limit: int = MAX_TEXT,
             multiline: bool = False) -> bool:
        if not (isinstance(value, str) and (allow_empty or value.strip())):
            found = "空值" if value in (None, "") else _kind_zh(value)
            self.error(key, f"应为一段文字，实际是{found}。",
                       f"expected text, found {_kind_en(value) if value not in (None, '') else 'nothing'}.")
            return False
        if len(value) > limit:
            self.error(key, f"文字过长（{len(value)} 字，上限 {limit} 字）。",
                       f"the text is too long ({len(value)} characters; the limit is {limit}).",
                       "删去多余的文字，或检查是否误粘贴。", "shorten it, or check for text pasted by mistake")
            return False
        if not multiline and "\n" in value.rstrip("\n"):
            self.error(key, "这里只能写一行文字。", "this must be a single line of text.",
                       "把多行合并为一行。", "join the lines into one")
            return False
        if not multiline and value != value.strip():
            self.error(key, "文字首尾有多余的空格或换行。", "the text starts or ends with spaces or line breaks.",
                       "删去首尾的空格和换行（用 | 写多行时也会带上末尾换行，单行字段请勿使用）。",
                       "remove them (a | block adds a final line break; do not use one for a single-line field)")
            return False
        return True

    def integer(self, value, key: tuple, limit: int | None = None) -> bool:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            if limit is None or value <= limit:
                return True
            self.error(key, f"应为 1 到 {limit} 之间的整数，实际是“{value}”。",
                       f"expected a whole number from 1 to {limit}, found '{value}'.")
            return False
        self.error(key, f"应为正整数，实际是“{value}”。", f"expected a positive whole number, found '{value}'.")
        return False

    def number(self, value, key: tuple, nullable: bool = False) -> bool:
        if nullable and value is None:
            return True
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            if abs(value) <= MAX_MAGNITUDE:
                return True
            self.error(key, f"数字过大（绝对值上限 {MAX_MAGNITUDE:,.0f}）。",
                       f"the number is too large (the limit is {MAX_MAGNITUDE:,.0f}).",
                       "检查是否多写了位数，或改用更大的单位（如“亿元”）。",
                       "check for extra digits, or use a larger unit (e.g. 亿元)")
            return False
        self.error(key, f"应为数字，实际是“{value}”。", f"expected a number, found '{value}'.",
                   "只写数字，不带单位，例如 1500 或 2.5。", "write the number alone, e.g. 1500 or 2.5")
        return False

    def date(self, value, key: tuple, nullable: bool = False, earliest: dt.date | None = None,
             latest: dt.date | None = None) -> bool:
        if nullable and value is None:
            return True
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.error(key, f"“{value}”不是有效日期。", f"'{value}' is not a date.",
                       "日期写成 年-月-日，例如 2021-06-30。", "write dates as YYYY-MM-DD, e.g. 2021-06-30")
            return False
        if earliest is not None and value < earliest:
            self.error(key, f"日期 {value} 早于文件印发日期 {earliest}。",
                       f"the date {value} is before the document's date {earliest}.",
                       "检查年份是否写错。", "check the year")
            return False
        if latest is not None and value > latest:
            self.error(key, f"日期 {value} 晚于今天（{latest}），进展不能预先填写。",
                       f"the date {value} is after today ({latest}); progress cannot be reported in advance.",
                       "检查年份和月份是否写错。", "check the year and month")
            return False
        return True

    def url(self, value, key: tuple, schemes: tuple[str, ...] = WEB) -> bool:
        """Every address passes the one policy (urls.url_problem), whatever field it is in."""
        problem = url_problem(value, schemes)
        if problem is None:
            return True
        self.error(key, *problem)
        return False

    def slug(self, value, key: tuple) -> bool:
        if isinstance(value, str) and SLUG.fullmatch(value) and len(value) <= 60:
            return True
        self.error(key, f"网址名“{value}”只能用小写英文字母、数字和连字符。",
                   f"slug '{value}' may only use lower-case ASCII letters, digits and hyphens.")
        return False

    def choice(self, value, key: tuple, allowed: dict[str, str], what_zh: str, what_en: str) -> bool:
        """Check membership in a vocabulary, listing the allowed values and a close guess."""
        if isinstance(value, str) and value in allowed:
            return True
        listing_zh = "、".join(f"{code}（{label}）" if label and label != code else code
                              for code, label in allowed.items())
        # Editors often write the label they see on the site (序时推进) for its code (on_track).
        guess = next((code for code, label in allowed.items() if label == value), None) or _closest(value, allowed)
        self.error(key, f"未知的{what_zh}“{value}”。可选：{listing_zh}。",
                   f"unknown {what_en} '{value}'; allowed: {', '.join(allowed)}.",
                   f"是否应为“{guess}”？" if guess else "", f"did you mean '{guess}'?" if guess else "")
        return False

    def known_name(self, name, key: tuple, known: dict[str, str] | set[str], what_zh: str, what_en: str) -> bool:
        """Check one leader or unit name against its registry, with a 'did you mean'."""
        if isinstance(name, str) and name in known:
            return True
        guess = _closest(name, known)
        squeezed = re.sub(r"\s+", "", name) if isinstance(name, str) else None
        same = next((k for k in known if folded_name(k) == folded_name(name)), None) if isinstance(name, str) else None
        if same is not None:
            hint_zh = f"与登记的“{same}”只是字符写法不同（全角、半角或兼容字符）：写作“{same}”。"
            hint_en = f"it differs from the registered '{same}' only in the form of its characters: write '{same}'"
        elif squeezed and squeezed in known:
            hint_zh, hint_en = f"名称中不要有空格：写作“{squeezed}”。", f"remove the spaces: '{squeezed}'"
        elif guess:
            hint_zh, hint_en = f"是否应为“{guess}”？", f"did you mean '{guess}'?"
        else:
            hint_zh = f"名称须与 {what_zh}登记表（content/{'leaders' if what_en == 'leader' else 'units'}.yaml）一致。"
            hint_en = f"names must match the {what_en} registry"
        self.error(key, f"未登记的{what_zh}“{name}”。", f"unknown {what_en} '{name}'.", hint_zh, hint_en)
        return False

    def names(self, value, key: tuple, known: dict[str, str] | set[str], what_zh: str, what_en: str,
              allow_empty: bool = False) -> list[str]:
        """Check a list of leader or unit names against a registry, with a 'did you mean'."""
        if not isinstance(value, list) or (not value and not allow_empty):
            self.error(key, f"应为{what_zh}名称的列表，例如 [{_example(known)}]。",
                       f"expected a list of {what_en} names, e.g. [{_example(known)}].")
            return []
        good = [name for index, name in enumerate(value)
                if self.known_name(name, key + (index,), known, what_zh, what_en)]
        # An alias and its unit's name are one unit: listing both would count the task twice.
        canonical = [known[name] if isinstance(known, dict) else name for name in good]
        duplicates = [name for name, count in Counter(canonical).items() if count > 1]
        for name in duplicates:
            self.error(key, f"“{name}”重复出现。", f"'{name}' is listed twice.")
        return good


def _closest(value, known) -> str | None:
    if not isinstance(value, str):
        return None
    matches = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    return matches[0] if matches else None


def _example(known) -> str:
    return ", ".join(sorted(known)[:2])


def _kind_zh(value) -> str:
    return {dict: "映射", list: "列表", str: "文字", int: "数字", float: "数字",
            bool: "是/否", type(None): "空值"}.get(type(value), type(value).__name__)


def _kind_en(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number",
            bool: "true/false", type(None): "nothing"}.get(type(value), type(value).__name__)


def validate(content: Content, today: dt.date | None = None, memo: TaskCheckMemo | None = None) -> list[ContentError]:
    """Every problem in content/, by file. `today` (Beijing time when not given) bounds the
    dates: nothing can be reported for a day that has not come. `memo`, kept between builds,
    spares checking again the task files that have not changed (the preview's rebuilds)."""
    errors = list(content.problems)
    registry = Registry() if today is None else Registry(today=today)
    documents = content.registries
    for document in [*documents.values(), *(d for plan in content.plans for d in plan.registries.values()),
                     *(d for government in content.governments for d in government.registries.values())]:
        _remembered(memo, document, errors, _check_document_characters)
    if "site" in documents:
        registry.earliest = _check_site(documents["site"], errors, registry.today)
        registry.unit_kinds = _unit_kinds(documents["site"], errors)
    if "statuses" in documents:
        registry.statuses, registry.round_statuses = _check_statuses(documents["statuses"], errors)
    if "leaders" in documents:
        registry.leaders = _usable(_remembered(memo, documents["leaders"], errors, _check_leaders), documents["leaders"])
    if "units" in documents:
        registry.units = _usable(_remembered(memo, documents["units"], errors, _check_units, registry.unit_kinds),
                                 documents["units"])
    if "sections" in documents:
        registry.sections = _remembered(memo, documents["sections"], errors, _check_sections)
    if "subjects" in documents:
        registry.subjects = _check_subjects(documents["subjects"], errors)
    if content.corrections is not None:
        _check_characters(Checker(content.corrections, errors), content.corrections.data, ())
        _check_corrections(content.corrections, errors)
    first_id = _first_plan_id(documents.get("site"))
    first_government = _first_government_id(documents.get("site"))
    names = ({first_government: (registry.leaders, registry.units)}
             | _check_governments(content, first_government, errors, memo))
    # Each plan's government, named once (a plan.yaml naming none is the first government's).
    plan_governments = {first_id: first_government} | {
        plan.id: _plan_government(plan.registries["plan"], first_government, names, errors)
        for plan in content.plans if "plan" in plan.registries}
    rounds = (_check_rounds(documents["rounds"], errors, registry, names, plan_governments,
                            _collectives_by_government(content, first_government))
              if "rounds" in documents else {})
    registry.rounds = rounds.get(first_id, {})
    plan_tasks: dict[str, set[str]] = {}
    plan_tasks[first_id] = _check_plan_tasks(content.tasks, documents.get("sections"), registry, errors,
                                             content.problems, f"{content.root.name}/tasks/", memo)
    for plan in content.plans:
        plan_registry = replace(registry, sections={}, earliest=None, subjects_required=False, leaders_required=False,
                                rounds=rounds.get(plan.id, {}))
        if plan.id == first_id:
            errors.append(ContentError(f"{content.root.name}/plans/{plan.id}", None, "",
                                       f"计划编号“{plan.id}”已是第一个计划（site.yaml 的 plan_id）的编号。",
                                       f"plan id '{plan.id}' is already the first plan's (site.yaml's plan_id).",
                                       "给该文件夹另取一个编号。", "give the folder another id"))
        if "plan" in plan.registries:
            plan_registry.earliest = _check_plan(plan.registries["plan"], errors, registry.today)
            plan_registry.leaders, plan_registry.units = names.get(plan_governments[plan.id], (None, None))
        if "sections" in plan.registries:
            plan_registry.sections = _remembered(memo, plan.registries["sections"], errors, _check_sections)
        plan_tasks[plan.id] = _check_plan_tasks(plan.tasks, plan.registries.get("sections"), plan_registry, errors,
                                                content.problems, f"{content.root.name}/plans/{plan.id}/tasks/", memo)
    continued: dict[str, tuple[str, Document]] = {}  # plan/task -> the plan/task it continues, from its file
    for plan_id, documents_of_plan in [(first_id, content.tasks), *((plan.id, plan.tasks) for plan in content.plans)]:
        for document in documents_of_plan:
            if isinstance(document.data, dict) and "continues" in document.data:
                if _check_continues(Checker(document, errors), document.data["continues"], plan_tasks):
                    continued[f"{plan_id}/{document.data.get('id')}"] = (document.data["continues"], document)
    _check_no_cycle(continued, errors)
    if "rounds" in documents:
        led = {first_id: content.tasks, **{plan.id: plan.tasks for plan in content.plans}}
        _check_rounds_ask(documents["rounds"], errors, first_id, led,
                          {plan_id: names.get(government) or (None, None) for plan_id, government in plan_governments.items()},
                          _collectives_by_government(content, first_government), plan_governments)
    current = documents["site"].data.get("current_plan") if "site" in documents and isinstance(
        documents["site"].data, dict) else None
    if current is not None and current not in plan_tasks:
        Checker(documents["site"], errors).choice(current, ("current_plan",), {p: p for p in plan_tasks},
                                                  "计划", "plan")
    return errors


def _remembered(memo: TaskCheckMemo | None, document: Document, errors: list[ContentError], check, *arguments):
    """`check(document, errors, *arguments)`, or what it found and returned when last given the
    same bytes and arguments: a registry's own checks read its file and those alone. At 10,000
    tasks the registries' were half of what the preview checks again after each save."""
    if memo is None or not document.digest:
        return check(document, errors, *arguments)
    key = (check.__name__, document.file)
    earlier = memo.registries_found.get(key)
    if earlier is None or earlier[0] != document.digest or earlier[1] != arguments:
        found: list[ContentError] = []
        earlier = memo.registries_found[key] = (document.digest, arguments, found, check(document, found, *arguments))
    errors.extend(earlier[2])
    return earlier[3]


def _check_document_characters(document: Document, errors: list[ContentError]) -> None:
    _check_characters(Checker(document, errors), document.data, ())


def _usable(names, document: Document):
    """A registry's names for checking the tasks; None when none could be read from a file that
    has entries (its own errors say why: the tasks' would only repeat them)."""
    return names if names or document.data in ([], None) else None


def _first_government_id(site: Document | None) -> str:
    """The first government's id: site.yaml's government_id, else none (''): plans that name no
    government are the first government's."""
    data = site.data if site is not None and isinstance(site.data, dict) else {}
    return data["government_id"] if isinstance(data.get("government_id"), str) else ""


def _check_governments(content: Content, first: str, errors: list[ContentError],
                       memo: TaskCheckMemo | None = None) -> dict[str, tuple]:
    """Check each further government's folder; return its names: id -> (leaders, units)."""
    names = {}
    for government in content.governments:
        documents = government.registries
        if government.id == first:
            errors.append(ContentError(f"{content.root.name}/governments/{government.id}", None, "",
                                       f"政府编号“{government.id}”已是第一个政府（site.yaml 的 government_id）的编号；"
                                       "它的登记表是 content/leaders.yaml 和 content/units.yaml。",
                                       f"government id '{government.id}' is already the first government's "
                                       "(site.yaml's government_id), whose registries are content/leaders.yaml and units.yaml.",
                                       "给该文件夹另取一个编号，或把其中的登记项并入顶层登记表。",
                                       "give the folder another id, or merge its entries into the top registries"))
        kinds = _check_government(documents["government"], errors) if "government" in documents else {}
        leaders = (_usable(_remembered(memo, documents["leaders"], errors, _check_leaders, True), documents["leaders"])
                   if "leaders" in documents else None)
        units = (_usable(_remembered(memo, documents["units"], errors, _check_units, kinds, True), documents["units"])
                 if "units" in documents else None)
        names[government.id] = (leaders, units)
    return names


def _check_government(document: Document, errors: list[ContentError]) -> dict[str, str]:
    """Check a government.yaml; return its kinds of units."""
    check = Checker(document, errors)
    data = document.data
    if not check.mapping(data, (), GOVERNMENT_FIELDS, ("name", "unit_kinds")):
        return {}
    if "name" in data:
        check.text(data["name"], ("name",), limit=LIMITS["title"])
    if "short_name" in data:
        check.text(data["short_name"], ("short_name",), limit=LIMITS["short_title"])
    return _unit_kinds(document, errors)


def _plan_government(document: Document, first: str, names: dict, errors: list[ContentError]) -> str | None:
    """The id of the government a plan.yaml names (the first when it names none), or None when
    it names one that does not exist."""
    data = document.data
    if not isinstance(data, dict) or "government" not in data:
        return first
    value = data["government"]
    if isinstance(value, str) and value in names:
        return value
    known = {key: ("登记表在 content/ 顶层" if key == first else f"content/governments/{key}/") for key in names if key}
    if known:
        Checker(document, errors).choice(value, ("government",), known, "政府", "government")
    else:
        Checker(document, errors).error(("government",), f"没有编号为“{value}”的政府：content/governments/ 中没有这个文件夹。",
                                        f"there is no government '{value}': no such folder in content/governments/.",
                                        "去掉 government 一行（即属于第一个政府），或用 python build.py import --government 建立。",
                                        "remove the line (the plan is then the first government's)")
    return None


def _first_plan_id(site: Document | None) -> str:
    """The first plan's id: site.yaml's plan_id, else the year of its source_date."""
    data = site.data if site is not None and isinstance(site.data, dict) else {}
    if isinstance(data.get("plan_id"), str):
        return data["plan_id"]
    date = data.get("source_date")
    return str(date.year) if isinstance(date, dt.date) else ""


@dataclass
class TaskCheckMemo:
    """What each task file's own checks found, kept from build to build. Those checks read the
    file and the registries alone, so while the registries stay as they were only the files that
    changed are checked again: at 10,000 tasks that is most of a build's checking. So are a
    registry's own checks, while its bytes stay as they were (_remembered). Checks across files
    (ids, section counts) run each time."""

    registries: dict[str, Registry] = field(default_factory=dict)  # plan's task folder -> registry
    # plan's task folder -> (file, digest of its bytes) -> (its errors, its section, its id when sound)
    found: dict[str, dict[tuple[str, bytes], tuple[list[ContentError], int | None, str | None]]] = field(
        default_factory=dict)
    # (check, registry file) -> (digest of its bytes, the check's other arguments, its errors, what it returned)
    registries_found: dict[tuple[str, str], tuple[bytes, tuple, list[ContentError], object]] = field(
        default_factory=dict)


def _check_plan_tasks(tasks: list[Document], sections: Document | None, registry: Registry,
                      errors: list[ContentError], problems: list[ContentError], folder: str,
                      memo: TaskCheckMemo | None = None) -> set[str]:
    """Check one plan's task files against its sections; return the ids of its tasks."""
    seen_ids: dict[str, str] = {}
    counts: Counter[int] = Counter()
    known = memo.found.get(folder, {}) if memo is not None and memo.registries.get(folder) == registry else {}
    found = {}
    for document in tasks:
        key = (document.file, document.digest)
        earlier = known.get(key) if document.digest else None
        if earlier is None:
            own: list[ContentError] = []
            _check_characters(Checker(document, own), document.data, ())
            earlier = (own, *_check_task(document, registry, own))
        found[key] = earlier
        own, section, task_id = earlier
        errors.extend(own)
        if task_id is not None:
            _check_unique_id(Checker(document, errors), task_id, seen_ids)
        if section is not None:
            counts[section] += 1
    if memo is not None:
        memo.registries[folder], memo.found[folder] = registry, found
    # A task file that does not parse is not counted; its error is enough, not a count error too.
    unparsed_tasks = any(problem.file.startswith(folder) or problem.file == folder.rstrip("/") for problem in problems)
    if (sections is not None and not unparsed_tasks
            and not any(e.file == sections.file for e in errors)):
        _check_section_counts(sections, counts, errors)
    return set(seen_ids)


def _check_continues(check: Checker, value, plan_tasks: dict[str, set[str]]) -> bool:
    """`continues: 2021/3-4` names a task of another plan, which must exist; True when it does."""
    plan_id, _, task_id = value.partition("/") if isinstance(value, str) else ("", "", "")
    if plan_id not in plan_tasks:
        example = min(plan_tasks) + "/1-1"
        check.error(("continues",), f"continues 应写成“计划编号/任务编号”，例如 {example}；没有计划“{plan_id}”。"
                    f"已有的计划：{'、'.join(sorted(plan_tasks))}。",
                    f"continues must be <plan>/<task>, e.g. {example}; there is no plan '{plan_id}'.")
        return False
    if task_id not in plan_tasks[plan_id]:
        check.error(("continues",), f"计划“{plan_id}”中没有任务“{task_id}”。",
                    f"plan '{plan_id}' has no task '{task_id}'.")
        return False
    return True


def _check_no_cycle(continued: dict[str, tuple[str, Document]], errors: list[ContentError]) -> None:
    """A task continues an earlier one: following `continues` from any task must end, never come
    back to where it started (a task continuing itself is the shortest such loop). Each loop is
    reported once, at the continues line of each of its tasks."""
    done: set[str] = set()
    for start in sorted(continued):
        path: list[str] = []
        here = start
        while here in continued and here not in done and here not in path:
            path.append(here)
            here = continued[here][0]
        if here in path:
            loop = path[path.index(here):]
            shown = " → ".join(loop + [here])
            for key in loop:
                Checker(continued[key][1], errors).error(
                    ("continues",), f"continues 形成循环：{shown}。一项任务只能延续更早计划中的任务。",
                    f"continues forms a loop: {shown}. A task continues a task of an earlier plan.",
                    "删去或改正循环中的一个 continues。", "remove or correct one continues in the loop")
        done.update(path)


def _check_plan(document: Document, errors: list[ContentError], today: dt.date) -> dt.date | None:
    """Check a plan.yaml; return the plan's date, the earliest date its tasks may carry."""
    check = Checker(document, errors)
    plan = document.data
    if not check.mapping(plan, (), PLAN_FIELDS, PLAN_REQUIRED):
        return None
    return _check_document_fields(
        check, plan, ("title", "source_title", "description", "issuer", "deadline_note", "leader_label"), today)


def _check_document_fields(check: Checker, data: dict, long_texts: tuple[str, ...], today: dt.date) -> dt.date | None:
    """The fields site.yaml and a plan.yaml share: titles, the document's number, its date and
    the as-of date. Returns the document's date, the earliest date its tasks may carry."""
    for name in long_texts:
        if name in data:
            check.text(data[name], (name,), limit=LIMITS["title"])
    for name in ("short_title", "source_number"):
        if name in data:
            check.text(data[name], (name,), limit=LIMITS[name])
    earliest = None
    # A missing date has been reported as missing: not a second time as "not a date".
    if "source_date" in data:
        earliest = _check_document_date(check, data["source_date"], ("source_date",), today)
    if "as_of" in data:
        check.date(data["as_of"], ("as_of",), earliest=earliest, latest=today)
    return earliest


def _check_document_date(check: Checker, value, key: tuple, today: dt.date) -> dt.date | None:
    """A document's date as it states it: a full date, a year (2022) or a year and month
    ("2022-03"), never later than today. Returns its first day, the earliest date its tasks may carry."""
    parsed = PartialDate.parse(value)
    if parsed is None:
        check.error(key, f"“{value}”不是有效日期。", f"'{value}' is not a date.",
                    "照原文件写：年-月-日（2022-03-01）；原文件只写到年或月时，写 2022 或 \"2022-03\"，不要补日。",
                    "write YYYY-MM-DD; when the document gives only a year or a month, write 2022 or \"2022-03\"")
        return None
    if isinstance(parsed, dt.date):
        return parsed if check.date(parsed, key, latest=today) else None
    if parsed.first_day > today:
        check.error(key, f"日期 {parsed.isoformat()} 晚于今天（{today}）。", f"the date {parsed.isoformat()} is after today ({today}).",
                    "检查年份是否写错。", "check the year")
        return None
    return parsed.first_day


def _unit_kinds(document: Document, errors: list[ContentError]) -> dict[str, str]:
    """site.yaml's unit_kinds: the kinds of units, code -> label, in the order the index groups them."""
    site = document.data
    if not isinstance(site, dict) or "unit_kinds" not in site:
        return {}
    check = Checker(document, errors)
    kinds = site["unit_kinds"]
    if not isinstance(kinds, dict) or not kinds:
        check.error(("unit_kinds",), "unit_kinds 应为“类别代码: 类别名称”的映射，例如 department: 政府部门。",
                    "unit_kinds must map kind codes to labels, e.g. department: 政府部门.")
        return {}
    known = {}
    for code, label in kinds.items():
        if not (isinstance(code, str) and STATUS_CODE.fullmatch(code)):
            check.error(("unit_kinds", code), f"类别代码“{code}”只能用小写英文字母和下划线。",
                        f"kind code '{code}' may only use lower-case ASCII letters and underscores.")
        elif check.text(label, ("unit_kinds", code), limit=LIMITS["title"]):
            known[code] = label
    return known


def base_url_problem(url) -> tuple[str, str, str, str] | None:
    """What is wrong with a base URL (Chinese, English, the fix in both), or None: it passes the
    URL policy and ends with / so that site paths can be appended to it."""
    problem = url_problem(url)
    if problem is not None:
        return problem[0], problem[1], "应形如 https://example.org/gzbg2021/。", "e.g. https://example.org/gzbg2021/"
    if not url.endswith("/"):
        return "base_url 必须以“/”结尾。", "base_url must end with '/'.", "在末尾加上“/”。", "add a final '/'"
    if urlsplit(url).query or urlsplit(url).fragment:
        return ("base_url 不能含有 ? 或 #。", "base_url may hold no query (?) or fragment (#).",
                "去掉 ? 或 # 及其后的部分。", "remove the ? or # and what follows")
    return None


def _check_characters(check: Checker, value, key: tuple) -> None:
    """Refuse characters no page, feed or data file can carry, in any value or field name of
    any file, whether or not another check reads that field; the value is never echoed."""
    if _texts_may_be_refused(value):
        _find_refused_characters(check, value, key)


def _texts_may_be_refused(value) -> bool:
    """Whether any text in `value` (a field name or a value, at any depth) holds a character
    FORBIDDEN_CHARACTER matches or is longer than MAX_ANY_STRING: the texts gathered and searched
    at once, where _find_refused_characters, which says where, calls itself and the regular
    expression for each of them (600,000 at 10,000 tasks; nearly none has anything to find)."""
    texts: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            texts.extend(name for name in item if isinstance(name, str))
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    # Joined by a character the expression does not match, which cannot join two into a match.
    return (FORBIDDEN_CHARACTER.search("\n".join(texts)) is not None
            or max(map(len, texts), default=0) > MAX_ANY_STRING)


def _find_refused_characters(check: Checker, value, key: tuple) -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            _find_refused_characters(check, name, key)
            _find_refused_characters(check, item, key + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _find_refused_characters(check, item, key + (index,))
    elif isinstance(value, str):
        found = FORBIDDEN_CHARACTER.search(value)
        if found:
            code = f"U+{ord(found.group()):04X}"
            check.error(key, f"含有不可见或无效的字符（{code}），页面和订阅源无法显示。",
                        f"contains an invisible or invalid character ({code}) that pages and the feed cannot carry.",
                        "删去该字符后重新输入这段文字。", "delete it and retype the text")
        elif len(value) > MAX_ANY_STRING:
            check.error(key, f"文字过长（上限 {MAX_ANY_STRING} 字）。",
                        f"the text is too long (the limit is {MAX_ANY_STRING} characters).")


def _check_site(document: Document, errors: list[ContentError], today: dt.date) -> dt.date | None:
    """Check site.yaml; return the document's date, the earliest date anything may carry."""
    check = Checker(document, errors)
    site = document.data
    required = tuple(f for f in SITE_FIELDS if f not in SITE_OPTIONAL)
    if not check.mapping(site, (), SITE_FIELDS, required):
        return None
    earliest = _check_document_fields(check, site, ("title", "branch", "source_title", "description"), today)
    for name in ("repository", "editor_auth"):
        if site.get(name) is not None:
            check.url(site[name], (name,))
    if site.get("report_error") is not None:
        check.url(site["report_error"], ("report_error",), REPORT_CHANNEL)
    for name in ("publisher", "contact"):
        if site.get(name) is not None:
            check.text(site[name], (name,), limit=LIMITS["title"])
    for name in ("plan_title", "plan_short_title", "issuer", "leader_label", "deadline_note", "government_name"):
        if site.get(name) is not None:
            check.text(site[name], (name,), limit=LIMITS["title"])
    if site.get("government_short_name") is not None:
        check.text(site["government_short_name"], ("government_short_name",), limit=LIMITS["short_title"])
    if site.get("government_id") is not None and not (
            isinstance(site["government_id"], str) and PLAN_ID.fullmatch(site["government_id"])):
        check.error(("government_id",), "government_id 只能用小写字母、数字和连字符，例如 jiangxi。",
                    "government_id may only use lower-case letters, digits and hyphens.")
    if site.get("plan_id") is not None and not (isinstance(site["plan_id"], str) and PLAN_ID.fullmatch(site["plan_id"])):
        check.error(("plan_id",), "plan_id 只能用小写字母、数字和连字符，并加引号，例如 \"2021\"。",
                    "plan_id may only use lower-case letters, digits and hyphens, quoted, e.g. \"2021\".")
    examples = site.get("search_examples")
    if examples is not None:
        if not isinstance(examples, list):
            check.error(("search_examples",), "search_examples 应为列表。", "search_examples must be a list.")
        else:
            for index, example in enumerate(examples):
                check.text(example, ("search_examples", index), limit=LIMITS["unit_name"])
    if site.get("base_url") is not None:
        problem = base_url_problem(site["base_url"])
        if problem:
            check.error(("base_url",), *problem)
    return earliest


def _entries(check: Checker, what_zh: str, what_en: str, may_be_empty: bool = False) -> list[tuple[int, object]]:
    """The items of a registry that must be a list (non-empty unless `may_be_empty`: a further
    government whose documents name no leader); each is checked by the caller."""
    data = check.document.data
    if may_be_empty and data is None:
        return []
    if not isinstance(data, list) or not (data or may_be_empty):
        check.error((), f"应为{what_zh}的列表。", f"expected a list of {what_en}.")
        return []
    return list(enumerate(data))


def _unique(check: Checker, seen: dict[str, int], value, key: tuple, what_zh: str, what_en: str) -> None:
    if not isinstance(value, str):
        return
    if value in seen:
        check.error(key, f"{what_zh}“{value}”与第 {seen[value]} 行重复。",
                    f"{what_en} '{value}' repeats the one on line {seen[value]}.")
    else:
        seen[value] = check.document.line(*key) or 0


# What a name may not hold beyond what no value may (FORBIDDEN_CHARACTER): characters that show
# nothing, or reorder what follows them (format characters such as U+202E RIGHT-TO-LEFT OVERRIDE
# and U+200B ZERO WIDTH SPACE, line and paragraph separators, private and unassigned code points).
# Two names that differ only by one of them look the same and are two names.
INVISIBLE_IN_NAMES = ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp")


def folded_name(name: str) -> str:
    """A name as compared with others: NFKC folds full-width letters and digits, compatibility
    ideographs and the like into one form, so that names that read the same compare the same."""
    return unicodedata.normalize("NFKC", name)


def _unique_name(check: Checker, seen: dict[str, tuple[int, str, int]], value, key: tuple, what_zh: str,
                 what_en: str) -> None:
    """A registered name holds no invisible character, and is one name: none of another entry
    is equal to it after NFKC folding (see folded_name). An entry's alias that folds to its own
    name declares the two one name, which is what the import needs to match a table's spelling."""
    if not isinstance(value, str):
        return
    hidden = next((char for char in value if unicodedata.category(char) in INVISIBLE_IN_NAMES
                   and not FORBIDDEN_CHARACTER.match(char)), None)
    if hidden is not None:
        code, name = f"U+{ord(hidden):04X}", unicodedata.name(hidden, "unassigned")
        check.error(key, f"{what_zh}“{value}”中有不可见的字符 {code}（{name}）：看起来相同的两个名称会成为不同的名称。",
                    f"the {what_en} '{value}' holds an invisible character {code} ({name}): two names that look "
                    "the same would be two names.", "删去该字符后重新输入名称。", "delete it and retype the name")
        return
    line = check.document.line(*key) or 0
    folded = folded_name(value)
    entry = key[0]
    if folded not in seen:
        seen[folded] = (line, value, entry)
        return
    first_line, first, first_entry = seen[folded]
    if first != value and first_entry == entry:
        return
    if first == value:
        check.error(key, f"{what_zh}“{value}”与第 {first_line} 行重复。",
                    f"{what_en} '{value}' repeats the one on line {first_line}.")
    else:
        check.error(key, f"{what_zh}“{value}”与第 {first_line} 行的“{first}”只是字符写法不同（全角、半角或兼容字符），"
                         "读者看来是同一个名称。",
                    f"{what_en} '{value}' differs from '{first}' on line {first_line} only in the form of its "
                    "characters (full-width, half-width or compatibility forms): readers see one name.",
                    "统一为同一种写法；确是同一单位的另一种写法时，写为别名（aliases）。",
                    "write both the same way; if it is another spelling of the same unit, make it an alias")


def _check_statuses(document: Document, errors: list[ContentError]) -> tuple[dict[str, str], frozenset[str]]:
    """The statuses (code -> label), and the codes of those only a reporting round may set."""
    check = Checker(document, errors)
    codes: dict[str, str] = {}
    round_only: set[str] = set()
    seen: dict[str, int] = {}
    for index, item in _entries(check, "状态", "statuses"):
        key = (index,)
        if not check.mapping(item, key, STATUS_FIELDS, STATUS_REQUIRED):
            continue
        if "needs_round" in item:
            if not isinstance(item["needs_round"], bool):
                check.error(key + ("needs_round",), "needs_round 只能写 true 或 false。",
                            "needs_round must be true or false.")
            elif item["needs_round"] and index == 0:
                check.error(key + ("needs_round",),
                            "第一个状态是所有任务的初始状态，不能只用于报送轮次（needs_round）。",
                            "the first status is every task's initial status; it cannot be one only a round may set.",
                            "把“未报送”一类的状态移到后面。", "move it further down the list")
            elif item["needs_round"] and isinstance(item.get("code"), str):
                round_only.add(item["code"])
        code = item.get("code")
        if not (isinstance(code, str) and STATUS_CODE.fullmatch(code) and len(code) <= 30):
            check.error(key + ("code",), f"状态代码“{code}”只能用小写英文字母和下划线，例如 on_track。",
                        f"status code '{code}' may only use lower-case ASCII letters and underscores, e.g. on_track.")
        else:
            _unique(check, seen, item["code"], key + ("code",), "状态代码", "status code")
            if check.text(item.get("label"), key + ("label",), limit=LIMITS["status_label"]):
                codes[item["code"]] = item["label"]
        check.text(item.get("meaning"), key + ("meaning",), limit=LIMITS["title"])
        color = item.get("color")
        if not (isinstance(color, str) and COLOR.fullmatch(color)):
            check.error(key + ("color",), f"颜色“{color}”应写成 #RRGGBB。", f"color '{color}' must be #RRGGBB.")
    return codes, frozenset(round_only & codes.keys())


def _collectives_by_government(content: Content, first: str) -> dict[str, set[str]]:
    """Each government's units that stand for others (各设区市政府): none of them can fill a table."""
    def collectives(document: Document | None) -> set[str]:
        data = document.data if document is not None else None
        return {item["name"] for item in data if isinstance(item, dict) and "members" in item
                and isinstance(item.get("name"), str)} if isinstance(data, list) else set()
    return {first: collectives(content.registries.get("units"))} | {
        government.id: collectives(government.registries.get("units")) for government in content.governments}


def _check_rounds(document: Document, errors: list[ContentError], registry: Registry, names: dict[str, tuple],
                  plan_governments: dict[str, str | None],
                  collectives: dict[str, set[str]]) -> dict[str, dict[dt.date, RoundScope]]:
    """content/rounds.yaml: each round's plan, dates and units (its plan's government's); returns
    each plan's rounds by as-of date."""
    check = Checker(document, errors)
    plan_ids = list(plan_governments)
    rounds: dict[str, dict[dt.date, RoundScope]] = {}
    for index, item in _entries(check, "报送轮次", "reporting rounds"):
        key = (index,)
        if not check.mapping(item, key, ROUND_FIELDS, ROUND_REQUIRED):
            continue
        plan_id = item.get("plan", plan_ids[0])
        if plan_id not in plan_ids:
            check.choice(plan_id, key + ("plan",), {p: p for p in plan_ids}, "计划", "plan")
            continue
        government = plan_governments[plan_id]
        leaders, units_known = names.get(government) or (None, None)
        if units_known is None:  # the government's registry is broken: its own errors say why
            continue
        if "title" in item:
            check.text(item["title"], key + ("title",), limit=LIMITS["title"])
        # Every date checked, each reported once (a missing one already is, as missing).
        dates_ok = all([check.date(item[name], key + (name,), latest=registry.today if name in ("sent", "closed") else None)
                        for name in ("as_of", "due", "sent", "closed") if name in item]) and "as_of" in item and "due" in item
        if dates_ok and item.get("closed") and item.get("sent") and item["closed"] < item["sent"]:
            check.error(key + ("closed",), f"结束日期 {item['closed']} 早于发出日期 {item['sent']}。",
                        f"closed {item['closed']} is before sent {item['sent']}.", "检查日期。", "check the dates")
        units = item.get("units")
        asked: set[str] = set()
        if not isinstance(units, list) or not units:
            check.error(key + ("units",), "units 应为被要求报送的牵头单位名称的列表。",
                        "units must list the lead units asked to report.")
        else:
            for unit_index, name in enumerate(units):
                unit_key = key + ("units", unit_index)
                if not check.known_name(name, unit_key, units_known, "单位", "unit"):
                    continue
                if units_known[name] in collectives.get(government, set()):
                    check.error(unit_key, f"“{name}”是统称，不能填报；请列出它所代表的单位。",
                                f"'{name}' is a collective and cannot fill a table; list its members instead.")
                elif units_known[name] in asked:
                    check.error(unit_key, f"“{name}”重复出现。", f"'{name}' is listed twice.")
                asked.add(units_known[name])
        leader = item.get("leader")
        if leader is not None and not check.known_name(leader, key + ("leader",), leaders or set(), "领导", "leader"):
            leader = None
        if not dates_ok:
            continue
        plan_rounds = rounds.setdefault(plan_id, {})
        if item["as_of"] in plan_rounds:
            check.error(key + ("as_of",), f"计划“{plan_id}”已有截至 {item['as_of']} 的报送轮次。",
                        f"plan '{plan_id}' already has a round as of {item['as_of']}.",
                        "同一截至日期的报送合为一个轮次：把单位并入已有的那一项。",
                        "one round per as-of date: merge the units into the existing entry")
            continue
        plan_rounds[item["as_of"]] = RoundScope(frozenset(asked), leader, bool(item.get("closed")))
    return rounds


def _check_rounds_ask(document: Document, errors: list[ContentError], first_id: str,
                      tasks_by_plan: dict[str, list[Document]], names_by_plan: dict[str, tuple],
                      collectives: dict[str, set[str]], plan_governments: dict[str, str | None]) -> None:
    """Every unit a round asks leads at least one task of its plan (of its leader, if it names one)."""
    check = Checker(document, errors)
    data = document.data if isinstance(document.data, list) else []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("units"), list):
            continue
        plan_id = item.get("plan", first_id)
        tasks, (leaders, units) = tasks_by_plan.get(plan_id), names_by_plan.get(plan_id, (None, None))
        leader = item.get("leader")
        if tasks is None or units is None or (leader is not None and leader not in (leaders or ())):
            continue  # what is wrong with the plan, the registry or the leader is reported as such
        standing_for_others = collectives.get(plan_governments.get(plan_id), set())
        led: set[str] = set()
        for task in tasks:
            data_ = task.data if isinstance(task.data, dict) else {}
            if leader is None or leader in (data_.get("leaders") or []):
                led.update(units.get(name) for name in data_.get("lead_units") or [] if isinstance(name, str))
        for unit_index, name in enumerate(item["units"]):
            if (isinstance(name, str) and name in units and units[name] not in led
                    and units[name] not in standing_for_others):
                whose = f"{leader}牵头的" if leader else ""
                check.error((index, "units", unit_index),
                            f"“{name}”在该计划中不牵头{whose}任何任务，无从报送。",
                            f"'{name}' leads no task of this plan{' of ' + leader if leader else ''}; it has nothing to report.",
                            "从 units 中删去它。", "remove it from units")


def _check_review_marks(check: Checker, item: dict, key: tuple, limit: int) -> None:
    """`reviewed: false` and `resembles: [...]`, which the import writes into the registries it
    makes for a new government, until a maintainer has checked the entry."""
    if "reviewed" in item and not isinstance(item["reviewed"], bool):
        check.error(key + ("reviewed",), "reviewed 只能写 true 或 false。", "reviewed must be true or false.",
                    "核对该登记项后改为 true，或删去这一行。", "set it to true once the entry is checked, or remove the line")
    resembles = item.get("resembles", [])
    if not isinstance(resembles, list):
        check.error(key + ("resembles",), "resembles 应为名称的列表。", "resembles must be a list of names.")
        return
    for index, name in enumerate(resembles):
        check.text(name, key + ("resembles", index), limit=limit)


def _check_leaders(document: Document, errors: list[ContentError], may_be_empty: bool = False) -> set[str]:
    check = Checker(document, errors)
    names: set[str] = set()
    seen_names: dict[str, tuple[int, str, int]] = {}
    seen_slugs: dict[str, int] = {}
    for index, item in _entries(check, "领导", "leaders", may_be_empty):
        key = (index,)
        if not check.mapping(item, key, ("name", "slug", "post", "post_source", "posts", "reviewed", "resembles"), ("name", "slug")):
            continue
        _check_review_marks(check, item, key, LIMITS["leader_name"])
        if "post" in item:
            check.text(item["post"], key + ("post",), limit=LIMITS["leader_name"])
        if "post_source" in item:
            check.url(item["post_source"], key + ("post_source",))
        if "posts" in item:
            _check_posts(check, item["posts"], key + ("posts",))
        if check.text(item.get("name"), key + ("name",), limit=LIMITS["leader_name"]):
            _unique_name(check, seen_names, item["name"], key + ("name",), "领导", "leader")
            names.add(item["name"])
        if check.slug(item.get("slug"), key + ("slug",)):
            _unique(check, seen_slugs, item["slug"], key + ("slug",), "网址名", "slug")
    return names


def _check_posts(check: Checker, posts, key: tuple) -> None:
    """A leader's dated posts: each a post held from a date (until a date, when it ended)."""
    if not isinstance(posts, list) or not posts:
        check.error(key, "posts 应为非空列表，每项写 post、from（和 until）。",
                    "posts must be a non-empty list of post, from (and until).")
        return
    for index, item in enumerate(posts):
        item_key = key + (index,)
        if not check.mapping(item, item_key, ("post", "from", "until", "source"), ("post", "from")):
            continue
        check.text(item.get("post"), item_key + ("post",), limit=LIMITS["leader_name"])
        if check.date(item.get("from"), item_key + ("from",)) and "until" in item:
            check.date(item["until"], item_key + ("until",), earliest=item["from"])
        if "source" in item:
            check.url(item["source"], item_key + ("source",))


def _check_subjects(document: Document, errors: list[ContentError]) -> dict[str, str]:
    check = Checker(document, errors)
    names: dict[str, str] = {}
    seen_names: dict[str, int] = {}
    seen_slugs: dict[str, int] = {}
    for index, item in _entries(check, "主题", "subjects"):
        key = (index,)
        if not check.mapping(item, key, ("slug", "name", "synonyms"), ("slug", "name")):
            continue
        slug_ok = check.slug(item.get("slug"), key + ("slug",))
        if slug_ok:
            _unique(check, seen_slugs, item["slug"], key + ("slug",), "网址名", "slug")
        if check.text(item.get("name"), key + ("name",), limit=LIMITS["subject_name"]):
            _unique_name(check, seen_names, item["name"], key + ("name",), "主题名称", "subject name")
            if slug_ok:
                names[item["slug"]] = item["name"]
        synonyms = item.get("synonyms", [])
        if not isinstance(synonyms, list):
            check.error(key + ("synonyms",), "synonyms 应为列表，例如 [看病, 就医]。",
                        "synonyms must be a list, e.g. [看病, 就医].")
            continue
        for synonym_index, synonym in enumerate(synonyms):
            check.text(synonym, key + ("synonyms", synonym_index), limit=LIMITS["subject_name"])
    return names


def _check_subjects_of_task(check: Checker, task: dict, subjects: dict[str, str]) -> None:
    """Once a registry exists every task is filed under 1–3 of its subjects, so that no task
    is missing from the subject pages."""
    value = task.get("subjects")
    listing = "、".join(subjects)
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_SUBJECTS_PER_TASK:
        check.error(("subjects",), f"应列出 1–{MAX_SUBJECTS_PER_TASK} 个主题，例如 subjects: [{_example(subjects)}]。",
                    f"expected a list of 1–{MAX_SUBJECTS_PER_TASK} subjects, e.g. subjects: [{_example(subjects)}].",
                    f"主题登记在 content/subjects.yaml：{listing}。", "subjects are listed in content/subjects.yaml")
        return
    for index, slug in enumerate(value):
        check.choice(slug, ("subjects", index), subjects, "主题", "subject")
    for slug, count in Counter(s for s in value if isinstance(s, str)).items():
        if count > 1:
            check.error(("subjects",), f"主题“{slug}”重复出现。", f"subject '{slug}' is listed twice.")


def _check_units(document: Document, errors: list[ContentError], kinds: dict[str, str],
                 may_be_empty: bool = False) -> dict[str, str]:
    check = Checker(document, errors)
    known: dict[str, str] = {}
    seen_names: dict[str, int] = {}
    seen_slugs: dict[str, int] = {}
    members_to_check: list[tuple[tuple, object]] = []
    short_names: list[tuple[str, tuple]] = []
    for index, item in _entries(check, "单位", "units", may_be_empty):
        key = (index,)
        if not check.mapping(item, key, ("name", "slug", "kind", "aliases", "short_names", "members", "reviewed",
                                         "resembles"), ("name", "slug", "kind")):
            continue
        _check_review_marks(check, item, key, LIMITS["unit_name"])
        name = item.get("name")
        if check.text(name, key + ("name",), limit=LIMITS["unit_name"]):
            _unique_name(check, seen_names, name, key + ("name",), "单位名称", "unit name")
            known[name] = name
        if check.slug(item.get("slug"), key + ("slug",)):
            _unique(check, seen_slugs, item["slug"], key + ("slug",), "网址名", "slug")
        if "kind" in item:
            if kinds:
                check.choice(item["kind"], key + ("kind",), kinds, "单位类别", "unit kind")
            else:
                check.error(key + ("kind",), "没有 unit_kinds（单位类别及其名称），无法核对 kind。",
                            "there are no unit_kinds (the kinds of units and their labels) to check kind against.",
                            "第一个政府的 unit_kinds 写在 site.yaml，其他政府的写在各自的 government.yaml。",
                            "add unit_kinds to site.yaml (the first government) or to the government's government.yaml")
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list):
            check.error(key + ("aliases",), "aliases 应为列表。", "aliases must be a list.")
            aliases = []
        for alias_index, alias in enumerate(aliases):
            if check.text(alias, key + ("aliases", alias_index), limit=LIMITS["unit_name"]):
                _unique_name(check, seen_names, alias, key + ("aliases", alias_index), "单位名称", "unit name")
                if isinstance(name, str):
                    known[alias] = name
        short_names += _short_names(check, item, key)
        if "members" in item:
            members_to_check.append((key + ("members",), item["members"]))
    _check_short_names(check, short_names, seen_names)
    collectives = {item.get("name") for _, item in _entries(Checker(document, []), "单位", "units", True)
                   if isinstance(item, dict) and "members" in item and isinstance(item.get("name"), str)}
    for key, members in members_to_check:
        for index, member in enumerate(check.names(members, key, known, "单位", "unit")):
            if known[member] in collectives:
                check.error(key + (index,), f"“{member}”本身是统称，不能作为其他统称的成员。",
                            f"'{member}' is itself a collective and cannot be a member of one.",
                            "直接列出它所代表的各单位。", "list the units it stands for instead")
    return known


def _short_names(check: Checker, item: dict, key: tuple) -> list[tuple[str, tuple]]:
    """A unit's short_names, each a text: the abbreviations and common names readers search by."""
    value = item.get("short_names", [])
    if not isinstance(value, list):
        check.error(key + ("short_names",), "short_names 应为列表，例如 [省发改委, 发改委]。",
                    "short_names must be a list, e.g. [省发改委, 发改委].")
        return []
    return [(short, key + ("short_names", index)) for index, short in enumerate(value)
            if check.text(short, key + ("short_names", index), limit=LIMITS["unit_name"])]


def _check_short_names(check: Checker, short_names: list[tuple[str, tuple]],
                       names: dict[str, tuple[int, str, int]]) -> None:
    """A short name names one unit of its registry, and is no unit's name or other spelling:
    search says which unit a reader typing it meant."""
    seen: dict[str, tuple[int, str, int]] = {}
    for short, key in short_names:
        folded = folded_name(short)
        if folded in names:
            line, name, _ = names[folded]
            check.error(key, f"简称“{short}”已是第 {line} 行的单位名称“{name}”。",
                        f"the short name '{short}' is already the unit name '{name}' on line {line}.",
                        "删去这个简称：按单位名称已能找到该单位。",
                        "delete the short name: search finds the unit by its name")
        elif folded in seen:
            line, first, _ = seen[folded]
            check.error(key, f"简称“{short}”与第 {line} 行的简称“{first}”重复：一个简称只能指一个单位。",
                        f"the short name '{short}' repeats '{first}' on line {line}: a short name names one unit.",
                        "只在最常被这样称呼的单位下保留它。", "keep it only under the unit most often called so")
        else:
            seen[folded] = (check.document.line(*key) or 0, short, key[0])


def _check_sections(document: Document, errors: list[ContentError]) -> dict[int, tuple[int, set[int]]]:
    check = Checker(document, errors)
    sections: dict[int, tuple[int, set[int]]] = {}
    seen: dict[str, int] = {}
    for index, item in _entries(check, "篇章", "sections"):
        key = (index,)
        if not check.mapping(item, key, ("number", "title", "declared_count", "subsections"),
                             ("number", "title", "declared_count", "subsections")):
            continue
        check.text(item.get("title"), key + ("title",), limit=LIMITS["title"])
        ok = check.integer(item.get("number"), key + ("number",), limit=MAX_SECTION)
        ok = check.integer(item.get("declared_count"), key + ("declared_count",), limit=MAX_TASK_NUMBER) and ok
        if ok:
            _unique(check, seen, str(item["number"]), key + ("number",), "篇章编号", "section number")
        subsections: set[int] = set()
        subs = item.get("subsections")
        if not isinstance(subs, list) or not subs:
            check.error(key + ("subsections",), "subsections 应为非空列表。", "subsections must be a non-empty list.")
            subs = []
        for sub_index, sub in enumerate(subs):
            sub_key = key + ("subsections", sub_index)
            if check.mapping(sub, sub_key, ("number", "title"), ("number", "title")):
                check.text(sub.get("title"), sub_key + ("title",), limit=LIMITS["title"])
                if check.integer(sub.get("number"), sub_key + ("number",), limit=MAX_SECTION):
                    subsections.add(sub["number"])
        if ok:
            sections[item["number"]] = (item["declared_count"], subsections)
    return sections


def expected_task_file(task_id: str) -> str | None:
    """File name a task id belongs in: 1-5 -> 1-05.yaml."""
    match = TASK_ID.fullmatch(task_id)
    if not match:
        return None
    return f"{int(match.group(1))}-{int(match.group(2)):02d}.yaml"


def _check_unique_id(check: Checker, task_id: str, seen_ids: dict[str, str]) -> None:
    """One file per id in a plan; the first in file order keeps it."""
    if task_id in seen_ids:
        check.error(("id",), f"编号“{task_id}”与 {seen_ids[task_id]} 重复。",
                    f"id '{task_id}' is already used by {seen_ids[task_id]}.")
    else:
        seen_ids[task_id] = check.document.file


def _check_task(document: Document, registry: Registry, errors: list[ContentError]) -> tuple[int | None, str | None]:
    """Check one task file on its own; return its section number and its id, each when sound."""
    check = Checker(document, errors)
    task = document.data
    if not check.mapping(task, (), TASK.names, TASK.required):
        return None, None
    task_id = task.get("id")
    sound_id = None
    file_name = document.file.rsplit("/", 1)[-1]
    if not isinstance(task_id, str) or not TASK_ID.fullmatch(task_id):
        check.error(("id",), f"编号“{task_id}”格式不对，应为“篇章-序号”，例如 1-5。",
                    f"id '{task_id}' must be <section>-<number>, e.g. 1-5.")
    else:
        expected = expected_task_file(task_id)
        if expected != file_name:
            check.error(("id",), f"编号“{task_id}”与文件名“{file_name}”不符，应保存为 {expected}。",
                        f"id '{task_id}' does not match the file name '{file_name}'; expected {expected}.",
                        "改正编号，或把文件改名。", "fix the id or rename the file")
        sound_id = task_id
    section_ok = check.integer(task.get("section"), ("section",), limit=MAX_SECTION)
    number_ok = check.integer(task.get("number"), ("number",), limit=MAX_TASK_NUMBER)
    sub_ok = check.integer(task.get("subsection"), ("subsection",), limit=MAX_SECTION)
    section = task.get("section") if section_ok else None
    if section is not None and registry.sections:
        if section not in registry.sections:
            check.error(("section",), f"没有第 {section} 篇章。可选：{'、'.join(map(str, sorted(registry.sections)))}。",
                        f"there is no section {section}; allowed: {', '.join(map(str, sorted(registry.sections)))}.")
            section = None
        elif sub_ok and task["subsection"] not in registry.sections[section][1]:
            allowed = sorted(registry.sections[section][1])
            check.error(("subsection",), f"第 {section} 篇章没有第 {task['subsection']} 小节。可选：{'、'.join(map(str, allowed))}。",
                        f"section {section} has no subsection {task['subsection']}; allowed: {', '.join(map(str, allowed))}.")
    if section_ok and number_ok and isinstance(task_id, str) and TASK_ID.fullmatch(task_id):
        if task_id != f"{task['section']}-{task['number']}":
            check.error(("id",), f"编号“{task_id}”与 section: {task['section']}、number: {task['number']} 不符。",
                        f"id '{task_id}' disagrees with section {task['section']} and number {task['number']}.")
    check.text(task.get("text"), ("text",), limit=MAX_TASK_TEXT)
    if registry.leaders is not None:
        check.names(task.get("leaders"), ("leaders",), registry.leaders, "领导", "leader",
                    allow_empty=not registry.leaders_required)
    if registry.units is not None:
        check.names(task.get("lead_units"), ("lead_units",), registry.units, "单位", "unit")
        check.names(task.get("responsible_units"), ("responsible_units",), registry.units, "单位", "unit",
                    allow_empty=True)
    if registry.statuses and "status" in task:
        check.choice(task["status"], ("status",), registry.statuses, "状态", "status")
    if registry.subjects is not None and ("subjects" in task or registry.subjects_required):
        _check_subjects_of_task(check, task, registry.subjects)
    elif "subjects" in task:
        check.error(("subjects",), "没有主题登记表 content/subjects.yaml，不能填写 subjects。",
                    "subjects are given, but there is no content/subjects.yaml to check them against.")
    if "title" in task and check.text(task["title"], ("title",), limit=LIMITS["task_title"]):
        _check_title(check, task["title"])
    if "and_others" in task:
        _check_and_others(check, task)
    if "deadline" in task:
        _check_deadline(check, task["deadline"], registry)
    if "deadline_text" in task:
        check.text(task["deadline_text"], ("deadline_text",), limit=LIMITS["title"])
    if "timeframe" in task and check.mapping(task["timeframe"], ("timeframe",), TIMEFRAME.names, TIMEFRAME.required):
        check.choice(task["timeframe"]["kind"], ("timeframe", "kind"), TIMEFRAMES, "期限类别", "timeframe kind")
    _check_targets(check, task.get("targets"), registry)
    _check_updates(check, task, registry)
    if registry.round_statuses:
        _check_round_statuses(check, task, registry)
    return section, sound_id


def _check_title(check: Checker, title: str) -> None:
    """A title names the whole task; one that stops inside a list reads as broken Chinese."""
    ending = next((e for e in LIST_ENDINGS if title.rstrip().endswith(e)), None)
    if ending:
        check.error(("title",), f"标题“{title}”以“{ending}”结尾，停在列举中间。",
                    f"the title '{title}' ends with '{ending}', in the middle of a list.",
                    "标题应概括整项任务，写完整的词组，例如“稳定失业保险、医保和养老金待遇”。",
                    "write a phrase that names the whole task")


def _check_and_others(check: Checker, task: dict) -> None:
    """`and_others: [responsible_units]`: the lists the document ends with 等, each a list the task has."""
    value = task["and_others"]
    if not isinstance(value, list):
        check.error(("and_others",), "and_others 应为列表，例如 [responsible_units]。",
                    "and_others must be a list, e.g. [responsible_units].")
        return
    for index, name in enumerate(value):
        if check.choice(name, ("and_others", index), AND_OTHERS, "名单", "list") and not task.get(name):
            check.error(("and_others", index), f"{AND_OTHERS[name]}（{name}）是空的，不能注明“等”。",
                        f"{name} is empty: it cannot end with 等.", f"从 and_others 中删去 {name}。",
                        f"remove {name} from and_others")


def _check_round_statuses(check: Checker, task: dict, registry: Registry) -> None:
    """A status saying a unit was asked and did not report (未报送) needs a closed reporting
    round that asked one of the task's lead units: a task nobody asked about is never unreported."""
    names = task.get("lead_units") if isinstance(task.get("lead_units"), list) else []
    lead_units = {(registry.units or {}).get(name) for name in names if isinstance(name, str)}
    leaders = [name for name in task.get("leaders") or [] if isinstance(name, str)] if isinstance(
        task.get("leaders"), list) else []
    if any(scope.closed and scope.asks(lead_units, leaders) for scope in registry.rounds.values()):
        return
    updates = task.get("updates") if isinstance(task.get("updates"), list) else []
    uses = [(("status",), task.get("status"))] + [
        (("updates", index, "status"), update.get("status")) for index, update in enumerate(updates)
        if isinstance(update, dict)]
    for key, code in uses:
        if isinstance(code, str) and code in registry.round_statuses:
            label = registry.statuses.get(code, code)
            check.error(key, f"状态“{label}”表示牵头单位经报送轮次要求而未报送，只能用于已结束的报送轮次"
                             "（content/rounds.yaml 中写有 closed）要求其牵头单位报送的任务；本任务没有这样的轮次。",
                        f"status '{code}' says a lead unit was asked and did not report: it needs a closed "
                        "reporting round (content/rounds.yaml, with closed) that asked this task's lead unit.",
                        "没有人要求报送的任务，改用其他状态（例如第一个状态）。",
                        "a task no round asked about takes another status (such as the first)")


def _check_deadline(check: Checker, deadline, registry: Registry) -> None:
    """A deadline is a date with the source that sets it: the plan itself sets none."""
    if not isinstance(deadline, dict):
        check.error(("deadline",), "完成时限须写明出处：deadline 下写 date 和 source。原文件“完成时限”一栏的原文写在 deadline_text。",
                    "a deadline needs its source: write date and source under deadline; the document's own deadline column goes in deadline_text.",
                    "没有出处时删去 deadline。", "remove deadline when no source sets one")
        return
    if check.mapping(deadline, ("deadline",), DEADLINE.names, DEADLINE.required):
        check.date(deadline["date"], ("deadline", "date"), earliest=registry.earliest)
        _check_source(check, deadline["source"], ("deadline", "source"), registry)


def _check_source(check: Checker, source, key: tuple, registry: Registry) -> None:
    """A bare URL (older files), or title, date, kind and an optional URL; a submission may
    also name the round it answers and the public source it cited."""
    if isinstance(source, str):
        check.url(source, key)
        return
    if not check.mapping(source, key, SOURCE.names, SOURCE.required):
        return
    if source.get("kind") == SUBMISSION:
        _check_submission(check, source, key, registry)
    else:
        for name in SUBMISSION_FIELDS:
            if name in source:
                check.error(key + (name,), f"只有牵头单位报送（kind: {SUBMISSION}）才能写 {name}。",
                            f"only a lead unit's submission (kind: {SUBMISSION}) may give {name}.",
                            f"删去 {name}，或把 kind 改为 {SUBMISSION}。", f"remove {name}, or set kind to {SUBMISSION}")
    if "title" in source:
        check.text(source["title"], key + ("title",), limit=LIMITS["title"])
    if "date" in source:
        check.date(source["date"], key + ("date",), latest=registry.today)
        if "accessed" in source:
            check.error(key + ("accessed",), "来源已有发布日期 date，不要再写 accessed。",
                        "a source with its publication date needs no accessed day.",
                        "删去 accessed。", "remove accessed")
    elif "accessed" in source:
        if check.date(source["accessed"], key + ("accessed",), latest=registry.today) and not source.get("url"):
            check.error(key + ("url",), "只写查阅日期 accessed 的来源必须有网址 url，读者才能查到。",
                        "a source cited by the day it was read needs its url.")
    else:
        check.error(key, "来源缺少日期：写 date（网页的发布日期）；网页没有注明日期时，写 accessed（本站查阅该网页的日期）。",
                    "a source needs date (its publication date), or accessed (the day it was read) when the page gives none.",
                    "补写 date 或 accessed。", "add date or accessed")
    if source.get("url") is not None:
        check.url(source["url"], key + ("url",))
    if "kind" in source:
        check.choice(source["kind"], key + ("kind",), SOURCE_KINDS, "来源类别", "source kind")
    if "publisher" in source:
        check.text(source["publisher"], key + ("publisher",), limit=LIMITS["title"])
    original = source.get("copy_of")
    if original is not None and check.mapping(original, key + ("copy_of",), ORIGINAL.names, ORIGINAL.required):
        for name in ("publisher", "title"):
            if name in original:
                check.text(original[name], key + ("copy_of", name), limit=LIMITS["title"])
        if "date" in original:
            check.date(original["date"], key + ("copy_of", "date"), latest=registry.today)


def _check_submission(check: Checker, source: dict, key: tuple, registry: Registry) -> None:
    """The round a submission answered (the round's as-of date), by its unit (the publisher,
    then a registered unit the round asked), and its 出处."""
    if "round" in source:
        unit = source.get("publisher")
        if unit is None:
            check.error(key + ("round",), "写了报送轮次（round）的报送须写明报送单位（publisher）。",
                        "a submission answering a round must name its unit as publisher.",
                        "添加一行 publisher: …（报送单位）", "add publisher: … (the unit)")
        elif registry.units and not check.known_name(unit, key + ("publisher",), registry.units, "单位", "unit"):
            return
        _check_round_answered(check, source, key, registry)
    cites = source.get("cites")
    if cites is not None and check.mapping(cites, key + ("cites",), CITED.names, CITED.required):
        if "title" in cites:
            check.text(cites["title"], key + ("cites", "title"), limit=LIMITS["title"])
        if cites.get("url") is not None:
            check.url(cites["url"], key + ("cites", "url"))
        if cites.get("date") is not None:
            check.date(cites["date"], key + ("cites", "date"), latest=registry.today)


def _check_round_answered(check: Checker, source: dict, key: tuple, registry: Registry) -> None:
    """`round` is the as-of date of a round of the task's plan that asked the unit."""
    value = source["round"]
    if not check.date(value, key + ("round",)):
        return
    listing = "、".join(str(day) for day in sorted(registry.rounds)) or "无"
    scope = registry.rounds.get(value)
    if scope is None:
        check.error(key + ("round",), f"content/rounds.yaml 中本计划没有截至 {value} 的报送轮次。已有：{listing}。",
                    f"content/rounds.yaml has no reporting round of this plan as of {value}; there are: {listing}.",
                    "round 写报送轮次的 as_of 日期；不是答复某一轮次的报送，删去 round。",
                    "round is the round's as_of date; remove it if the submission answers no round")
    elif isinstance(source.get("publisher"), str) and (registry.units or {}).get(source["publisher"]) not in scope.units:
        check.error(key + ("publisher",), f"截至 {value} 的报送轮次没有要求“{source['publisher']}”报送。",
                    f"the round as of {value} did not ask '{source['publisher']}' to report.",
                    "核对报送单位，或在 content/rounds.yaml 该轮次的 units 中补上它。",
                    "check the unit, or add it to the round's units in content/rounds.yaml")


def _check_targets(check: Checker, targets, registry: Registry) -> None:
    if targets is None:
        return
    if not isinstance(targets, list):
        check.error(("targets",), "targets 应为列表（没有指标时写 []）。", "targets must be a list ([] when none).")
        return
    for index, target in enumerate(targets):
        key = ("targets", index)
        if isinstance(target, dict) and target.get("kind") == "milestone":
            _check_milestone(check, target, key, registry)
            continue
        if not check.mapping(target, key, TARGET.names, TARGET.required):
            continue
        if target.get("source") is not None:
            _check_source(check, target["source"], key + ("source",), registry)
        check.text(target.get("label"), key + ("label",), limit=LIMITS["target_label"])
        check.number(target.get("target"), key + ("target",))
        check.text(target.get("unit"), key + ("unit",), limit=LIMITS["target_unit"])
        if "comparator" in target:
            check.choice(target["comparator"], key + ("comparator",),
                         {code: code for code in COMPARATORS}, "比较方式", "comparator")
        if "actual" in target:
            check.number(target["actual"], key + ("actual",), nullable=True)
        if "actual_date" in target:
            check.date(target["actual_date"], key + ("actual_date",), nullable=True,
                       earliest=registry.earliest, latest=registry.today)
        if _check_achieved(check, target, key):
            _check_reading_agrees(check, target, key)
        _check_searched(check, target, key, "actual", registry)


def _check_milestone(check: Checker, target: dict, key: tuple, registry: Registry) -> None:
    """A milestone is reached or not (achieved: true / false / null), by a date."""
    if not check.mapping(target, key, MILESTONE.names, MILESTONE.required):
        return
    check.text(target.get("label"), key + ("label",), limit=LIMITS["target_label"])
    _check_achieved(check, target, key)
    check.date(target.get("achieved_date"), key + ("achieved_date",), nullable=True,
               earliest=registry.earliest, latest=registry.today)
    if target.get("source") is not None:
        _check_source(check, target["source"], key + ("source",), registry)
    _check_searched(check, target, key, "achieved", registry)


def _check_achieved(check: Checker, target: dict, key: tuple) -> bool:
    """achieved is true, false or null; True when it is one of them."""
    achieved = target.get("achieved")
    if achieved is not None and not isinstance(achieved, bool):
        check.error(key + ("achieved",), f"achieved 只能写 true（已达成）、false（未达成）或 null，实际是“{achieved}”。",
                    f"achieved must be true, false or null, found '{achieved}'.")
        return False
    return True


def _check_reading_agrees(check: Checker, target: dict, key: tuple) -> None:
    """An editor's achieved may not contradict a figure the comparator reads without judgement."""
    reading = target.get("achieved")
    figure = Target(label="", target=target.get("target"), comparator=target.get("comparator") or "exactly",
                    actual=target.get("actual"))
    if reading is None or not isinstance(figure.target, (int, float)) or not isinstance(figure.actual, (int, float)) \
            or figure.comparator not in COMPARATORS:
        return
    computed = figure.computed_verdict
    if computed is not None and computed != reading:
        said, shown = ("已达成", "未达到") if reading else ("未达成", "已达到")
        check.error(key + ("achieved",), f"achieved 写的是“{said}”，但实际值 {target['actual']} 按目标看{shown}。",
                    f"achieved says {str(reading).lower()}, but the actual {target['actual']} against the target says otherwise.",
                    "改正 actual 或 achieved；只有“左右”这类约数目标才需要写 achieved。",
                    "fix actual or achieved; achieved is only needed for an approximate (about) target")


def _check_searched(check: Checker, target: dict, key: tuple, outcome: str, registry: Registry) -> None:
    """searched records a search that found nothing: a target with an outcome has no such day."""
    if target.get("searched") is None:
        return
    if check.date(target["searched"], key + ("searched",), earliest=registry.earliest, latest=registry.today) \
            and target.get(outcome) is not None:
        check.error(key + ("searched",), f"已填写 {outcome}，就不应再写 searched（它表示查找后未找到结果）。",
                    f"searched says no outcome was found, but {outcome} is filled in.",
                    "删去 searched。", "remove searched")


def _check_updates(check: Checker, task: dict, registry: Registry) -> None:
    updates = task.get("updates")
    if updates is None:  # "updates:" left empty means no updates, as the model reads it
        updates = []
    if not isinstance(updates, list):
        check.error(("updates",), "updates 应为列表（没有进展时写 []）。", "updates must be a list ([] when none).")
        return
    dates: list[dt.date] = []
    last_status = None
    for index, update in enumerate(updates):
        key = ("updates", index)
        if not check.mapping(update, key, UPDATE.names, UPDATE.required):
            continue
        if "date" in update and check.date(update["date"], key + ("date",),
                                           earliest=registry.earliest, latest=registry.today):
            if dates and update["date"] < dates[-1]:
                check.error(key + ("date",), f"进展应按日期先后排列，{update['date']} 早于上一条的 {dates[-1]}。",
                            f"updates must be in date order, oldest first; {update['date']} is before {dates[-1]}.",
                            "把最新的进展写在最后。", "put the newest update last")
            dates.append(update["date"])
        if registry.statuses and "status" in update:
            if check.choice(update["status"], key + ("status",), registry.statuses, "状态", "status"):
                last_status = update["status"]
        if "note" in update:
            check.text(update["note"], key + ("note",), limit=MAX_NOTE, multiline=True)
        if update.get("source") is not None:
            _check_source(check, update["source"], key + ("source",), registry)
    status = task.get("status")
    if not isinstance(status, str):
        return  # already reported as not a status
    initial = next(iter(registry.statuses), None)
    if updates and initial is not None and last_status == initial:
        check.error(("updates", len(updates) - 1, "status"),
                    f"有进展记录的任务不能是“{registry.statuses[initial]}”：这个状态只用于本站还没有任何进展信息的任务。",
                    f"'{initial}' is for tasks the site has no information on, but this task has updates.",
                    "按来源所说选择状态（推进中、部分完成、已完成、未完成等，含义见 content/statuses.yaml）。",
                    "choose the status the source supports (see content/statuses.yaml)")
    if not updates and status in registry.statuses and status != initial:
        check.error(("status",), f"状态改为“{registry.statuses[status]}”时，须在 updates 中写明日期和依据。",
                    f"status '{status}' needs an update saying when and on what basis it was reported.",
                    f"在 updates 中添加一条进展（date、status: {status}、note、source）。",
                    f"add an update with date, status: {status}, note and source")
    if last_status and status in registry.statuses and status != last_status:
        check.error(("status",), f"当前状态“{status}”与最新一条进展的状态“{last_status}”不一致。",
                    f"status '{status}' differs from the newest update's status '{last_status}'.",
                    f"把 status 改为 {last_status}，或补充一条新的进展。",
                    f"set status to {last_status}, or add a newer update")


CORRECTION_FIELDS = ("task", "field", "kind", "original", "corrected", "passage", "why", "evidence", "evidence_url")
CORRECTED_FIELDS = {"text": "text", "leaders": "leaders", "lead_units": "lead_units",
                    "responsible_units": "responsible_units"}


def _check_corrections(document: Document, errors: list[ContentError]) -> None:
    """content/source/corrections.yaml: each entry a correction (original, corrected) or a
    doubt (kind: doubt, passage), with its reason and evidence; an outside source's address
    passes the URL policy like every other address."""
    check = Checker(document, errors)
    if document.data is None:
        return  # an empty list: no corrections
    if not isinstance(document.data, list):
        check.error((), "应为改字和存疑条目的列表。", "expected a list of corrections and doubts.")
        return
    for index, item in enumerate(document.data):
        key = (index,)
        doubt = isinstance(item, dict) and item.get("kind") == "doubt"
        required = ("task", "field", "why", "evidence") + (("passage",) if doubt else ("original", "corrected"))
        if not check.mapping(item, key, CORRECTION_FIELDS, required):
            continue
        if "kind" in item and not doubt:
            check.choice(item["kind"], key + ("kind",), {"correction": "改字", "doubt": "存疑"}, "条目类别", "entry kind")
        task = item.get("task")
        if "task" in item and not (isinstance(task, str) and TASK_ID.fullmatch(task)):
            check.error(key + ("task",), f"任务编号“{task}”应写成“篇章-序号”，例如 1-5。",
                        f"task '{task}' must be <section>-<number>, e.g. 1-5.")
        if "field" in item:
            check.choice(item["field"], key + ("field",), CORRECTED_FIELDS, "字段", "field")
        for name in ("original", "corrected", "passage"):
            if name in item:
                check.text(item[name], key + (name,), limit=MAX_TASK_TEXT)
        if "why" in item:
            check.text(item["why"], key + ("why",))
        if "evidence" in item:
            check.choice(item["evidence"], key + ("evidence",), EVIDENCE_KINDS, "依据类别", "evidence kind")
        if item.get("evidence_url") is not None:
            check.url(item["evidence_url"], key + ("evidence_url",))


def _check_section_counts(document: Document, counts: Counter[int], errors: list[ContentError]) -> None:
    check = Checker(document, errors)
    for index, item in enumerate(document.data):
        number, declared = item["number"], item["declared_count"]
        if counts[number] != declared:
            check.error((index, "declared_count"),
                        f"第 {number} 篇章声明 {declared} 项任务，实际有 {counts[number]} 项。",
                        f"section {number} declares {declared} tasks but has {counts[number]}.",
                        "检查是否缺少或多出任务文件，或编号写错了篇章。",
                        "look for a missing or extra task file, or a task filed under the wrong section")
