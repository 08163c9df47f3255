"""The survey estimate in the yearly report: frozen with the report's figures, said beside the
register's CL_RATE and compared with the national and local targets."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from clms.places.models import AdminUnit


def survey_extra(unit: AdminUnit, year: int) -> dict[str, Any] | None:
    from clms.surveys import presenters, selectors

    survey = selectors.latest_round_for(unit, year)
    if survey is None:
        return None
    estimates = selectors.round_estimates(survey)
    rate = estimates["estimates"][presenters.PRIMARY]["all"]["rate"]
    return {
        "round": survey.pk,
        "year": survey.year,
        "rate": rate,
        "response_rate": estimates["response_rate"],
        "sentence": presenters.survey_sentence(estimates),
        "targets": presenters.target_sentences(estimates, unit, year),
    }


def survey_lines(data: dict[str, Any], year: int) -> list[str]:
    extra = (data.get("extras") or {}).get("survey")
    if not extra:
        return []
    lines = [_("Child labour rate from the household survey: %(sentence)s.") % {"sentence": extra["sentence"]}]
    lines += [f"- {t}." for t in extra.get("targets", [])]
    lines.append(_("The register's CL_RATE above is the number of children found in the register, not a survey estimate."))
    return lines


def register() -> None:
    from clms.reports import hooks

    hooks.SNAPSHOT_EXTRAS["survey"] = survey_extra
    if survey_lines not in hooks.RESULT_LINES:
        hooks.RESULT_LINES.append(survey_lines)
