"""Links between pages, always relative so one site/ works at a domain root, under a
sub-path and opened from disk (file://); and the one policy every address from content or the
command line passes before it becomes a link (url_problem)."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from urllib.parse import urlsplit


def relative(from_page: str, to_path: str) -> str:
    """Path from the page `from_page` to `to_path`, both relative to the site root.

    A trailing fragment (`#sub-2`) or query (`?q=`) on `to_path` is kept.
    """
    return links_from(from_page)(to_path)


def links_from(from_page: str) -> Callable[[str], str]:
    """relative(from_page, …) for one page's many links (some forty on every page of a build),
    with what depends on the page alone worked out once."""
    start = from_page.rpartition("/")[0]
    head = start.partition("/")[0]
    within_head = head + "/"
    up_to_root = "../" * (start.count("/") + 1)

    def link(to_path: str) -> str:
        target, sep, suffix = _split_suffix(to_path) if "#" in to_path or "?" in to_path else (to_path, "", "")
        target = target or from_page
        if start and target != head and not target.startswith(within_head):
            # Nothing in common (a task page's links to the assets, the indexes, other terms):
            # up to the root and down again, without a cache of every page's pairs.
            return up_to_root + target + sep + suffix
        return _relative_path(start, target) + sep + suffix

    return link


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


# The one policy for every address that comes from content or the command line and becomes a
# link, a canonical address or a feed id: a web address (http or https) with a host, nothing else
# unless a field's own allow-list below says so. A javascript: or data: address would run
# content's script in a reader's browser; a file: address would point into the reader's disk.
WEB = ("http", "https")
# Reviewed exceptions, by field: an error report may go to an e-mail address.
REPORT_CHANNEL = WEB + ("mailto",)
MAX_URL = 2000
# Characters an address never holds: spaces, controls, and the invisible ones that make two
# addresses look alike (bidi overrides, zero-width characters).
_NOT_IN_A_URL = re.compile("[\\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_MAILBOX = re.compile(r"[^@/?#]+@[^@/?#]+\.[^@/?#]+")


def url_problem(value, schemes: tuple[str, ...] = WEB) -> tuple[str, str, str, str] | None:
    """What keeps `value` from being published as an address (Chinese, English, and the fix in
    both), or None when it may be. `schemes` is the field's allow-list, WEB unless reviewed."""
    allowed = "、".join(f"{scheme}:" for scheme in schemes)
    hint = (f"网址须以 {allowed.replace('http:、https:', 'http:// 或 https://')} 开头，且不含空格。",
            f"an address starts with {' or '.join(s + ('://' if s in WEB else ':') for s in schemes)} and has no spaces")
    if not isinstance(value, str) or not value:
        return f"“{value}”不是有效网址。", f"'{value}' is not a URL.", *hint
    if len(value) > MAX_URL:
        return f"网址过长（上限 {MAX_URL} 个字符）。", f"the address is longer than {MAX_URL} characters.", *hint
    if _NOT_IN_A_URL.search(value):
        return (f"网址“{value}”含有空格或不可见字符。", f"the address '{value}' holds a space or an invisible character.",
                *hint)
    scheme, colon, rest = value.partition(":")
    if not colon or not _SCHEME.fullmatch(scheme):
        return f"“{value}”不是有效网址。", f"'{value}' is not a URL.", *hint
    if scheme.lower() not in schemes:
        return (f"“{value}”不是允许的网址：只接受 {allowed} 地址。",
                f"'{value}' is not an allowed address: only {', '.join(s + ':' for s in schemes)} addresses are.", *hint)
    if scheme.lower() == "mailto":
        if not _MAILBOX.fullmatch(rest):
            return f"“{value}”不是有效的电子邮件地址。", f"'{value}' is not an e-mail address.", \
                "写成 mailto:name@example.org。", "write it as mailto:name@example.org"
        return None
    try:
        parts = urlsplit(value)
        if parts.port == 0:  # urlsplit raises for a port past 65535 or not a number
            raise ValueError("port 0")
    except ValueError:
        return (f"网址“{value}”的主机名或端口无效（端口为 1 到 65535）。",
                f"the address '{value}' has an invalid host or port (a port is 1 to 65535).", *hint)
    if not rest.startswith("//") or not parts.hostname:
        return f"网址“{value}”缺少主机名。", f"the address '{value}' has no host name.", *hint
    if parts.username is not None or parts.password is not None:
        return (f"网址“{value}”含有用户名或密码（@ 之前的部分）。",
                f"the address '{value}' holds a user name or password (before an @).",
                "去掉 @ 及其之前的部分；这种写法常用来冒充别的网站。",
                "remove everything up to the @; such addresses are used to pass for another site")
    return None


def web_address_pattern(schemes: tuple[str, ...] = WEB) -> str:
    """The policy as one regular expression, for a form that checks addresses as they are typed
    (the editor form, admin/): a scheme of `schemes`, a host with no user name before it, no
    space or invisible character. url_problem says more (ports, lengths); the pattern never
    refuses what it accepts. Written for JavaScript, whose syntax Python's re reads the same."""
    escaped = "".join(char if " " < char < "\x7f" else f"\\u{ord(char):04x}" for char in _NOT_IN_A_URL.pattern[1:-1])
    scheme = "|".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in name)
                      for name in schemes)
    return f"^(?:{scheme})://[^@/?#{escaped}]+(?:[/?#][^{escaped}]*)?$"
