"""The GitHub workflow checks every pull request the way .ci/run does on a fresh machine, and
publishes main to GitHub Pages; the pull-request template asks for the source of a change."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from catalogue.pipeline import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github/workflows/site.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean true.
    return workflow.get("on", workflow.get(True))


def commands(job: dict) -> list[str]:
    """Every shell command of a job, one per line, comments dropped."""
    lines = []
    for step in job["steps"]:
        for line in step.get("run", "").splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def uses(job: dict) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def ci_run_commands() -> list[str]:
    text = (PROJECT_ROOT / ".ci/run").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")
            and not line.startswith(("set ", "cd "))]


def test_every_workflow_file_parses():
    files = sorted((PROJECT_ROOT / ".github/workflows").glob("*.y*ml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and "jobs" in data and triggers(data), path


def test_runs_on_every_pull_request_and_on_main(workflow):
    on = triggers(workflow)
    assert "pull_request" in on
    assert (on.get("pull_request") or {}).get("branches") is None, "every pull request, whatever its base"
    assert on["push"]["branches"] == ["main"]


def test_pull_requests_run_the_same_commands_as_ci(workflow):
    test = workflow["jobs"]["test"]
    assert "if" not in test, "the tests run for every event"
    steps = commands(test)
    assert "bash .ci/run" in steps, "the workflow runs .ci/run itself, so CI and the workflow cannot drift"
    assert any(re.search(r"python build\.py check$", line) for line in steps)
    assert test.get("env", {}).get("CI") == "true", "browser tests must not skip"
    checkout = next(step for step in test["steps"] if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0, "task history needs the whole git log"
    # .ci/run installs with apt as root and uses Debian's chromium, so the job runs in Debian.
    image = test["container"]["image"] if isinstance(test["container"], dict) else test["container"]
    assert "bookworm" in image or "debian" in image
    assert ci_run_commands()[0].startswith("bash setup.sh"), ".ci/run itself sets the machine up"


def test_main_is_built_and_published_to_pages(workflow):
    jobs = workflow["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]
    assert "test" in (build["needs"] if isinstance(build["needs"], list) else [build["needs"]])
    assert "refs/heads/main" in build["if"] and "push" in build["if"]
    assert any(re.search(r"python build\.py build .*--base-url", line) for line in commands(build))
    assert any(u.startswith("actions/configure-pages@") for u in uses(build))
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert any(u.startswith("actions/deploy-pages@") for u in uses(deploy))
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["permissions"] == {"contents": "read"}, "nothing else may write by default"


def test_actions_are_pinned_to_a_version(workflow):
    for name, job in workflow["jobs"].items():
        for action in uses(job):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", action), f"{name}: {action}"


def test_commands_name_only_files_that_exist(workflow):
    for job in workflow["jobs"].values():
        for line in commands(job):
            for word in shlex.split(line):
                if word.startswith((".ci/", "setup.sh", "build.py")):
                    assert (PROJECT_ROOT / word).exists(), word


def test_pull_request_template_asks_for_the_source():
    template = (PROJECT_ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert "来源" in template and "必填" in template
    assert "原状态 → 新状态" in template
    assert "python build.py check" in template
    assert "docs/editor-guide.md" in template and (PROJECT_ROOT / "docs/editor-guide.md").exists()
