"""The editor form as the build makes it: admin/config.yml follows the registries and the
schema (never a list of its own), the page loads only the site's own files, and no public
page, robots.txt or sitemap leads to it.

Expectations are read straight from the YAML files and the task schema, not from
catalogue/admin.py."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from catalogue.errors import ContentErrors
from catalogue.pipeline import PROJECT_ROOT, Paths, Settings, build, check
from catalogue.schema import SOURCE_KINDS
from catalogue.urls import url_problem
from catalogue.schema import MILESTONE, SOURCE, TARGET, TASK, UPDATE
from catalogue.validate import LIMITS
from html_dom import parse_file
from plans_content import PLAN_ID, beside_2021

CONTENT = PROJECT_ROOT / "content"


def registry(name: str, content: Path = CONTENT):
    return yaml.safe_load((content / f"{name}.yaml").read_text(encoding="utf-8"))


def config_of(site: Path) -> dict:
    return yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))


def fields_by_name(fields: list[dict]) -> dict[str, dict]:
    return {spec["name"]: spec for spec in fields}


@pytest.fixture(scope="module")
def config(built_site) -> dict:
    return config_of(built_site)


@pytest.fixture(scope="module")
def task_form(config) -> dict[str, dict]:
    return fields_by_name(config["collections"][0]["fields"])


def test_the_status_select_offers_the_registrys_labels_in_its_order(task_form):
    statuses = registry("statuses")
    status = task_form["status"]
    assert status["widget"] == "select"
    assert status["options"] == [{"label": s["label"], "value": s["code"]} for s in statuses]
    update_status = fields_by_name(task_form["updates"]["fields"])["status"]
    assert update_status["options"] == status["options"]


def test_names_and_source_kinds_come_from_the_registries_and_the_validator(task_form):
    leaders = [leader["name"] for leader in registry("leaders")]
    units = [name for unit in registry("units") for name in [unit["name"], *unit.get("aliases", [])]]
    assert task_form["leaders"]["options"] == leaders
    assert task_form["lead_units"]["options"] == units
    assert task_form["responsible_units"]["options"] == units
    source = fields_by_name(fields_by_name(task_form["updates"]["fields"])["source"]["fields"])
    assert source["kind"]["options"] == [{"label": label, "value": code} for code, label in SOURCE_KINDS.items()]


def test_the_documents_fields_are_read_only_and_the_editors_are_not(task_form):
    for name in ("id", "section", "subsection", "number", "text", "leaders", "lead_units", "responsible_units"):
        assert task_form[name]["widget"] == "readonly", name
        # The validator requires each; the form would take an empty list for none, which it allows.
        assert task_form[name]["required"] == (name != "responsible_units"), name
    assert task_form["timeframe"]["widget"] == "readonly" and not task_form["timeframe"]["required"]
    updates = fields_by_name(task_form["updates"]["fields"])
    # The date last: in Decap a nested source's date would otherwise answer for the update's.
    assert [spec["name"] for spec in task_form["updates"]["fields"]] == [n for n in UPDATE.names if n != "date"] + ["date"]
    assert (updates["date"]["widget"], updates["status"]["widget"], updates["note"]["widget"],
            updates["source"]["widget"]) == ("datetime", "select", "markdown", "object")
    assert all(updates[name]["required"] for name in UPDATE.required)
    # A reprint's original stays in the file: its fields' names are the source's own; so do a
    # submission's round and cited source, which the report import writes.
    assert [spec["name"] for spec in updates["source"]["fields"]] == [
        n for n in SOURCE.names if n not in ("copy_of", "round", "cites")]
    targets = task_form["targets"]
    assert (targets["allow_add"], targets["allow_remove"], targets["allow_reorder"]) == (False, False, False)
    assert all((kind["allow_remove"], kind["allow_reorder"]) == (False, False) for kind in targets["types"])
    quantity, milestone = (fields_by_name(kind["fields"]) for kind in targets["types"])
    assert [name for name in TARGET.names if name in quantity] == list(quantity)
    assert (quantity["actual"]["widget"], quantity["actual"]["value_type"], quantity["actual_date"]["widget"]) == (
        "number", "float", "datetime")
    assert quantity["label"]["widget"] == quantity["target"]["widget"] == quantity["unit"]["widget"] == "readonly"
    assert set(milestone) <= set(MILESTONE.names) and milestone["achieved"]["widget"] == "achieved"
    assert milestone["achieved_date"]["widget"] == "datetime"


def test_every_field_a_task_file_may_have_is_in_the_form_the_documents_first(task_form):
    fields = [name for name in TASK.names if name != "subjects" or registry("subjects")]
    editors = ["subjects", "title", "status", "targets", "updates"]
    assert list(task_form) == [name for name in fields if name not in editors] + [name for name in fields if name in editors]


def test_the_form_follows_a_changed_registry(tmp_path):
    """A status, a leader and a unit added to the registries appear in the form."""
    content = tmp_path / "content"
    import shutil
    shutil.copytree(CONTENT, content)
    statuses = registry("statuses", content) + [{"code": "paused", "label": "暂缓", "color": "#374151",
                                                 "meaning": "试验用的状态。"}]
    leaders = registry("leaders", content) + [{"name": "试验领导", "slug": "test-leader"}]
    units = registry("units", content) + [{"name": "试验厅", "slug": "test-unit", "kind": "provincial_department",
                                           "aliases": ["试验厅别名"]}]
    for name, data in (("statuses", statuses), ("leaders", leaders), ("units", units)):
        (content / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    site = tmp_path / "site"
    build(Paths(content=content, out=site))
    form = fields_by_name(config_of(site)["collections"][0]["fields"])
    assert form["status"]["options"][-1] == {"label": "暂缓", "value": "paused"}
    assert form["leaders"]["options"][-1] == "试验领导"
    assert form["lead_units"]["options"][-2:] == ["试验厅", "试验厅别名"]


def test_each_plan_is_a_collection_of_its_own_task_folder(tmp_path):
    content = beside_2021(tmp_path)
    site = tmp_path / "site"
    build(Paths(content=content, out=site))
    collections = config_of(site)["collections"]
    plan = yaml.safe_load((content / "plans" / PLAN_ID / "plan.yaml").read_text(encoding="utf-8"))
    assert [c["folder"] for c in collections] == ["content/tasks", f"content/plans/{PLAN_ID}/tasks"]
    for collection in collections:
        assert list((tmp_path / collection["folder"]).glob("*.yaml")), collection["folder"]
        assert collection["format"] == "catalogue-task" and not collection["create"] and not collection["delete"]
        assert collection["publish"] is False  # merging is a maintainer's, after review and the check
    assert plan["issuer"] in collections[1]["label"]
    assert collections[1]["description"] == f"{plan['source_title']}（{plan['source_number']}）"
    city_form = fields_by_name(collections[1]["fields"])
    assert city_form["leaders"]["label"] == plan.get("leader_label", "牵头领导")


def accepts(pattern: list[str], value: str) -> bool:
    """Whether the form's pattern ([regex, message]) accepts a value; Python's re reads these
    patterns as JavaScript does."""
    return re.search(pattern[0], value) is not None


def test_the_forms_patterns_accept_what_check_accepts(task_form):
    source = fields_by_name(fields_by_name(task_form["updates"]["fields"])["source"]["fields"])
    url = source["url"]["pattern"]
    # The form never refuses an address the site's policy accepts, and refuses what it can tell is not one.
    for good in ("https://www.jiangxi.gov.cn/art/2022/1/1/art_1.html", "http://example.org/a?b=1&c=2", "HTTPS://EXAMPLE.ORG",
                 "https://example.org:8443/x#y", "https://例子.中国/路径", "https://example.org/a@b", "http://127.0.0.1/"):
        assert url_problem(good) is None and accepts(url, good), good
    for bad in ("www.jiangxi.gov.cn", "ftp://example.org/", "https://exa mple.org", "https://", "javascript:alert(1)",
                "https://user@example.org/", "https://example.org/\u200bx", "mailto:office@example.org", "//example.org/"):
        assert url_problem(bad) is not None and not accepts(url, bad), bad
    day = source["date"]["pattern"]
    assert accepts(day, "2021-06-30") and not accepts(day, "2021-6-30") and not accepts(day, "6月底")
    title = task_form["title"]["pattern"]
    limit = LIMITS["task_title"]
    assert accepts(title, "甲" * limit) and accepts(title, "甲") and accepts(title, "甲 乙")
    for bad in ("甲" * (limit + 1), " 甲", "甲 ", "甲\n乙", ""):
        assert not accepts(title, bad), repr(bad)


def test_the_backend_is_the_repository_that_site_yaml_names(tmp_path):
    site = tmp_path / "site"
    build(Paths(out=site), Settings(site={"repository": "https://github.com/example-office/gzbg", "branch": "trunk"}))
    backend = config_of(site)["backend"]
    assert {key: backend[key] for key in ("name", "branch", "repo")} == {
        "name": "github", "branch": "trunk", "repo": "example-office/gzbg"}
    assert config_of(site)["publish_mode"] == "editorial_workflow"
    assert "repository" not in parse_file(site / "admin" / "index.html").text()


def test_editors_sign_in_through_the_service_site_yaml_names(tmp_path, content_copy):
    site_yaml = content_copy / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "editor_auth: https://login.example.org/github/auth\n",
                         encoding="utf-8")
    site = tmp_path / "site"
    build(Paths(content=content_copy, out=site))
    backend = config_of(site)["backend"]
    assert (backend["base_url"], backend["auth_endpoint"]) == ("https://login.example.org", "github/auth")
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("https://login.example.org/github/auth",
                                                                       "login.example.org"), encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        check(Paths(content=content_copy))
    assert [(e.field, e.en) for e in raised.value.errors] == [("editor_auth", "'login.example.org' is not a URL.")]


def test_without_a_repository_the_page_says_the_form_works_locally_only(built_site, config):
    assert "repo" not in config["backend"]
    assert "repository" in parse_file(built_site / "admin" / "index.html").text()


def own_files_loaded(site: Path) -> list[Path]:
    """The files admin/index.html loads, and the modules they import, as paths in the site;
    fails on any address that is not the site's own."""
    page = parse_file(site / "admin" / "index.html")
    pending = [(site / "admin" / script.get("src")).resolve() for script in page.find_all("script") if script.get("src")]
    found = []
    while pending:
        path = pending.pop()
        if path in found:
            continue
        assert path.is_relative_to(site.resolve()) and path.is_file(), path
        found.append(path)
        if path.name.endswith(".js") and "vendor/decap-cms" not in path.as_posix():
            # Each import and export of these modules is one line (their comments hold examples).
            imports = re.findall(r"""^(?:import|export)\b[^'"\n]*\bfrom\s*['"]([^'"\n]+)['"];?$"""
                               r"""|^import\s*['"]([^'"\n]+)['"];?$""", path.read_text(encoding="utf-8"), re.MULTILINE)
            for target in [a or b for a, b in imports]:
                assert target.startswith("."), f"{path.name} imports {target} from elsewhere"
                pending.append((path.parent / target).resolve())
    return found


def test_the_admin_page_loads_only_the_sites_own_files(built_site):
    loaded = {path.relative_to(built_site.resolve()).as_posix() for path in own_files_loaded(built_site)}
    assert {"assets/vendor/decap-cms/decap-cms.js", "assets/js/admin/main.js", "assets/js/admin/task-format.js",
            "assets/vendor/yaml/index.js"} <= loaded
    html = (built_site / "admin" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)
    page = parse_file(built_site / "admin" / "index.html")
    assert page.one("meta", name="robots").get("content") == "noindex, nofollow"
    # What the form may fetch: the site, GitHub's API, and Decap's local backend on this computer.
    policy = page.one("meta", **{"http-equiv": "Content-Security-Policy"}).get("content")
    directive, *sources = policy.split()
    assert directive == "connect-src"
    assert {urlsplit(s).hostname for s in sources if "://" in s} == {"api.github.com", "localhost"}


def test_no_public_page_links_to_the_admin(built_site):
    root = "http://site.test/"
    admin = urljoin(root, "admin/")
    pages = [path for path in built_site.rglob("*.html") if not path.is_relative_to(built_site / "admin")]
    assert len(pages) > 300
    for path in pages:
        here = urljoin(root, path.relative_to(built_site).as_posix())
        for element in parse_file(path).iter():
            for name in ("href", "src", "action"):
                target = element.get(name)
                assert not (target and urljoin(here, target).startswith(admin)), f"{path}: {target}"


def test_robots_and_the_sitemap_leave_the_admin_out(tmp_path):
    site = tmp_path / "site"
    build(Paths(out=site), Settings(base_url="https://example.org/gzbg/"))
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Disallow: /gzbg/admin/" in robots
    assert robots.index("Disallow: /gzbg/admin/") < robots.index("Allow: /")  # first match wins for old parsers
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)]
    assert locs and not [loc for loc in locs if loc.startswith("https://example.org/gzbg/admin/")]


def test_the_vendored_copies_are_their_npm_packages_with_their_licences():
    if not (PROJECT_ROOT / "node_modules" / "decap-cms").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("node_modules/ is missing: setup.sh runs npm ci")
        pytest.skip("node_modules/ is missing (npm ci)")
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "tools" / "vendor_editor.py"), "--check"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for folder, words in (("decap-cms", "MIT License"), ("yaml", "Permission to use, copy, modify")):
        assert words in (PROJECT_ROOT / "assets" / "vendor" / folder / "LICENSE").read_text(encoding="utf-8")
