"""Where the site's address, repository and way to report an error come from, and the publishing
build's refusal of a site without them or with a placeholder. Expectations written by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from catalogue.errors import BuildError
from catalogue.model import Site
from catalogue.pipeline import Paths, check
from catalogue.publish import (apply_settings, check_publishable, environment_defaults, is_placeholder,
                               publishing_problems)
from command_line import run
from tests.html_dom import parse
from tiny_content import write_tiny_content

NO_ADDRESS = ("base_url is not set: set base_url in content/site.yaml or pass --base-url "
              "(the Pages workflow passes the address GitHub gives) — 未设置网站地址 base_url")
NO_CHANNEL = ("no way to report an error: set report_error (a mailto: or form address) in "
              "content/site.yaml, or repository — 未设置纠错渠道 report_error")


def site(**fields) -> Site:
    return Site(title="重点工作落实情况", short_title="落实情况", as_of=dt.date(2021, 2, 10),
                source_title="分工方案", source_number="赣府厅字〔2021〕8号", source_date=dt.date(2021, 2, 10),
                **fields)


# --- what the CI environment knows --------------------------------------------------------------

@pytest.mark.parametrize("environ, expected", [
    ({"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "jx/gzbg"},
     {"repository": "https://github.com/jx/gzbg"}),
    ({"GITHUB_SERVER_URL": "https://git.jiangxi.gov.cn//", "GITHUB_REPOSITORY": "ban/gzbg"},
     {"repository": "https://git.jiangxi.gov.cn/ban/gzbg"}),
    ({"GITHUB_SERVER_URL": "https://github.com"}, {}),
    ({"GITHUB_REPOSITORY": "jx/gzbg"}, {}),
    ({"GITHUB_SERVER_URL": "", "GITHUB_REPOSITORY": "jx/gzbg"}, {}),
    ({"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": ""}, {}),
    ({}, {}),
])
def test_the_repository_comes_from_github_actions_only_when_it_says_both(environ, expected):
    assert environment_defaults(environ) == expected


def test_the_command_line_wins_and_the_environment_fills_only_what_site_yaml_leaves_empty():
    settings = site(repository="https://github.com/jx/gzbg", contact="0791-12345")
    apply_settings(settings, {"repository": "https://github.com/jx/fork", "contact": ""},
                   {"repository": "https://github.com/ci/other", "contact": "ci@jx.cn", "publisher": "",
                    "report_error": "mailto:jc@jx.gov.cn"})
    assert settings.repository == "https://github.com/jx/fork"  # the command line over site.yaml and CI
    assert settings.contact == "0791-12345"  # an empty override changes nothing; CI does not replace it
    assert settings.report_error == "mailto:jc@jx.gov.cn"  # CI fills what site.yaml left empty
    assert settings.publisher == ""  # an empty default fills nothing


def test_a_default_does_not_replace_what_the_command_line_set():
    settings = site()
    apply_settings(settings, {"repository": "https://github.com/jx/gzbg"}, {"repository": "https://github.com/ci/x"})
    assert settings.repository == "https://github.com/jx/gzbg"


# --- placeholders -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "https://example.org/gzbg2021/", "https://www.example.com/", "http://example.net", "https://EXAMPLE.ORG/x",
    "http://localhost:8000/", "http://127.0.0.1/", "https://gzbg.invalid/", "https://gzbg.test/",
    "https://github.com/OWNER/REPO", "https://github.com/jx/REPO", "mailto:xxx@jiangxi.gov.cn", "TODO",
    "示例单位", "待定", "联系电话：todo",
    # An example address without "//": an e-mail address, or a link that keeps the page's scheme.
    "mailto:jiucuo@example.org", "jiucuo@example.com", "纠错邮箱：JC@Example.Net", "//example.org/gzbg/",
    "mailto:张三 <zs@localhost>",
])
def test_placeholders(value):
    assert is_placeholder(value)


@pytest.mark.parametrize("value", [
    "", "https://www.jiangxi.gov.cn/", "https://notexample.org/", "https://example.org.cn/",
    "https://testing.jiangxi.gov.cn/", "https://github.com/jx/reports", "https://localhost.jiangxi.gov.cn/",
    "江西省人民政府办公厅", "mailto:gzbg@jiangxi.gov.cn", "0791-88912345", "mailto:test@jiangxi.gov.cn",
    "https://www.jiangxi.gov.cn/test/", "mailto:jc@example.org.cn",
])
def test_real_values_are_not_placeholders(value):
    assert not is_placeholder(value)


def test_a_complete_site_has_no_problems():
    assert publishing_problems(site(base_url="https://gzbg.jiangxi.gov.cn/", report_error="mailto:jc@jx.gov.cn")) == []
    # The repository's issues are a way to report an error.
    assert publishing_problems(site(base_url="https://gzbg.jiangxi.gov.cn/", repository="https://github.com/jx/gzbg")) == []


def test_an_empty_site_lacks_an_address_and_a_way_to_report_an_error():
    assert publishing_problems(site()) == [NO_ADDRESS, NO_CHANNEL]
    assert publishing_problems(site(report_error="mailto:jc@jx.gov.cn")) == [NO_ADDRESS]
    assert publishing_problems(site(base_url="https://gzbg.jiangxi.gov.cn/")) == [NO_CHANNEL]


def test_every_placeholder_is_named_with_its_field_and_value():
    placeholders = site(base_url="https://example.org/", repository="https://github.com/OWNER/REPO",
                        report_error="mailto:xxx@jx.cn", contact="待定", publisher="示例单位")
    assert publishing_problems(placeholders) == [
        f"{name} is a placeholder ({value}): set the real value in content/site.yaml or on the command line"
        f" — {name} 是占位值"
        for name, value in [("base_url", "https://example.org/"), ("repository", "https://github.com/OWNER/REPO"),
                            ("report_error", "mailto:xxx@jx.cn"), ("contact", "待定"), ("publisher", "示例单位")]]


def test_check_publishable_refuses_with_every_problem_and_passes_a_complete_site(tmp_path):
    catalogue = check(Paths(content=write_tiny_content(tmp_path)))
    catalogue.site = site(contact="TODO")
    with pytest.raises(BuildError) as refused:
        check_publishable(catalogue)
    assert str(refused.value) == (f"refusing to publish:\n  {NO_ADDRESS}\n  {NO_CHANNEL}\n"
                                  "  contact is a placeholder (TODO): set the real value in content/site.yaml "
                                  "or on the command line — contact 是占位值")
    catalogue.site = site(base_url="https://gzbg.jiangxi.gov.cn/", report_error="mailto:jc@jx.gov.cn")
    check_publishable(catalogue)


# --- through the command line -------------------------------------------------------------------

def test_a_publishing_build_on_github_actions_reports_errors_to_the_repository(tmp_path, monkeypatch):
    content = write_tiny_content(tmp_path)
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "jx/gzbg")
    status, printed = run("build", "--publish", "--base-url", "https://jx.github.io/gzbg/", "--content", content,
                          "--out", tmp_path / "site")
    assert status == 0, printed
    page = parse((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert page.one("li", cls="report-error").one("a").get("href") == "https://github.com/jx/gzbg/issues"


def test_a_publishing_build_without_an_address_writes_nothing(tmp_path, monkeypatch):
    content = write_tiny_content(tmp_path)
    monkeypatch.delenv("GITHUB_SERVER_URL", raising=False)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    status, printed = run("build", "--publish", "--repository", "https://github.com/jx/gzbg", "--content", content,
                          "--out", tmp_path / "site")
    assert status == 1
    assert printed.strip() == f"build failed: refusing to publish:\n  {NO_ADDRESS}"
    assert not (tmp_path / "site").exists()
