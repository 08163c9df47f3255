"""The form-fuzz harness: find every form of the site by clicking through it, then post hostile input.

Forms are found the way a person finds them: starting from the home page, every link and form
of every page is followed (a bounded number of pages per URL pattern), so a form added by any
app is swept without being listed here.  A test compares what was reached with the URL
resolver, so a page no link leads to is reported instead of silently skipped.

Each fuzzed request runs in a savepoint that is rolled back, so every request meets the same
data; a refused form (an error list on the page, or a 4xx) must have written nothing.
"""

from __future__ import annotations

import copy
import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

# The hostile values of issue 16 (a stale version is added for version fields).
HOSTILE: list[str] = [
    "",
    "x" * 10_000,
    "31/02/2025",
    "31/12/9999",
    "-5",
    "1e308",
    "1" * 25,
    "NaN",
    "a\x00b\x07c\x0bd\x1be\u202ef\u200b",
    "'; DROP TABLE people_child; --",
    '<script>alert("x")</script><img src=x onerror=alert(1)>',
]
STALE = "stale-version"

# Not followed: leaving the session, other sites' machinery, files (no forms in them).
SKIP_PATH = re.compile(r"^/(static|media|admin|i18n)/|^/accounts/logout/")
FILE_SUFFIX = re.compile(r"\.(pdf|docx|xlsx|csv|png|zip|json)$")
# Tables a refused request may still write: the audit of what was read, sessions, login attempts.
WRITE_EXEMPT = {"accounts_auditevent", "django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


@dataclass
class FieldSpec:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, file, number
    options: list[str] = field(default_factory=list)


@dataclass
class FormSpec:
    url_name: str
    page: str
    action: str
    method: str
    values: list[tuple[str, str]]
    fields: list[FieldSpec]
    multipart: bool

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.url_name, self.method, tuple(sorted(f.name for f in self.fields)))


@dataclass
class Failure:
    form: str
    field: str
    value: str
    problem: str


@dataclass
class Result:
    forms: int = 0
    fields: int = 0
    requests: int = 0
    server_errors: int = 0
    refused: int = 0
    accepted: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def all_url_names() -> set[str]:
    """Every named URL pattern of the site's own apps."""
    names: set[str] = set()

    def walk(patterns: Iterable[Any], namespace: str, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                route = str(p.pattern)
                if route.startswith(("admin/", "i18n/")):
                    continue
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns, prefix + route)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "", "")
    return names


def _required_value(name: str, el: Any) -> str:
    """A plausible value for a required field the page left empty, so the hostile value of
    another field reaches the service instead of stopping at "this field is required"."""
    placeholder = (el.get("placeholder") or "").lower()
    if "dd/mm" in placeholder or name.endswith(("_on", "dob", "date", "deadline")):
        return "01/06/2013" if "dob" in name else "01/06/2025"
    if el.get("type") == "number" or el.get("inputmode") == "numeric":
        return el.get("min") or "1"
    if "year" in name:
        return "2025"
    return "Nguyễn Văn An"


def parse_forms(page: str, html: bytes) -> list[FormSpec]:
    doc = lxml.html.fromstring(html)
    found = []
    for form in doc.forms:
        method = (form.get("method") or form.get("hx-post") and "post" or "get").lower()
        action = form.get("action") or form.get("hx-post") or form.get("hx-get") or page
        action = urljoin(page, action)
        if SKIP_PATH.search(urlsplit(action).path):
            continue
        name = url_name(action)
        if name is None:
            continue
        fields: list[FieldSpec] = []
        values: list[tuple[str, str]] = []
        seen: set[str] = set()
        for el in form.inputs:
            field_name = el.get("name")
            if not field_name or field_name == "csrfmiddlewaretoken":
                continue
            tag = el.tag
            kind = el.get("type", "text").lower() if tag == "input" else tag
            if kind in ("submit", "button", "reset", "image"):
                continue
            if kind == "checkbox":
                if el.checked:
                    values.append((field_name, el.get("value") or "on"))
            elif kind == "radio":
                if el.checked:
                    values.append((field_name, el.get("value") or "on"))
            elif tag == "select":
                options = [o.get("value", o.text_content()) for o in el.iter("option")]
                chosen = [o.get("value", o.text_content()) for o in el.iter("option") if o.get("selected") is not None]
                if not chosen and options and el.get("multiple") is None:
                    chosen = [next((o for o in options if o), options[0])]
                values.extend((field_name, v) for v in chosen)
            elif kind == "file":
                pass
            else:
                value = el.value or ""
                if not value and el.get("required") is not None:
                    value = _required_value(field_name, el)
                values.append((field_name, value))
            if field_name in seen:
                if tag == "input" and kind in ("radio", "checkbox"):
                    spec = next(f for f in fields if f.name == field_name)
                    spec.options.append(el.get("value") or "on")
                continue
            seen.add(field_name)
            options = [o.get("value", "") for o in el.iter("option")] if tag == "select" else [el.get("value") or "on"]
            fields.append(FieldSpec(field_name, kind, options))
        # A radio group the page left unchosen: the browser sends nothing, a person picks one.
        for spec in fields:
            if spec.kind == "radio" and spec.name not in {n for n, _v in values}:
                values.append((spec.name, spec.options[0]))
        # The button pressed, when the form has named ones (several actions in one form).
        button = next((b for b in form.iter("button") if b.get("name")), None)
        if button is not None:
            values.append((button.get("name"), button.get("value", "")))
        found.append(FormSpec(
            url_name=name, page=page, action=action, method=method, values=values, fields=fields,
            multipart=(form.get("enctype") or "").startswith("multipart"),
        ))
    return found


def parse_links(page: str, html: bytes) -> list[str]:
    doc = lxml.html.fromstring(html)
    links = []
    for el in doc.iter("a"):
        href = el.get("href")
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page, href).split("#")[0]
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    for el in doc.iter():
        for attr in ("hx-get",):
            target = el.get(attr)
            if target:
                links.append(urljoin(page, target))
    return links


class Crawler:
    """Breadth-first through the site as one user, a bounded number of pages per URL pattern."""

    def __init__(self, client: Client, *, per_pattern: int = 1, limit: int = 400) -> None:
        self.client = client
        self.per_pattern = per_pattern
        self.limit = limit
        self.reached: set[str] = set()
        self.pages: dict[str, int] = {}
        self.forms: dict[tuple[str, str, tuple[str, ...]], FormSpec] = {}
        self.errors: list[Failure] = []

    def crawl(self, start: Iterable[str]) -> None:
        queue = list(start)
        # The start pages were chosen for the form each holds (a draft report and a sent one
        # share a pattern but not their forms): they are fetched whatever the per-pattern bound.
        chosen = set(queue)
        seen: set[str] = set()
        fetched = 0
        while queue and fetched < self.limit:
            url = queue.pop(0)
            if url in seen or SKIP_PATH.search(urlsplit(url).path):
                continue
            seen.add(url)
            name = url_name(url)
            if name is None:
                continue
            self.reached.add(name)
            if FILE_SUFFIX.search(urlsplit(url).path):
                continue
            if self.pages.get(name, 0) >= self.per_pattern and url not in chosen:
                continue
            self.pages[name] = self.pages.get(name, 0) + 1
            fetched += 1
            try:
                response = self.client.get(url)
            except Exception as exc:  # noqa: BLE001 - every crash is collected and reported
                self.errors.append(Failure(url, "GET", "", f"{type(exc).__name__}: {exc}"[:300]))
                continue
            if response.status_code >= 500:
                self.errors.append(Failure(url, "GET", "", f"status {response.status_code}"))
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            if not response.content.strip():
                continue
            for spec in parse_forms(url, response.content):
                self.reached.add(spec.url_name)
                self.forms.setdefault(spec.key, spec)
            queue.extend(parse_links(url, response.content))


def _tables() -> list[tuple[str, bool]]:
    out = []
    for model in apps.get_models():
        table = model._meta.db_table
        if table in WRITE_EXEMPT or not model._meta.managed:
            continue
        out.append((table, any(f.name == "version" for f in model._meta.concrete_fields)))
    return sorted(out)


def snapshot(tables: list[tuple[str, bool]]) -> tuple[Any, ...]:
    """Row counts of every table and the sum of the versions of versioned ones, in one query."""
    q = connection.ops.quote_name
    parts = []
    for table, versioned in tables:
        parts.append(f"(SELECT COUNT(*) FROM {q(table)})")  # noqa: S608 - table names from the models
        if versioned:
            parts.append(f"(SELECT COALESCE(SUM(version), 0) FROM {q(table)})")  # noqa: S608 - as above
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return tuple(row or ())


def _refused(response: Any) -> bool:
    if 400 <= response.status_code < 500:
        return True
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return False
    body = response.content
    return b'class="errorlist' in body or b'aria-invalid="true"' in body


def _stale(values: list[tuple[str, str]], name: str) -> str:
    current = next((v for n, v in values if n == name), "")
    return str(int(current) - 1) if current.isdigit() and int(current) > 0 else "0"


def fuzz(client: Client, forms: Iterable[FormSpec], *, seed: int, sample: int) -> Result:
    """Post every field of every form with ``sample`` of the hostile values (chosen with a fixed
    seed, in turn across a form's fields so that every value meets every form)."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    tables = _tables()
    before = snapshot(tables)
    result = Result()
    # A form may log the user out or rotate the session (password change): each request
    # starts again from the same cookies.
    cookies = copy.deepcopy(client.cookies)
    for spec in forms:
        result.forms += 1
        started = time.monotonic()
        offset = rng.randrange(len(HOSTILE))
        for index, fld in enumerate(spec.fields):
            result.fields += 1
            if fld.kind == "file":
                continue
            chosen = [HOSTILE[(offset + index * sample + j) % len(HOSTILE)] for j in range(sample)]
            if fld.name.endswith("version"):
                chosen.append(STALE)
            for value in chosen:
                posted = _stale(spec.values, fld.name) if value == STALE else value
                data: dict[str, list[str]] = {}
                for n, v in spec.values:
                    if n != fld.name:
                        data.setdefault(n, []).append(v)
                data[fld.name] = [posted]
                result.requests += 1
                label = f"{spec.method.upper()} {spec.action} ({spec.url_name})"
                shown = repr(posted[:40]) + ("…" if len(posted) > 40 else "")
                try:
                    with transaction.atomic():
                        if spec.method == "post":
                            response = client.post(spec.action, data)
                        else:
                            response = client.get(spec.action.split("?")[0], data)
                        if response.status_code >= 500:
                            result.server_errors += 1
                            result.failures.append(Failure(label, fld.name, shown, f"status {response.status_code}"))
                        elif _refused(response):
                            result.refused += 1
                            if snapshot(tables) != before:
                                result.failures.append(Failure(label, fld.name, shown, "refused, yet data changed"))
                        else:
                            result.accepted += 1
                        transaction.set_rollback(True)
                except Exception as exc:  # noqa: BLE001 - every crash is collected and reported
                    result.server_errors += 1
                    result.failures.append(Failure(label, fld.name, shown, f"{type(exc).__name__}: {exc}"[:300]))
                finally:
                    client.cookies = copy.deepcopy(cookies)
        result.seconds[f"{spec.method.upper()} {spec.url_name}"] = time.monotonic() - started
    return result
