"""Links between pages, always relative so one site/ works at a domain root, under a
sub-path and opened from disk (file://)."""
from __future__ import annotations

import posixpath


def relative(from_page: str, to_path: str) -> str:
    """Path from the page `from_page` to `to_path`, both relative to the site root.

    A trailing fragment (`#sub-2`) or query (`?q=`) on `to_path` is kept.
    """
    target, sep, suffix = _split_suffix(to_path)
    start = posixpath.dirname(from_page) or "."
    link = posixpath.relpath(target or from_page, start)
    return link + sep + suffix


def _split_suffix(path: str) -> tuple[str, str, str]:
    for sep in ("#", "?"):
        if sep in path:
            head, tail = path.split(sep, 1)
            return head, sep, tail
    return path, "", ""
