"""Where the site's address, repository and owner come from, and the check a publishing build
makes: nothing a reader sees may be a placeholder.

Order: the command line, then content/site.yaml, then what the CI environment knows (GitHub
Actions sets GITHUB_SERVER_URL and GITHUB_REPOSITORY). A local build may leave base_url unset and
links stay relative; a publishing build (--publish) refuses to go on without an address and a
way to report an error, and refuses any example address.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .errors import BuildError
from .model import Catalogue, Site
from .urls import url_problem

PLACEHOLDER_HOSTS = re.compile(r"(^|\.)(example\.(org|com|net)|localhost|127\.0\.0\.1|invalid|test)$")
PLACEHOLDER_TEXT = re.compile(r"OWNER|REPO\b|TODO|xxx|示例|待定", re.IGNORECASE)
EMAIL_DOMAIN = re.compile(r"@([^\s/?#<>]+)")  # mailto:jc@example.org names a host without "//"


def environment_defaults(environ: dict[str, str]) -> dict[str, str]:
    """Settings the CI environment knows for certain: the repository on GitHub Actions, if its
    address passes the URL policy like every other."""
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    if not (server and repository):
        return {}
    address = f"{server.rstrip('/')}/{repository}"
    return {"repository": address} if url_problem(address) is None else {}


def apply_settings(site: Site, overrides: dict[str, str], defaults: dict[str, str]) -> None:
    """Overrides win over site.yaml; defaults fill only what site.yaml leaves empty."""
    for name, value in overrides.items():
        if value:
            setattr(site, name, value)
    for name, value in defaults.items():
        if value and not getattr(site, name):
            setattr(site, name, value)


def is_placeholder(value: str) -> bool:
    hosts = [urlsplit(value).hostname or "", *EMAIL_DOMAIN.findall(value)]
    if any(PLACEHOLDER_HOSTS.search(host.lower()) for host in hosts):
        return True
    return bool(PLACEHOLDER_TEXT.search(value))


def publishing_problems(site: Site) -> list[str]:
    """What stops this site from being published, each saying what to set (empty: fine)."""
    problems = []
    if not site.base_url:
        problems.append("base_url is not set: set base_url in content/site.yaml or pass --base-url "
                        "(the Pages workflow passes the address GitHub gives) — 未设置网站地址 base_url")
    if not site.error_channel:
        problems.append("no way to report an error: set report_error (a mailto: or form address) in "
                        "content/site.yaml, or repository — 未设置纠错渠道 report_error")
    for name in ("base_url", "repository", "report_error", "contact", "publisher", "editor_auth"):
        value = getattr(site, name)
        if is_placeholder(value):
            problems.append(f"{name} is a placeholder ({value}): set the real value in content/site.yaml "
                            f"or on the command line — {name} 是占位值")
    return problems


def check_publishable(catalogue: Catalogue) -> None:
    """Refuse to publish a site with placeholders or without an address; raise BuildError."""
    problems = publishing_problems(catalogue.site)
    if problems:
        raise BuildError("refusing to publish:\n  " + "\n  ".join(problems))
