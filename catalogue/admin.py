"""The editor form: site/admin/, Decap CMS over the task files, configured from the registries.

Editors who never see YAML change a task's status, its updates and its targets' outcomes in a
form; saving opens a branch and a pull request on GitHub (Decap's editorial workflow), whose
check runs `build.py check` as for any other change. `admin/config.yml` is made here at each
build: the status select offers the statuses of statuses.yaml, the names are the registered
leaders and units, the source kinds are the validator's, and each plan is a collection. The
document's own fields are shown read-only. A save writes back only the values that changed
(assets/js/admin/task-format.js, with the field order and the implied values given here).

The public pages never link here; robots.txt keeps crawlers out and the sitemap leaves it out.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .load import task_folder
from .model import COMPARATORS, Catalogue, Plan, Target
from .pages import ADMIN_PATH, Page
from .render import Renderer
from .urls import web_address_pattern
from .schema import COMPARATOR_NAMES, DOCUMENT, MILESTONE, SOURCE, SOURCE_KINDS, TARGET, TASK, TIMEFRAMES, UPDATE
from .strings import Strings
from .validate import LIMITS, MAX_MAGNITUDE, MAX_NOTE, MAX_SUBJECTS_PER_TASK

Outputs = dict[str, bytes]

FORMAT = "catalogue-task"  # the file format main.js registers
DATE = "YYYY-MM-DD"
MILESTONE_TYPE = "milestone"


@dataclass
class AdminPage(Page):
    schema: dict = field(default_factory=dict)  # the task format's field order and implied values
    repository: str = ""                         # owner/name on GitHub, '' when unknown


@dataclass(frozen=True)
class EditorForm:
    """The form's page and its configuration, as data: made at every build (it costs little), and
    written out (14 MB of YAML at 10,000 tasks: it costs much) only when it changed."""

    page: AdminPage
    config: dict

    def files(self, render: Renderer) -> Outputs:
        """admin/index.html and admin/config.yml."""
        return {ADMIN_PATH: render(self.page)[0], ADMIN_PATH.rsplit("/", 1)[0] + "/config.yml": config_text(self.config)}


def editor_form(catalogue: Catalogue, say: Strings, content_folder: str) -> EditorForm:
    """The form of every plan. `content_folder` is the content folder's path in the repository
    (content), where the form finds the task files."""
    config = cms_config(catalogue, say, content_folder)
    # Every plan's form has the same fields but for its leaders' label.
    page = AdminPage(path=ADMIN_PATH, template="admin.html", title=say("admin.title"), description="", nav="",
                     in_sitemap=False, schema=task_schema(config["collections"][0]["fields"]),
                     repository=github_repository(catalogue.site.repository))
    return EditorForm(page, config)


def github_repository(address: str) -> str:
    """owner/name of a GitHub repository address, '' for anything else."""
    parts = urlsplit(address or "")
    names = [name for name in parts.path.strip("/").removesuffix(".git").split("/") if name]
    return "/".join(names) if parts.hostname == "github.com" and len(names) == 2 else ""


def config_text(config: dict) -> bytes:
    """The form's configuration as YAML that is also JSON, line by line: each top-level value, and
    each collection, a JSON value on a line of its own. YAML reads JSON's objects, lists, strings
    and constants as its own flow collections and scalars, so Decap reads the same configuration;
    written by Python's JSON encoder in C, the 15 MB of a form of 10,000 tasks take a thirtieth of
    the time PyYAML took to write them as block YAML."""
    parts = ["# Made by build.py from content/ (statuses, leaders, units, plans) and the task schema (catalogue/schema.py).\n"
             "# Do not edit: change the registries, the form's wording (templates/strings.yaml, form),"
             " or catalogue/admin.py.\n"]
    for key, value in config.items():
        if isinstance(value, list) and value:
            parts.append(f"{_flow(key)}:\n")
            parts += [f"- {_flow(item)}\n" for item in value]
        else:
            parts.append(f"{_flow(key)}: {_flow(value)}\n")
    return "".join(parts).encode("utf-8")


# What JSON writes as it is but YAML reads otherwise or refuses: DEL and the C1 controls, the
# line breaks of YAML 1.1 (NEL, U+2028, U+2029: folded into a space inside a quoted string),
# the byte order mark and the non-characters U+FFFE and U+FFFF. Escaped, both read them alike.
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _flow(value) -> str:
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return _NOT_YAML_PRINTABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def cms_config(catalogue: Catalogue, say: Strings, content_folder: str) -> dict:
    """The configuration of Decap CMS, its wording from templates/strings.yaml (form.*)."""
    site = catalogue.site
    # The pull request's title and the commit's subject; the task pages never show them.
    backend = {"name": "github", "branch": site.branch or "main",
               "commit_messages": {"update": say("form.commit", task="{{slug}}", editor="{{author-login}}")}}
    repository = github_repository(site.repository)
    if repository:
        backend["repo"] = repository
    if site.editor_auth:
        # Decap opens {base_url}/{auth_endpoint} to sign an editor in to GitHub (an OAuth service).
        address = urlsplit(site.editor_auth)
        backend["base_url"] = f"{address.scheme}://{address.netloc}"
        backend["auth_endpoint"] = address.path.strip("/") or "auth"
    names = registered_names(catalogue)
    config = {
        "backend": backend,
        # Each save is a branch and a pull request, reviewed and checked like any other change.
        "publish_mode": "editorial_workflow",
        # On this computer only (Decap asks localhost alone): `npx decap-server` serves the working tree.
        "local_backend": True,
        "locale": "zh_Hans",
        # Required by Decap; the form has no image fields and its note editor no image button.
        "media_folder": f"{content_folder}/media",
        "collections": [plan_collection(catalogue, plan, content_folder, names, say) for plan in catalogue.plans],
    }
    if site.base_url:
        config["site_url"] = config["display_url"] = site.base_url
    return config


def plan_collection(catalogue: Catalogue, plan: Plan, content_folder: str, names: dict[int, dict[str, list[str]]],
                    say: Strings) -> dict:
    """One plan's task files: a collection named after the plan and the government that issued it."""
    return {
        "name": f"plan-{plan.id}",
        "label": say("form.plan", plan=plan.short_title, issuer=plan.issuer) if plan.issuer else plan.short_title,
        "label_singular": say("form.task"),
        "description": say("form.plan_source", title=plan.source_title, number=plan.source_number),
        "folder": f"{content_folder}/{task_folder(None if plan.first else plan.id)}",
        "extension": "yaml",
        "format": FORMAT,
        "create": False,
        "delete": False,
        # Editors save (a pull request) and mark it ready; a maintainer merges it once reviewed and checked.
        "publish": False,
        "identifier_field": "id",
        # A task is known by its short title; where the plan's tasks have none yet, by its text.
        "summary": "{{id}}　{{title}}" if all(task.editor_title for task in plan.tasks)
                   else "{{id}}　{{text | truncate(40, '…')}}",
        "editor": {"preview": False},
        "view_filters": [{"label": status.label, "field": "status", "pattern": f"^{status.code}$"}
                         for status in catalogue.statuses],
        "view_groups": [{"label": say("form.by_status"), "field": "status"}, {"label": say("form.by_section"), "field": "section"}],
        # The document's fields first, read-only, then the editors'; the file keeps its own order.
        "fields": sorted((spec for name in TASK.names if (spec := task_field(catalogue, plan, name, names, say)) is not None),
                         key=lambda spec: spec["widget"] != "readonly"),
    }


def registered_names(catalogue: Catalogue) -> dict[int, dict[str, list[str]]]:
    """Each government's leaders' names and its units' names and aliases, by id() of the
    government: a plan's tasks name only its own government's (two governments' 省发展改革委 are
    two units). One list per government, however many plans share it."""
    return {id(government): {"leaders": [leader.name for leader in government.leaders],
                             "units": [alias for unit in government.units for alias in (unit.name, *unit.aliases)]}
            for government in catalogue.governments}


def task_field(catalogue: Catalogue, plan: Plan, name: str, names: dict[int, dict[str, list[str]]],
               say: Strings) -> dict | None:
    """The form field of a task file's field: the editors' own widgets for what they keep in the
    form, the document's fields read-only; None for one this content cannot have. `names` are
    registered_names()."""
    statuses = status_options(catalogue)
    label = TASK[name].label
    if name in ("leaders", "lead_units", "responsible_units"):
        registered = names[id(plan.government)]
        options = registered["leaders"] if name == "leaders" else registered["units"]
        # An empty list of responsible units is allowed; the form would take [] for no value.
        return readonly(name, plan.leader_label if name == "leaders" else label,
                        required=name != "responsible_units", options=options)
    if name == "timeframe":
        return readonly(name, label, labels=TIMEFRAMES)
    if name == "subjects":
        if not catalogue.subjects:
            return None  # no registry: the validator refuses the field
        return {"name": name, "label": label, "widget": "select", "multiple": True,
                "min": 1, "max": MAX_SUBJECTS_PER_TASK, "required": plan.first,
                "options": [{"label": subject.name, "value": subject.slug} for subject in catalogue.subjects],
                "hint": say("form.subjects_hint", most=MAX_SUBJECTS_PER_TASK)}
    if name == "title":
        return {**line_field(name, label, LIMITS["task_title"], say, required=False),
                "hint": say("form.title_hint", limit=LIMITS["task_title"])}
    if name == "status":
        return {"name": name, "label": label, "widget": "select", "options": statuses,
                "hint": say("form.status_hint", updates=TASK["updates"].label)}
    if name == "targets":
        return targets_field(say)
    if name == "updates":
        return updates_field(statuses, say)
    # The rest is read-only: the document's fields, and the editors' deadline and continues, which
    # they write in the file (docs/editor-guide.md).
    return readonly(name, label, required=TASK[name].required)


def status_options(catalogue: Catalogue) -> list[dict]:
    return [{"label": status.label, "value": status.code} for status in catalogue.statuses]


def readonly(name: str, label: str, required: bool = False, **extra) -> dict:
    return {"name": name, "label": label, "widget": "readonly", "required": required, **extra}


def line_field(name: str, label: str, limit: int, say: Strings, required: bool = True) -> dict:
    """One line of text, as the validator wants it: no spaces at either end, at most `limit` characters."""
    return {"name": name, "label": label, "widget": "string", "required": required,
            "pattern": [rf"^\S(?:[^\n]{{0,{limit - 2}}}\S)?$", say("form.one_line", limit=limit)]}


def date_field(name: str, label: str, say: Strings, required: bool = True) -> dict:
    return {"name": name, "label": label, "widget": "datetime", "required": required,
            "format": DATE, "date_format": DATE, "time_format": False, "picker_utc": False,
            "pattern": [r"^\d{4}-\d{2}-\d{2}$", say("form.date")]}


def source_field(say: Strings, required: bool) -> dict:
    """A source as the validator wants it; its parts required only when the source is (an
    optional mapping's parts would otherwise be asked for even when it is left empty)."""
    parts = {
        "title": line_field("title", SOURCE["title"].label, LIMITS["title"], say),
        "date": date_field("date", SOURCE["date"].label, say),
        "url": {"name": "url", "label": SOURCE["url"].label, "widget": "string",
                "pattern": [web_address_pattern(), say("form.url")],
                "hint": say("form.url_hint")},
        "kind": {"name": "kind", "label": SOURCE["kind"].label, "widget": "select",
                 "options": [{"label": label, "value": code} for code, label in SOURCE_KINDS.items()]},
        "accessed": {**date_field("accessed", SOURCE["accessed"].label, say, required=False),
                     "hint": say("form.accessed_hint")},
        "publisher": {**line_field("publisher", SOURCE["publisher"].label, LIMITS["title"], say, required=False),
                      "hint": say("form.publisher_hint")},
    }
    # A reprint's original (copy_of) is left to the file: its publisher, title and date would share
    # names with the source's own, which the form's nested fields cannot tell apart. So are a
    # submission's round and cited source (cites), which the report import writes.
    fields = [{**parts[name], "required": required and SOURCE[name].required} for name in SOURCE.names
              if name in parts]
    return {"name": "source", "label": UPDATE["source"].label, "widget": "object", "required": required, "collapsed": False,
            "fields": fields}


def targets_field(say: Strings) -> dict:
    """The document's targets: their outcome is the editors', the rest read-only."""
    quantity = {name: readonly(name, TARGET[name].label) for name in TARGET.owned_by(DOCUMENT)}
    quantity["comparator"] = readonly("comparator", TARGET["comparator"].label,
                                      labels={code: COMPARATOR_NAMES.get(code, code) for code in COMPARATORS})
    quantity |= {
        "actual": {"name": "actual", "label": TARGET["actual"].label, "widget": "number", "value_type": "float",
                   "required": False, "min": -MAX_MAGNITUDE, "max": MAX_MAGNITUDE,
                   "hint": say("form.actual_hint")},
        "actual_date": {**date_field("actual_date", TARGET["actual_date"].label, say, required=False),
                        "hint": say("form.actual_date_hint")},
        "achieved": {"name": "achieved", "label": TARGET["achieved"].label, "widget": "achieved", "required": False,
                     "hint": say("form.achieved_hint", about=COMPARATOR_NAMES["about"])},
        "source": source_field(say, required=False),
        "searched": {**date_field("searched", TARGET["searched"].label, say, required=False),
                     "hint": say("form.searched_hint")},
    }
    milestone = {
        "label": readonly("label", MILESTONE["label"].label),
        "achieved": {"name": "achieved", "label": MILESTONE["achieved"].label, "widget": "achieved", "required": False},
        "achieved_date": date_field("achieved_date", MILESTONE["achieved_date"].label, say, required=False),
        "source": source_field(say, required=False),
        "searched": quantity["searched"],
    }
    return {
        "name": "targets", "label": TASK["targets"].label, "widget": "list", "required": False,
        "allow_add": False, "allow_remove": False, "allow_reorder": False,
        "typeKey": "kind", "summary": "{{label}}",
        # Decap reads these of each kind of item, not of the list.
        "types": [
            {"name": Target.kind, "label": say("form.quantity"), "widget": "object", "summary": "{{label}}",
             "allow_remove": False, "allow_reorder": False,
             "fields": [quantity[name] for name in TARGET.names if name in quantity]},
            {"name": MILESTONE_TYPE, "label": say("form.milestone"), "widget": "object", "summary": "{{label}}",
             "allow_remove": False, "allow_reorder": False,
             "fields": [milestone[name] for name in MILESTONE.names if name in milestone]},
        ],
    }


def updates_field(statuses: list[dict], say: Strings) -> dict:
    parts = {
        "date": {**date_field("date", UPDATE["date"].label, say), "hint": say("form.update_date_hint")},
        "status": {"name": "status", "label": UPDATE["status"].label, "widget": "select", "options": statuses},
        "note": {"name": "note", "label": UPDATE["note"].label, "widget": "markdown", "minimal": True,
                 "buttons": ["bold", "italic", "link", "bulleted-list", "numbered-list"],
                 "editor_components": [], "modes": ["rich_text", "raw"],
                 "pattern": [rf"^[\s\S]{{1,{MAX_NOTE}}}$", say("form.note", limit=MAX_NOTE)],
                 "hint": say("form.note_hint")},
        "source": source_field(say, required=True),
    }
    return {
        "name": "updates", "label": TASK["updates"].label, "label_singular": say("form.update"), "widget": "list",
        "required": False, "allow_reorder": False, "add_to_top": False,
        "summary": "{{fields.date}}　{{fields.status}}",
        "hint": say("form.updates_hint"),
        # Every update names its source (docs/editor-guide.md), though the validator accepts one without.
        "fields": [{**parts[name], "required": UPDATE[name].required or name == "source"} for name in update_order()],
    }


def update_order() -> list[str]:
    """An update's fields as the form shows them: its date after its source. Decap validates an
    object's fields by name, and a nested object's fields answer for the same names (decap-cms
    3.16: ObjectControl.processControlRef), so the source's date would stand in for the update's
    and a missing update date go unnoticed. The file keeps the validator's order whatever the
    form's (task-format.js)."""
    return [name for name in UPDATE.names if name != "date"] + ["date"]


def merged_order(*orders: tuple[str, ...]) -> list[str]:
    """One order of fields that keeps the order of each: a target's and a milestone's fields."""
    merged: list[str] = []
    for order in orders:
        for index, name in enumerate(order):
            if name in merged:
                continue
            before = [other for other in order[:index] if other in merged]
            merged.insert(merged.index(before[-1]) + 1 if before else 0, name)
    return merged


def task_schema(fields: list[dict]) -> dict:
    """What task-format.js needs to write a task file as the format has it: the order of each
    mapping's fields (the validator's), which of them hold dates (the form's date fields), and
    the value a target without `kind` stands for (a quantity)."""
    form = {spec["name"]: spec for spec in fields}
    target_specs = [spec for kind in form["targets"]["types"] for spec in kind["fields"]]
    update_specs = form["updates"]["fields"]
    source_specs = next(spec for spec in update_specs if spec["name"] == "source")["fields"]
    source = mapping_schema(SOURCE.names, source_specs)
    return mapping_schema(TASK.names, fields, items={
        "targets": mapping_schema(merged_order(TARGET.names, MILESTONE.names), target_specs,
                                  items={"source": source}, implied={"kind": Target.kind}),
        "updates": mapping_schema(UPDATE.names, update_specs, items={"source": source}),
    })


def mapping_schema(keys: tuple[str, ...] | list[str], specs: list[dict], items: dict | None = None,
                   implied: dict | None = None) -> dict:
    schema = {"keys": list(keys), "dates": [spec["name"] for spec in specs if spec.get("widget") == "datetime"]}
    if items:
        schema["items"] = items
    if implied:
        schema["implied"] = implied
    return schema
