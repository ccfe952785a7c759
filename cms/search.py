"""Chinese-aware full-text search helpers for the notice pages.

Neither PostgreSQL full-text search nor SQLite FTS5 segments Chinese: a run of Han characters is
one token, so the keyword 专精特新 inside a longer title matches nothing. Rather than depend on a
segmentation extension, the indexed text is expanded with the character bigrams (and single
characters) of every Han run, and a query is turned into the bigrams of its Han runs (ASCII words
kept) and searched with operator "and". Both sides are tokenised the same way, so any backend that
splits on whitespace finds a keyword wherever it occurs.

Exposes ``index_text`` (for the indexed method field) and ``query_terms`` (for the search query).
"""

from __future__ import annotations

import re

# CJK Unified Ideographs (+ extension A) and compatibility ideographs.
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9A-Za-z]+")


def _han_terms(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(*texts: str) -> str:
    """Text to index: the ASCII words, then every Han bigram and single Han character, once each."""
    seen: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        for word in _WORD.findall(text):
            seen.setdefault(word.lower(), None)
        for run in _HAN_RUN.findall(text):
            for char in run:
                seen.setdefault(char, None)
            for bigram in _han_terms(run):
                seen.setdefault(bigram, None)
    return " ".join(seen)


def query_terms(query: str) -> str:
    """Turn a user's keyword into the whitespace-separated terms to search with operator "and".

    Returns an empty string when the keyword has no searchable characters (punctuation only).
    """
    terms: dict[str, None] = {}
    for match in re.finditer(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+", query):
        token = match.group(0)
        if _HAN_RUN.fullmatch(token):
            for term in _han_terms(token):
                terms.setdefault(term, None)
        else:
            terms.setdefault(token.lower(), None)
    return " ".join(terms)
