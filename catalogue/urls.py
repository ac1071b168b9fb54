"""Links between pages, always relative so one site/ works at a domain root, under a
sub-path and opened from disk (file://)."""
from __future__ import annotations

import functools


def relative(from_page: str, to_path: str) -> str:
    """Path from the page `from_page` to `to_path`, both relative to the site root.

    A trailing fragment (`#sub-2`) or query (`?q=`) on `to_path` is kept.
    """
    target, sep, suffix = _split_suffix(to_path)
    start = from_page.rpartition("/")[0]
    target = target or from_page
    head = start.partition("/")[0]
    if start and target != head and not target.startswith(head + "/"):
        # Nothing in common (a task page's links to the assets, the indexes, other terms):
        # up to the root and down again, without a cache of every page's pairs.
        return "../" * (start.count("/") + 1) + target + sep + suffix
    return _relative_path(start, target) + sep + suffix


@functools.lru_cache(maxsize=1 << 12)
def _relative_path(start: str, target: str) -> str:
    """posixpath.relpath for clean site-root paths, without its filesystem calls. The latest
    pairs are kept, which serve a page's many links into its own folder; unbounded, the cache
    held a pair per page and neighbour, 105,000 at 10,000 tasks, to the end of the build."""
    start_parts = start.split("/") if start else []
    target_parts = target.split("/")
    common = 0
    for a, b in zip(start_parts, target_parts):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start_parts) - common) + target_parts[common:]
    return "/".join(parts) or "."


def _split_suffix(path: str) -> tuple[str, str, str]:
    for sep in ("#", "?"):
        if sep in path:
            head, tail = path.split(sep, 1)
            return head, sep, tail
    return path, "", ""
