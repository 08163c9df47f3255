"""The law-check page: enter a work situation, see the legal and statistical decisions.

It holds no personal data and writes nothing, so trainers can use it at a commune training
session without an account.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from clms.core.http import HtmxHttpRequest
from clms.legal.forms import SituationForm
from clms.rules import FIELD_LABELS, RULESETS, RulesetNotAvailable, catalogue, classify, compare


def classify_page(request: HtmxHttpRequest) -> HttpResponse:
    form = SituationForm(request.POST or None)
    result: dict[str, Any] | None = None
    error = ""
    if request.method == "POST" and form.is_valid():
        situation = form.situation()
        policies = {
            "STRICT_UNDER15_CONDITIONS": form.cleaned_data["strict_under15"],
            "FAMILY_WORK_OUTSIDE_EMPLOYER_RULES": form.cleaned_data["family_outside"],
        }
        try:
            comparison = compare(situation, "mics6", **policies)
            sdg = classify(situation, "sdg2021")
        except RulesetNotAvailable as exc:
            error = str(exc)
        except ValueError as exc:
            error = str(exc)
        else:
            result = {
                "law": comparison.law,
                "mics6": comparison.statistical,
                "sdg": sdg,
                "note": comparison.note,
                "missing_labels": [FIELD_LABELS.get(m, m) for m in comparison.law.missing],
            }
    template = "legal/_result.html" if request.htmx else "legal/classify.html"
    return render(request, template, {"form": form, "result": result, "error": error, "rulesets": RULESETS})


def catalogue_options(request: HttpRequest) -> HttpResponse:
    """Type-ahead for job and workplace pickers: matches Vietnamese words without diacritics."""
    kind = request.GET.get("kind", "job")
    if kind not in ("job", "workplace", "hazard", "worst_form"):
        kind = "job"
    query = request.GET.get("q", "") or request.GET.get("job_code", "")
    entries = catalogue.search(query, kind=kind, limit=15) if query.strip() else []
    return render(request, "legal/_options.html", {"entries": entries})


def catalogue_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    found = catalogue.search(query, limit=200) if query.strip() else None
    return render(
        request,
        "legal/catalogues.html",
        {"catalogues": catalogue.catalogues(), "found": found, "query": query, "title": _("Legal lists")},
    )
