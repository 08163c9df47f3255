"""The authorization matrix: every URL pattern × every persona × every kind of place.

For each route of the resolver (``tests/access/routes.py`` says how to probe it and what to
expect), each persona of ``tests/access/world.py`` and, for routes on personal data, the
marked child (household, case, …) of each place, it sends a GET, an htmx GET and, for forms
and actions, an empty POST (rolled back), and checks

- the status is the expected one (an object the persona may not see: 404; a refused role: 403);
- no body names a child the persona may not read (the hand-written ``VISIBLE`` table);
- every response that shows a child's personal data wrote at least one audit event.

It prints its counts.  ``CLMS_MATRIX_PRINT=1`` prints the observed status table instead of
failing on status differences (to write the expectations of a new route, then review them).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clms.accounts.models import AuditEvent
from tests.access.routes import CLOSED_HISTORY, PERSONAL_KINDS, ROUTES, SPECS
from tests.access.world import (
    AREA_MODELS,
    AREA_PLACES,
    MARK,
    PERSONAS,
    PLACES,
    VISIBLE,
    World,
    area_name,
    area_visible,
    build_world,
    child_name,
    household_name,
)
from tests.summary import summary_line

MISSING_PK = 999999
DENIED = frozenset({302, 403, 405})


def url_names() -> list[tuple[str, list[str]]]:
    """Every named URL pattern with its argument names, from the resolver."""
    found: list[tuple[str, list[str]]] = []

    def walk(resolver: URLResolver, namespace: str, prefix: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
                walk(p, ns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                # The REST API has its own endpoint matrix (issue 21); it is not probed here.
                if route.startswith("api/"):
                    continue
                if p.name is None:
                    # Unnamed: only the admin's catch-all, which cannot be reversed (it
                    # redirects or 404s every path under /admin/ that no admin view takes).
                    continue
                name = f"{namespace}:{p.name}" if namespace else str(p.name)
                found.append((name, list(p.pattern.regex.groupindex)))

    walk(get_resolver(), "", "")
    return found


class Probe:
    def __init__(self, world: World) -> None:
        self.w = world
        self.clients: dict[str, Client] = {}
        self.problems: list[str] = []
        self.counts: Counter[str] = Counter()
        self.observed: dict[str, dict[str, int]] = {}

    def client(self, persona: str) -> Client:
        if persona not in self.clients:
            c = Client()
            c.force_login(self.w.users[persona])
            self.clients[persona] = c
        return self.clients[persona]

    # -- objects -------------------------------------------------------------------------

    def personal(self, kind: str, place: str) -> int:
        table: dict[str, Any] = {  # type: ignore[assignment]
            "child": self.w.children, "household": self.w.households, "case": self.w.cases,
            "observation": self.w.observations, "referral": self.w.referrals,
        }[kind]
        obj = table.get(place)
        return obj.pk if obj is not None else MISSING_PK

    def model_pk(self, label: str) -> int:
        if label == "places.AdminUnit":
            return self.w.units["own"].pk
        model = apps.get_model(label)
        qs = model._default_manager.order_by("pk")
        for name in ("commune", "unit", "village__parent"):
            try:
                own = qs.filter(**{name: self.w.units["own"]}).first()
            except Exception:  # noqa: S112 - the model has no such field
                continue
            if own is not None:
                return own.pk
        first = qs.first()
        return first.pk if first is not None else MISSING_PK

    def targets(self, name: str, args: list[str]) -> list[tuple[str, dict[str, Any]]]:
        """(place, kwargs) pairs to probe the route with."""
        if name.startswith("admin:"):
            return [("own", self.admin_kwargs(name, args))]
        obj, fixed, _post = SPECS[name]
        kwargs = dict(fixed)
        if obj is None:
            return [("own", kwargs)]
        arg = "pk"
        if ":" in obj and obj.split(":", 1)[0] in args:
            arg, obj = obj.split(":", 1)
        if obj in PERSONAL_KINDS:
            # Places without such an object (referrals exist in two places) are not probed.
            return [(place, {**kwargs, arg: self.personal(obj, place)}) for place in PLACES
                    if self.personal(obj, place) != MISSING_PK]
        label = obj.removeprefix("model:")
        if label in self.w.area:
            return [(place, {**kwargs, arg: pk}) for place, pk in self.w.area[label].items()]
        return [("own", {**kwargs, arg: self.model_pk(label)})]

    def admin_kwargs(self, name: str, args: list[str]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        view = name.removeprefix("admin:")
        for arg in args:
            if arg == "app_label":
                kwargs[arg] = "accounts"
            elif arg == "object_id":
                app_model = view.rsplit("_", 1)[0]
                found = next((m for m in apps.get_models()
                              if f"{m._meta.app_label}_{m._meta.model_name}" == app_model), None)
                first = found._default_manager.order_by("pk").first() if found is not None else None
                kwargs[arg] = str(first.pk) if first is not None else str(MISSING_PK)
            elif arg in ("content_type_id",):
                kwargs[arg] = "1"
            elif arg == "id":
                kwargs[arg] = str(self.w.users["admin"].pk)
            elif arg == "pk":  # django-otp's device config and QR views: no device in the world
                kwargs[arg] = str(MISSING_PK)
            else:
                kwargs[arg] = "x"
        return kwargs

    # -- checks --------------------------------------------------------------------------

    def foreign_names(self, persona: str) -> list[str]:
        return [n for p in PLACES if p not in VISIBLE[persona] for n in (child_name(p), household_name(p))] + [
            area_name(p, label) for label in AREA_MODELS for p in AREA_PLACES if p not in area_visible(label, persona)]

    def visible_names(self, persona: str) -> list[str]:
        """Names whose presence makes a response a read of personal data (child and household)."""
        return [n for p in PLACES if p in VISIBLE[persona] for n in (child_name(p), household_name(p))]

    def send(self, persona: str, method: str, url: str) -> tuple[int, str, int]:
        client = self.client(persona)
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        headers: dict[str, Any] = {"HX-Request": "true"} if method == "htmx" else {}
        try:
            if method == "post":
                with transaction.atomic():
                    response = client.post(url, {}, headers=headers)
                    audited = AuditEvent.objects.filter(pk__gt=last).count()
                    transaction.set_rollback(True)
                # A POST may have logged the persona out (logout) or changed the session.
                self.clients.pop(persona, None)
            else:
                response = client.get(url, headers=headers)
                audited = AuditEvent.objects.filter(pk__gt=last).count()
        except Exception as exc:  # a 500: the test client re-raises it
            return 500, f"{type(exc).__name__}: {exc}", 0
        streaming = getattr(response, "streaming", False)
        raw = b"".join(response.streaming_content) if streaming else response.content  # type: ignore[attr-defined]
        body = raw.decode(errors="replace")
        return response.status_code, body, audited

    def check(self, name: str, persona: str, place: str, method: str, url: str, personal: bool | None) -> int:
        """``personal``: None for a route on no record of a place; else whether the persona may
        see the record the URL names (a foreign one must refuse a POST)."""
        status, body, audited = self.send(persona, method, url)
        self.counts["requests"] += 1
        where = f"{name} {method.upper()} as {persona} on {place} ({url})"
        if status >= 500:
            self.problems.append(f"{where}: {status} {body[:200]}")
        leaked = [n for n in self.foreign_names(persona) if n in body] or (
            [MARK] if MARK in body and not self.visible_names(persona) else []
        )
        if leaked:
            self.counts["leaks"] += 1
            self.problems.append(f"{where}: LEAK {leaked}")
        if status == 200 and any(n in body for n in self.visible_names(persona)):
            self.counts["personal_data_responses"] += 1
            if audited == 0:
                self.counts["unaudited_reads"] += 1
                self.problems.append(f"{where}: personal data shown without an audit event")
        if personal is not None and not personal and method == "post" and status not in (403, 404, 405):
            self.problems.append(f"{where}: POST on a foreign object answered {status}")
        return status


# The figure cache on, as in production: thousands of requests do not each recompute the
# dashboard, and a persona is shown only the figures of its own scope's cache entries.
@override_settings(CLMS_INDICATOR_CACHE_SECONDS=600)
class AuthorizationMatrixTestCase(TestCase):
    world: World

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def test_every_route_has_an_expectation(self) -> None:
        names = {n for n, _a in url_names() if not n.startswith("admin:")}
        self.assertEqual(sorted(names - set(SPECS)), [], "routes without an entry in tests/access/routes.py")
        self.assertEqual(sorted(set(SPECS) - names), [], "entries in tests/access/routes.py without a route")
        self.assertEqual(sorted(set(SPECS) - set(ROUTES)), [], "routes without expected statuses")

    # One test per group of apps, so that parallel runs (pytest -n) share the work.
    def test_matrix_people_and_places(self) -> None:
        self.run_matrix(("core:", "accounts:", "places:", "legal:", "people:", "set_language", "api_tokens:"))

    def test_matrix_cases(self) -> None:
        self.run_matrix(("cases:",))

    def test_matrix_employers_outreach(self) -> None:
        self.run_matrix(("employers:", "outreach:"))

    def test_matrix_plans_indicators_reports(self) -> None:
        self.run_matrix(("plans:", "indicators:", "reports:"))

    def test_matrix_surveys(self) -> None:
        self.run_matrix(("surveys:",))

    def test_matrix_admin(self) -> None:
        self.run_matrix(("admin:",))

    def run_matrix(self, prefixes: tuple[str, ...]) -> None:
        # 403s and 404s are the point here: keep django.request from logging thousands of them.
        logging.getLogger("django.request").setLevel(logging.CRITICAL)
        logging.getLogger("django.security").setLevel(logging.CRITICAL)
        probe = Probe(self.world)
        record = bool(os.environ.get("CLMS_MATRIX_PRINT"))
        routes = [(n, a) for n, a in url_names() if n.startswith(prefixes)]
        for name, args in routes:
            if name not in SPECS and not name.startswith("admin:"):
                continue  # reported by test_every_route_has_an_expectation
            spec_post = name.startswith("admin:") is False and SPECS[name][2]
            for persona in PERSONAS:
                for place, kwargs in probe.targets(name, args):
                    url = reverse(name, kwargs=kwargs)
                    obj = "" if name.startswith("admin:") else (SPECS[name][0] or "")
                    personal = obj.split(":")[-1] in PERSONAL_KINDS
                    label = obj.removeprefix("model:")
                    area = label in self.world.area
                    seen = VISIBLE[persona] if personal else area_visible(label, persona)
                    visible = not (personal or area) or place in seen
                    mine = None if not (personal or area) else visible
                    status = probe.check(name, persona, place, "get", url, mine)
                    if visible or (place == "own" and not seen):
                        probe.observed.setdefault(name, {}).setdefault(persona, status)
                    expected = self.expected(name, persona)
                    allowed = {expected}
                    if not visible:
                        # Not the persona's record: 404, or the refusal the route gives anyway
                        # (a refused role's 403, a GET on a POST-only route's 405).
                        allowed = {404} | ({expected} - {302} if expected in DENIED else set())
                    elif area and place in ("absorbed", "split") and persona in CLOSED_HISTORY.get(name, {}):
                        allowed = {CLOSED_HISTORY[name][persona]}
                    if not record and expected != -1 and status not in allowed:
                        probe.problems.append(f"{name} GET as {persona} on {place}: {status}, expected {sorted(allowed)}")
                    if status == 200:
                        probe.check(name, persona, place, "htmx", url, mine)
                    if spec_post:
                        probe.check(name, persona, place, "post", url, mine)
                    if status in DENIED and not (personal or area):
                        break
        c = probe.counts
        summary_line(
            f"authorization matrix ({', '.join(prefixes)}): {len(routes)} routes × {len(PERSONAS)} personas × {len(PLACES)} places "
            f"(personal data), {len(AREA_PLACES)} (area records); {c['requests']} requests; leaks: {c['leaks']}; "
            f"personal-data responses: {c['personal_data_responses']}; unaudited reads: {c['unaudited_reads']}"
        )
        # The line shows in the run's "figures" section (tests/summary.py); the counts also go to test-artifacts/.
        artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        (artifacts / f"access-matrix-{prefixes[0].strip(':')}.txt").write_text(
            f"routes: {len(routes)}; personas: {len(PERSONAS)}; requests: {c['requests']}; leaks: {c['leaks']}; "
            f"personal-data responses: {c['personal_data_responses']}; unaudited reads: {c['unaudited_reads']}; "
            f"problems: {len(probe.problems)}\n", encoding="utf-8")
        if record:
            with open(os.environ["CLMS_MATRIX_PRINT"], "a") as out:
                for name, per in probe.observed.items():
                    if name.startswith("admin:"):
                        continue
                    common = Counter(per.values()).most_common(1)[0][0]
                    rest = ", ".join(f"{p}={v}" for p, v in per.items() if v != common)
                    out.write(f'    "{name}": s({common}{", " + rest if rest else ""}),\n')
            print("\n".join(probe.problems))
        self.assertEqual(probe.problems, [], "\n" + "\n".join(probe.problems[:80]))

    def expected(self, name: str, persona: str) -> int:
        if name.startswith("admin:"):
            # The Django admin: staff only (the admin persona); everyone else is sent to the
            # login page (the admin's own login redirects to the site's throttled one).  The admin persona is checked for
            # leaks and 500s only (the admin holds no child's data, see the matrix counts).
            if persona == "admin":
                return -1
            return 302
        route = ROUTES.get(name)
        return route.expected(persona) if route is not None else -1
