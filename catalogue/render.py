"""Render the pages through Jinja templates."""
from __future__ import annotations

from pathlib import Path

from .model import Catalogue


def render_pages(catalogue: Catalogue, templates_dir: Path) -> dict[str, bytes]:
    """Every HTML page of the site, by its path in site/."""
    return {}
