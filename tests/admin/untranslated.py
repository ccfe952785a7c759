"""Find English left on an admin screen rendered in zh-hans: text that is a msgid of Wagtail's or
Django's catalogs (or a piece of one between HTML tags) which the active zh-hans catalogs — theirs
merged with the project's ``locale/`` — return unchanged, i.e. has no Chinese translation.
Placeholders (%(name)s, %s, {name}) match any text."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import django
import polib
import wagtail
import wagtail_modeladmin
from bs4 import BeautifulSoup, Comment
from django.utils.translation import trans_real

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"<[^>]+>")
LETTERS = re.compile(r"[A-Za-z]{2,}")
# what the admin shows in English on purpose: product names, key names, file types
ALLOWED = {"Wagtail", "Esc", "ID", "URL", "PDF", "CSV", "XLSX", "English", "API"}
SKIP_TAGS = ["script", "style", "noscript", "code", "pre", "textarea", "kbd"]
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-w-tooltip-content-value")


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _untranslated(entry: polib.POEntry, domain: str) -> bool:
    """True when the merged zh-hans catalog has no entry for ``entry`` (an identical translation,
    such as "%s KB", counts as translated)."""
    if domain == "djangojs":  # served by the admin's JavaScript catalog; checked there
        return False
    catalog = trans_real.translation("zh-hans")._catalog
    key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    return (key, 0) not in catalog if entry.msgid_plural else key not in catalog


@lru_cache(maxsize=1)
def english_msgids() -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    roots = [
        Path(django.__file__).parent,
        Path(wagtail.__file__).parent,
        Path(wagtail_modeladmin.__file__).parent,
    ]
    exact: set[str] = set()
    patterns: list[re.Pattern] = []
    for root in roots:
        for po_path in root.glob("**/locale/en/LC_MESSAGES/*.po"):
            for entry in polib.pofile(str(po_path)):
                if not _untranslated(entry, po_path.stem):
                    continue
                for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                    for piece in TAG.split(msgid):
                        piece = _normalise(piece)
                        bare = PLACEHOLDER.sub("", piece)
                        if not LETTERS.search(bare) or bare.strip() in ALLOWED:
                            continue
                        if PLACEHOLDER.search(piece):
                            parts = [re.escape(part) for part in PLACEHOLDER.split(piece)]
                            patterns.append(re.compile("^" + "(.+?)".join(parts) + "$"))
                        else:
                            exact.add(piece)
    return frozenset(exact), tuple(patterns)


def untranslated_texts(html: str) -> set[str]:
    exact, patterns = english_msgids()
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(SKIP_TAGS):
        tag.decompose()
    texts = [node for node in soup.find_all(string=True) if not isinstance(node, Comment)]
    texts += [element[name] for element in soup.find_all(True) for name in ATTRIBUTES if element.get(name)]
    found = set()
    for raw in texts:
        text = _normalise(str(raw))
        if not LETTERS.search(text):
            continue
        if text in exact or any(pattern.match(text) for pattern in patterns):
            found.add(text)
    return found
