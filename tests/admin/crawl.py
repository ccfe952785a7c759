"""Walk the Wagtail admin as a signed-in staff member: from /admin/, every link and sidebar menu
entry under /admin/, one screen per URL shape (digits and query values folded), safe views only."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlparse

from bs4 import BeautifulSoup

# GET-able views that change nothing but are not screens to check, or that act on objects
SKIP = re.compile(
    r"/(delete|logout|unpublish|copy|move|lock|unlock|revert|convert_alias|approve|reject|publish|retire|"
    r"restart|cancel|disable|enable|chooser|multiple|preview|compare|usage|bulk|jsi18n|autocomplete|"
    r"search_promotions|serve|view_draft|decide)(/|$)|\?export=|/documents/\d+/[^/]+$|/add_subpage/"
)


@dataclass
class Screen:
    url: str
    status: int
    html: str


def shape(url: str) -> str:
    parsed = urlparse(url)
    keys = sorted(
        {key for key, _value in parse_qsl(parsed.query) if key not in {"p", "o", "ordering", "next"}}
    )
    return re.sub(r"\d+", "N", parsed.path) + ("?" + "&".join(keys) if keys else "")


def admin_links(url: str, html: str) -> Iterator[str]:
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    for script in soup.find_all("script", type="application/json"):
        # the sidebar menu is JSON read by the admin's JavaScript
        hrefs += re.findall(r'"url": ?"(/admin/[^"]*)"', script.string or "")
    for href in hrefs:
        if href.startswith(("#", "http:", "https:", "mailto:", "javascript:")):
            continue
        full = urlparse(urljoin(url, href))
        if full.path.startswith("/admin/") and not SKIP.search(
            full.path + ("?" + full.query if full.query else "")
        ):
            yield full.path + ("?" + full.query if full.query else "")


def crawl(client, start: Iterable[str] = ("/admin/",), limit: int = 400) -> list[Screen]:
    """Every URL of ``start`` is opened (even of the same shape), then one URL per shape found."""
    queue = list(start)
    forced = set(queue)
    seen: set[str] = set()
    screens: list[Screen] = []
    while queue and len(screens) < limit:
        url = queue.pop(0)
        if shape(url) in seen and url not in forced:
            continue
        forced.discard(url)
        seen.add(shape(url))
        response = client.get(url, follow=True)
        content_type = response.get("Content-Type", "")
        html = response.content.decode() if "html" in content_type else ""
        screens.append(Screen(url, response.status_code, html))
        if response.status_code == 200 and html:
            queue.extend(link for link in admin_links(url, html) if shape(link) not in seen)
    return screens


def wagtail_config(html: str) -> dict:
    match = re.search(r'<script id="wagtail-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1)) if match else {}
