"""site/feed.xml: an Atom feed (RFC 4287) of the tasks' status changes, newest first.

Only status changes, never every commit. Every date in it comes from content, never from the
clock, so two builds of the same content are byte-identical. Entry ids are tag: URIs made of the
site's host, the task and the change, so they stay the same from build to build.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from .history import CHINA, StatusChange, status_changes
from .model import Catalogue, first_day
from .strings import Strings

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"
MAX_ENTRIES = 200


def timestamp(day: dt.date) -> str:
    """Midnight of a Beijing day, as RFC 3339: 2021-06-30T00:00:00+08:00."""
    return dt.datetime.combine(day, dt.time(), CHINA).isoformat()


def tag_uri(catalogue: Catalogue, specific: str) -> str:
    """tag:example.org,2021:/gzbg2021/tasks/1-5/… — stable for as long as the site's address."""
    address = urlsplit(catalogue.site.base_url)
    return f"tag:{address.hostname},{catalogue.site.source_date.year}:{address.path}{specific}"


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _entry(feed: ET.Element, catalogue: Catalogue, change: StatusChange, say: Strings) -> None:
    task, entry = change.task, change.entry
    entry_element = _add(feed, "entry")
    _add(entry_element, "id", tag_uri(catalogue, f"{task.path.removesuffix('index.html')}{entry.date.isoformat()}/{entry.status.code}"))
    _add(entry_element, "title", f"{say.heading(task)}：{entry.previous.label} → {entry.status.label}")
    _add(entry_element, "updated", timestamp(entry.date))
    _add(entry_element, "link", rel="alternate", type="text/html", href=catalogue.site.absolute(task.path))
    _add(entry_element, "category", term=entry.status.code, label=entry.status.label)
    lines = [entry.text, "", say("feed.task", text=task.text)]
    if entry.link:
        source = entry.link
        # A submission names its unit: only a lead unit's own report is 报送.
        lines.append(say("feed.source", parts=say.join(filter(None, [
            source.kind_label, source.is_submission and source.publisher, source.title and f"《{source.title}》",
            source.date and source.date.isoformat(), source.url]), "clauses")))
    _add(entry_element, "summary", "\n".join(lines), type="text")


def atom_feed(catalogue: Catalogue, say: Strings) -> bytes:
    """The feed document; `updated` is the newest change's date (the as-of date when none)."""
    site = catalogue.site
    changes = status_changes(catalogue)[:MAX_ENTRIES]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _add(feed, "id", tag_uri(catalogue, FEED_PATH))
    _add(feed, "title", say("feed.title", site=site.short_title))
    _add(feed, "subtitle", say("feed.subtitle", number=site.source_number))
    _add(feed, "updated", timestamp(changes[0].entry.date if changes else first_day(site.as_of)))
    _add(feed, "link", rel="self", type="application/atom+xml", href=site.base_url + FEED_PATH)
    _add(feed, "link", rel="alternate", type="text/html", href=site.base_url)
    author = _add(feed, "author")
    _add(author, "name", site.short_title)
    _add(author, "uri", site.base_url)
    for change in changes:
        _entry(feed, catalogue, change, say)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def feed_outputs(catalogue: Catalogue, say: Strings) -> dict[str, bytes]:
    """The feed, when the site has an address: Atom ids and links must be absolute."""
    return {FEED_PATH: atom_feed(catalogue, say)} if catalogue.site.base_url else {}
