"""The twelve indicators of DESIGN §5 in display order: what each measures and where the plan
puts it.

``objective`` is the objective of part II of the Triệu Sơn plan the target belongs to (II.1.a
prevention and support, II.1.b communication, II.1.c training, II.2 the 2030 orientation);
``content_area`` is the heading of part III ("1" to "5") under which the yearly report tells
what was done for it.  The computation of each is a function in ``clms.indicators.compute``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clms.indicators.base import BREAKDOWNS, Breakdown
from clms.plans.models import Indicator


@dataclass(frozen=True)
class IndicatorDef:
    code: Indicator
    objective: str
    content_area: str
    numerator_text: str | Promise
    denominator_text: str | Promise
    higher_is_better: bool
    # A few words for a table header.
    short_label: str | Promise = ""
    # Breakdowns the records behind the indicator carry (outreach reach has no sex or age).
    breakdowns: tuple[Breakdown, ...] = BREAKDOWNS
    # Which records a drill-down from a cell shows: "children", "cases" or "" (none).
    drill: str = ""

    @property
    def label(self) -> str | Promise:
        """The indicator's name, as the plans' targets name it (one label per indicator)."""
        return self.code.label


def _defs() -> list[IndicatorDef]:
    return [
        IndicatorDef(
            Indicator.CL_RATE,
            "II.1.a",
            "3",
            _("Registered children aged 5-17 whose latest observation of the year is child labour"),
            _("Children aged 5-17 (population figure)"),
            False,
            short_label=_("Child labour rate"),
            drill="children",
        ),
        IndicatorDef(
            Indicator.TIMELY,
            "II.1.a",
            "3",
            _("Cases reported in the year whose every step met its due time"),
            _("Cases reported in the year"),
            True,
            short_label=_("Timely support"),
            drill="cases",
        ),
        IndicatorDef(
            Indicator.MONITORED,
            "II.1.a",
            "3",
            _("Cases under monitoring with no overdue follow-up visit"),
            _("Cases under monitoring at the end of the period"),
            True,
            short_label=_("Followed up"),
            drill="cases",
        ),
        IndicatorDef(
            Indicator.EDU_ACCESS,
            "II.1.a",
            "3",
            _("Of them, children in school or vocational training at the end of the period"),
            _("Registered at-risk children and child labourers aged 5-17 at the end of the period"),
            True,
            short_label=_("In school or training"),
            drill="children",
        ),
        IndicatorDef(
            Indicator.COMM_TEACHERS,
            "II.1.b",
            "2",
            _("Teachers and staff reached by communication activities in the year"),
            _("Teachers and staff of schools and care facilities"),
            True,
            short_label=_("Teachers informed"),
            breakdowns=(),
        ),
        IndicatorDef(
            Indicator.COMM_PARENTS,
            "II.1.b",
            "2",
            _("Parents and caregivers reached by communication activities in the year"),
            _("Parents and caregivers"),
            True,
            short_label=_("Parents informed"),
            breakdowns=(),
        ),
        IndicatorDef(
            Indicator.COMM_CHILDREN,
            "II.1.b",
            "2",
            _("Children reached by communication activities in the year"),
            _("Children aged 5-17"),
            True,
            short_label=_("Children informed"),
            breakdowns=(),
        ),
        IndicatorDef(
            Indicator.COMM_BUSINESSES,
            "II.1.b",
            "2",
            _("Enterprises, cooperatives and craft-village households reached in the year"),
            _("Enterprises, cooperatives and craft-village households"),
            True,
            short_label=_("Businesses informed"),
            breakdowns=(),
        ),
        IndicatorDef(
            Indicator.TRAIN_OFFICIALS,
            "II.1.c",
            "1",
            _("Officials who attended a training in the year"),
            _("Officials working on child labour"),
            True,
            short_label=_("Officials trained"),
            breakdowns=(),
        ),
        IndicatorDef(
            Indicator.TRAIN_ENTERPRISES,
            "II.1.c",
            "1",
            _("Enterprises that attended a training in the year"),
            _("Enterprises"),
            True,
            short_label=_("Enterprises trained"),
            breakdowns=(),
        ),
        IndicatorDef(
            Indicator.TRAIN_COOPS_HOUSEHOLDS,
            "II.1.c",
            "1",
            _("Cooperatives and craft-village households that attended a training in the year"),
            _("Cooperatives and craft-village households"),
            True,
            short_label=_("Co-ops and households trained"),
            breakdowns=(),
        ),
        IndicatorDef(
            Indicator.HAZARDOUS_SHARE,
            "II.2",
            "3",
            _("Child labourers in hazardous work (latest observation of the year)"),
            _("Child labourers (latest observation of the year)"),
            False,
            short_label=_("Hazardous share"),
            drill="children",
        ),
    ]


INDICATORS: dict[str, IndicatorDef] = {d.code: d for d in _defs()}
CODES: tuple[str, ...] = tuple(INDICATORS)
