"""The survey estimate beside the register's CL_RATE, for the dashboard panel."""

from __future__ import annotations

from typing import Any

from django import template

from clms.rules import Category
from clms.surveys import presenters, selectors

register = template.Library()


@register.filter
def category_label(code: str) -> str:
    try:
        return Category(code).label
    except ValueError:
        return code


@register.simple_tag
def survey_beside(scope: Any, year: int, table: Any = None) -> presenters.Beside | None:
    if scope is None:
        return None
    survey = selectors.latest_round_for(scope, year)
    if survey is None:
        return None
    estimates = selectors.round_estimates(survey)
    register_text = ""
    if table is not None and "CL_RATE" in getattr(table, "codes", ()):
        value = table.total("CL_RATE")
        register_text = presenters.register_sentence(value.value, value.numerator, value.denominator)
    return presenters.Beside(
        survey_text=presenters.survey_sentence(estimates),
        register_text=register_text,
        targets=presenters.target_sentences(estimates, scope, year),
        survey_pk=survey.pk,
        response_rate=presenters.pct(estimates["response_rate"], 0),
    )
