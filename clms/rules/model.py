"""Inputs and outputs of the classification: plain values, no framework."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache

from . import catalogue

__all__ = [
    "ACTIVITIES",
    "FIELD_LABELS",
    "SEVERITY",
    "Category",
    "Condition",
    "Reference",
    "Sanction",
    "Situation",
    "Violation",
]


class Category(StrEnum):
    NOT_CHILD_LABOUR = "NOT_CHILD_LABOUR"
    PERMITTED_WITH_CONDITIONS = "PERMITTED_WITH_CONDITIONS"
    CHILD_LABOUR = "CHILD_LABOUR"
    HAZARDOUS_CHILD_LABOUR = "HAZARDOUS_CHILD_LABOUR"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"

    @property
    def label(self) -> str:
        """Vietnamese name for display."""
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.NOT_CHILD_LABOUR: "Không phải lao động trẻ em",
    Category.PERMITTED_WITH_CONDITIONS: "Được làm việc nếu bảo đảm các điều kiện",
    Category.CHILD_LABOUR: "Lao động trẻ em",
    Category.HAZARDOUS_CHILD_LABOUR: "Lao động trẻ em nguy hại",
    Category.OUT_OF_SCOPE: "Ngoài phạm vi áp dụng",
}

# OUT_OF_SCOPE has no place in the order: it says the rules do not speak about the person.
SEVERITY = {
    Category.NOT_CHILD_LABOUR: 0,
    Category.PERMITTED_WITH_CONDITIONS: 1,
    Category.CHILD_LABOUR: 2,
    Category.HAZARDOUS_CHILD_LABOUR: 3,
}

ACTIVITIES = ("EMPLOYED", "FAMILY_BUSINESS", "FAMILY_FARM", "HOUSEHOLD_CHORES", "NONE")
SEXES = ("M", "F")

FIELD_LABELS = {
    "dob": "ngày sinh",
    "as_of": "ngày ghi nhận",
    "activity": "loại hoạt động",
    "worst_forms": "hình thức lao động trẻ em tồi tệ nhất",
    "job_code": "công việc",
    "job_is_appendix_iii": "công việc có thuộc Phụ lục III hay không",
    "workplace_code": "nơi làm việc",
    "hours_day_max": "số giờ làm việc nhiều nhất trong một ngày",
    "hours_week": "số giờ làm việc trong tuần",
    "night_work": "có làm việc ban đêm (22 giờ đến 6 giờ) hay không",
    "overtime": "có làm thêm giờ hay không",
    "job_on_app_v_overtime": "công việc có thuộc Phụ lục V Phần I (làm thêm giờ) hay không",
    "job_on_app_v_night": "công việc có thuộc Phụ lục V Phần II (làm ban đêm) hay không",
    "sex": "giới tính",
    "load_kg": "khối lượng vật phải mang, vác, nâng",
    "load_regular": "mang vác thường xuyên hay không thường xuyên",
    "contract_written_child_and_rep": "hợp đồng lao động bằng văn bản với trẻ và người đại diện",
    "parent_consent": "sự đồng ý của cha, mẹ hoặc người giám hộ",
    "health_cert": "giấy khám sức khỏe",
    "last_health_check": "ngày kiểm tra sức khỏe định kỳ gần nhất",
    "affects_study_time": "giờ làm việc có ảnh hưởng đến thời gian học tập hay không",
    "osh_age_appropriate": "điều kiện an toàn, vệ sinh lao động phù hợp lứa tuổi",
    "separate_register": "sổ theo dõi riêng lao động chưa thành niên",
    "provincial_consent": "sự đồng ý của cơ quan chuyên môn về lao động cấp tỉnh",
    "harms_study_health_safety": "công việc có gây hại cho học tập, sức khỏe, an toàn hay không",
    "chores_hours_week": "số giờ làm việc nhà trong tuần",
    "hazards": "điều kiện làm việc nguy hại",
}


@cache
def _codes(*kinds: str) -> frozenset[str]:
    pick = {
        "job": catalogue.jobs,
        "workplace": catalogue.workplaces,
        "hazard": catalogue.hazards,
        "worst_form": catalogue.worst_forms,
    }
    return frozenset(e.code for k in kinds for e in pick[k]())


def _check_hours(name: str, value: float | None, top: float) -> None:
    if value is not None and not 0 <= value <= top:
        raise ValueError(f"{name} must be between 0 and {top}, got {value!r}")


@dataclass(frozen=True, slots=True)
class Situation:
    """One observation of a child's work, as spec §8 names it.

    ``dob`` and ``as_of`` are required; every other field defaults to "not known"
    (``None``, or an empty set). An unknown value is never read as a breach.
    """

    dob: date
    as_of: date
    activity: str | None = None
    worst_forms: frozenset[str] = frozenset()
    job_code: str | None = None
    job_is_appendix_iii: bool | None = None
    workplace_code: str | None = None
    hours_day_max: float | None = None
    hours_week: float | None = None
    night_work: bool | None = None
    overtime: bool | None = None
    job_on_app_v_overtime: bool | None = None
    job_on_app_v_night: bool | None = None
    sex: str | None = None
    load_kg: float | None = None
    load_regular: bool | None = None
    contract_written_child_and_rep: bool | None = None
    parent_consent: bool | None = None
    health_cert: bool | None = None
    last_health_check: date | None = None
    affects_study_time: bool | None = None
    osh_age_appropriate: bool | None = None
    separate_register: bool | None = None
    provincial_consent: bool | None = None
    harms_study_health_safety: bool | None = None
    chores_hours_week: float | None = None
    hazards: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # A datetime would carry a time and maybe a zone; ages are counted on calendar dates.
        for name in ("dob", "as_of", "last_health_check"):
            value = getattr(self, name)
            if value is None and name == "last_health_check":
                continue
            if not isinstance(value, date) or isinstance(value, datetime):
                raise TypeError(f"{name} must be a datetime.date, got {value!r}")
        if self.as_of < self.dob:
            raise ValueError(f"as_of {self.as_of} is before dob {self.dob}")
        if not isinstance(self.worst_forms, frozenset):
            object.__setattr__(self, "worst_forms", frozenset(self.worst_forms))
        if not isinstance(self.hazards, frozenset):
            object.__setattr__(self, "hazards", frozenset(self.hazards))
        if self.activity is not None and self.activity not in ACTIVITIES:
            raise ValueError(f"unknown activity {self.activity!r}")
        if self.sex is not None and self.sex not in SEXES:
            raise ValueError(f"sex must be 'M' or 'F', got {self.sex!r}")
        if self.job_code is not None and self.job_code not in _codes("job"):
            raise ValueError(f"unknown job_code {self.job_code!r}")
        if self.workplace_code is not None and self.workplace_code not in _codes("workplace"):
            raise ValueError(f"unknown workplace_code {self.workplace_code!r}")
        unknown = self.worst_forms - _codes("worst_form")
        if unknown:
            raise ValueError(f"unknown worst_forms {sorted(unknown)}")
        unknown = self.hazards - _codes("hazard")
        if unknown:
            raise ValueError(f"unknown hazards {sorted(unknown)}")
        _check_hours("hours_day_max", self.hours_day_max, 24)
        _check_hours("hours_week", self.hours_week, 168)
        _check_hours("chores_hours_week", self.chores_hours_week, 168)
        if self.load_kg is not None and self.load_kg < 0:
            raise ValueError(f"load_kg must not be negative, got {self.load_kg!r}")


@dataclass(frozen=True, slots=True)
class Reference:
    """A rule that decided the result, with its legal article (both in Vietnamese)."""

    rule_id: str
    article: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Sanction:
    """The administrative fine for a violation, from the decree in force on the date."""

    decree: str
    article: str
    clause: str
    point: str | None
    fine_individual: tuple[int, int]
    fine_organisation: tuple[int, int]
    conduct: str
    organisation_basis: str
    verified: bool

    @property
    def citation(self) -> str:
        point = f"điểm {self.point} " if self.point else ""
        return f"{point}khoản {self.clause} Điều {self.article} {self.decree}"


@dataclass(frozen=True, slots=True)
class Violation:
    rule_id: str
    code: str
    description: str
    legal_basis: str
    sanction: Sanction | None


@dataclass(frozen=True, slots=True)
class Condition:
    """An obligation the employer owes while the child works; ``met`` is None when unknown."""

    code: str
    text: str
    article: str
    met: bool | None
