"""Machinery of the permission matrix: walk the URLconf, build a concrete URL for every pattern,
request it as every role, tell what each role got."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import ROLES, World

ALL = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()


def roles(*names: str) -> frozenset[str]:
    unknown = set(names) - ALL
    assert not unknown, unknown
    return frozenset(names)


@dataclass(frozen=True)
class Row:
    """Who gets the page (a 2xx answer) at one URL name; everyone else must not.

    ``kwargs``: the URL's arguments, or a callable of the World (object URLs use B's objects);
    arguments not given come from ``DEFAULT_KWARGS``. ``method``/``data``: how to call it
    (POST-only endpoints are POSTed, each request rolled back). ``note``: why, when not obvious.
    """

    allowed: frozenset[str]
    kwargs: dict[str, Any] | Callable[[World], dict[str, Any]] | None = None
    method: str = "get"
    data: dict[str, Any] | Callable[[World], dict[str, Any]] | None = None
    # what "got it" means where the page answers with a redirect (a started wizard, a POST that worked)
    served: Callable[[Any], bool] | None = None
    path: str | Callable[[World], str] | None = None  # a literal path, for patterns reverse() cannot build
    # a crash of this row for an allowed role that another branch fixes: tolerated for allowed roles only
    known_failure: str = ""
    note: str = ""


def redirected_to(prefix: str) -> Callable[[Any], bool]:
    return lambda response: response.status_code in (301, 302) and response["Location"].startswith(prefix)


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name, or the route of an unnamed pattern
    name: str | None
    route: str
    arguments: tuple[str, ...] = field(default_factory=tuple)


_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def walk(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str | None = None
) -> Iterator[Pattern]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if entry.name and namespace else entry.name
            arguments = tuple(a or b for a, b in _ARGUMENT.findall(route))
            yield Pattern(key=name or route, name=name, route=route, arguments=arguments)


def patterns() -> dict[str, Pattern]:
    """Every pattern once, keyed by URL name (``name@route`` where a name is used twice)."""
    found = list(walk())
    counts: dict[str, int] = {}
    for pattern in found:
        counts[pattern.key] = counts.get(pattern.key, 0) + 1
    keyed = {}
    for pattern in found:
        key = pattern.key if counts[pattern.key] == 1 else f"{pattern.key}@{pattern.route}"
        keyed[key] = pattern
    return keyed


def _literal(route: str, kwargs: dict[str, Any]) -> str:
    """A path for an unnamed pattern: its arguments filled in, regex anchors dropped."""
    path = route
    for name, value in kwargs.items():
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    path = path.replace("^", "").replace("$", "").replace(".*", "anything")
    return "/" + path


def build_url(pattern: Pattern, row: Row, world: World, defaults: dict[str, Callable[[World], Any]]) -> str:
    if row.path is not None:
        return row.path(world) if callable(row.path) else row.path
    given = row.kwargs(world) if callable(row.kwargs) else dict(row.kwargs or {})
    kwargs = {}
    for argument in pattern.arguments:
        if argument in given:
            kwargs[argument] = given[argument]
        elif argument in defaults:
            kwargs[argument] = defaults[argument](world)
        else:
            raise AssertionError(f"{pattern.key}: no value for <{argument}>: give the row kwargs")
    if pattern.name is None:
        return _literal(pattern.route, kwargs)
    return reverse(pattern.name, kwargs=kwargs)


def request_as(client, world: World, role: str, url: str, row: Row):
    """One request, rolled back: a POST by one role never changes what the next role sees."""
    client.logout()
    if role != "anonymous":
        client.force_login(world.users[role])
    with transaction.atomic():
        call = client.post if row.method == "post" else client.get
        data = row.data(world) if callable(row.data) else (row.data or {})
        response = call(url, data)
        transaction.set_rollback(True)
    return response


def served(response, row: Row) -> bool:
    if row.served is not None:
        return row.served(response)
    return 200 <= response.status_code < 300


def body(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")
