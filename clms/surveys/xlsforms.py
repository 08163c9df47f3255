"""XLSForms for ODK Collect and KoBoCollect, built from the catalogues of ``clms.rules`` and the
villages of a commune: a new circular (a new job on the list) changes the form with it.

Three forms: the collaborator's report, the work observation and the household survey.  The
constraints mirror the server's checks (dates not in the future, hours within a day and a week,
members aged 5-17); the server checks again on import all the same.  Field names are the ones
the importer (``clms.surveys.imports``) reads; ``meta/instanceID`` is added by pyxform.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook

from clms.people.models import Activity, SchoolStatus, Sex
from clms.places.models import AdminUnit, Level
from clms.rules import catalogue
from clms.surveys.models import FieldKind, InterviewResult

LANG = "Tiếng Việt (vi)"
LABEL = f"label::{LANG}"
HINT = f"hint::{LANG}"
MESSAGE = f"constraint_message::{LANG}"
SURVEY_COLUMNS = ["type", "name", LABEL, HINT, "required", "constraint", MESSAGE, "relevant", "calculation", "default",
                  "appearance"]
VERSION = "2026.1"
KINDS = (FieldKind.REPORT, FieldKind.OBSERVATION, FieldKind.SURVEY)
TITLES = {
    FieldKind.REPORT: "CLMS – Báo tin trẻ em lao động hoặc có nguy cơ",
    FieldKind.OBSERVATION: "CLMS – Ghi nhận tình trạng làm việc",
    FieldKind.SURVEY: "CLMS – Khảo sát hộ gia đình về lao động trẻ em",
}
PAST = ". <= today()"
PAST_MESSAGE = "Ngày không được ở tương lai."
YES_NO_UNKNOWN = [("yes", "Có"), ("no", "Không"), ("unknown", "Không rõ")]


def village_code(village: AdminUnit) -> str:
    """The village's official code, or CLMS's own id for a village users created."""
    return village.code or f"V{village.pk}"


@dataclass
class Sheet:
    survey: list[dict[str, str]] = field(default_factory=list)
    choices: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, type_: str, name: str, label: str = "", **extra: str) -> None:
        row = {"type": type_, "name": name, LABEL: label}
        for key, value in extra.items():
            row[{"hint": HINT, "message": MESSAGE}.get(key, key)] = value
        self.survey.append(row)

    def choice_list(self, name: str, items: Iterable[tuple[str, str]]) -> None:
        for value, label in items:
            self.choices.append((name, value, label))


def _vi(choices: Any) -> list[tuple[str, str]]:
    # Labels of the model choices in Vietnamese, whatever the language of the request.
    from django.utils import translation

    with translation.override("vi"):
        return [(str(value), str(label)) for value, label in choices]


def _work_questions(sheet: Sheet, *, prefix_relevant: str = "") -> None:
    """The Situation inputs, as the work observation form asks them."""
    rel = prefix_relevant
    working = (f"{rel} and " if rel else "") + "${activity} != 'NONE'"
    sheet.add("select_one activity", "activity", "Trẻ làm gì", required="yes", relevant=rel)
    sheet.add("select_one job", "job_code", "Công việc (theo danh mục của pháp luật)", relevant=working,
              appearance="minimal")
    sheet.add("select_one workplace", "workplace_code", "Nơi làm việc (theo danh mục)", relevant=working,
              appearance="minimal")
    sheet.add("decimal", "hours_per_day", "Số giờ làm việc mỗi ngày", relevant=working,
              constraint=". >= 0 and . <= 24", message="Số giờ một ngày từ 0 đến 24.")
    sheet.add("integer", "days_per_week", "Số ngày làm việc mỗi tuần", relevant=working,
              constraint=". >= 0 and . <= 7", message="Số ngày một tuần từ 0 đến 7.")
    sheet.add("select_one yes_no_unknown", "night_work", "Làm việc ban đêm (22 giờ – 6 giờ)", relevant=working)
    sheet.add("select_multiple hazard", "hazards", "Điều kiện làm việc nguy hại", relevant=working)
    sheet.add("decimal", "load_kg", "Vật nặng nhất phải mang vác (kg)", relevant=working,
              constraint=". >= 0 and . <= 999", message="Khối lượng từ 0 đến 999 kg.")
    sheet.add("decimal", "chores_hours_week", "Số giờ làm việc nhà mỗi tuần", relevant=rel,
              constraint=". >= 0 and . <= 168", message="Số giờ một tuần từ 0 đến 168.")


def _work_choices(sheet: Sheet) -> None:
    sheet.choice_list("activity", _vi(Activity.choices))
    sheet.choice_list("job", [(e.code, e.name[:250]) for e in catalogue.jobs()])
    sheet.choice_list("workplace", [(e.code, e.name[:250]) for e in catalogue.workplaces()])
    sheet.choice_list("hazard", [(e.code, e.name[:250]) for e in catalogue.hazards()])
    sheet.choice_list("yes_no_unknown", YES_NO_UNKNOWN)


def _commune_field(sheet: Sheet, commune: AdminUnit) -> None:
    sheet.add("calculate", "commune", calculation=f"'{commune.code or commune.pk}'")


def _villages(sheet: Sheet, villages: list[AdminUnit]) -> None:
    sheet.choice_list("village", [(village_code(v), v.name) for v in villages])


def report_sheet(commune: AdminUnit, villages: list[AdminUnit]) -> Sheet:
    sheet = Sheet()
    _commune_field(sheet, commune)
    sheet.add("select_one village", "village", "Thôn, bản nơi trẻ sống", required="yes")
    sheet.add("text", "what_seen", "Điều đã thấy", required="yes")
    sheet.add("select_one yes_no", "emergency", "Khẩn cấp: trẻ bị đe dọa tính mạng, sức khỏe, nhân phẩm", required="yes")
    sheet.add("begin group", "child", "Trẻ em")
    sheet.add("text", "child_name", "Họ và tên trẻ", required="yes", constraint="string-length(.) <= 150",
              message="Họ tên tối đa 150 ký tự.")
    sheet.add("select_one sex", "child_sex", "Giới tính", required="yes")
    sheet.add("date", "child_dob", "Ngày sinh (ước tính nếu không rõ)", required="yes",
              constraint=f"{PAST} and . >= date(decimal-date-time(today()) - 6575)",
              message="Ngày sinh không ở tương lai và trẻ dưới 18 tuổi.")
    sheet.add("select_one yes_no", "child_dob_estimated", "Ngày sinh là ước tính")
    sheet.add("end group", "child")
    sheet.add("begin group", "reporter", "Người cho biết (không bắt buộc)")
    sheet.add("text", "reporter_name", "Họ tên")
    sheet.add("text", "reporter_phone", "Số điện thoại", constraint="regex(., '^[0-9+ ]{8,15}$')",
              message="Số điện thoại gồm 8 đến 15 chữ số.")
    sheet.add("end group", "reporter")
    sheet.choice_list("yes_no", [("yes", "Có"), ("no", "Không")])
    sheet.choice_list("sex", _vi(Sex.choices))
    _villages(sheet, villages)
    return sheet


def observation_sheet(commune: AdminUnit, villages: list[AdminUnit]) -> Sheet:
    sheet = Sheet()
    _commune_field(sheet, commune)
    sheet.add("integer", "child_id", "Số của trẻ trong sổ theo dõi CLMS", required="yes", constraint=". > 0",
              message="Số của trẻ là số dương, in trên trang của trẻ.")
    sheet.add("date", "observed_on", "Ngày ghi nhận", required="yes", constraint=PAST, message=PAST_MESSAGE,
              default="today()")
    sheet.add("begin group", "work", "Công việc")
    _work_questions(sheet)
    sheet.add("end group", "work")
    sheet.add("text", "note", "Ghi chú")
    sheet.choice_list("yes_no", [("yes", "Có"), ("no", "Không")])
    _work_choices(sheet)
    return sheet


def survey_sheet(commune: AdminUnit, villages: list[AdminUnit]) -> Sheet:
    sheet = Sheet()
    _commune_field(sheet, commune)
    sheet.add("select_one village", "village", "Thôn, bản (điểm khảo sát)", required="yes")
    sheet.add("integer", "household_number", "Số thứ tự hộ được chọn", required="yes", constraint=". > 0",
              message="Số thứ tự hộ là số dương.")
    sheet.add("text", "head_name", "Họ tên chủ hộ")
    sheet.add("select_one result", "result", "Kết quả phỏng vấn", required="yes")
    sheet.add("date", "interviewed_on", "Ngày phỏng vấn", required="yes", constraint=PAST, message=PAST_MESSAGE,
              default="today()")
    sheet.add("begin repeat", "member", "Trẻ từ 5 đến 17 tuổi trong hộ", relevant="${result} = 'completed'")
    sheet.add("text", "member_name", "Họ và tên", required="yes")
    sheet.add("select_one sex", "member_sex", "Giới tính", required="yes")
    sheet.add("date", "member_dob", "Ngày sinh", required="yes",
              constraint="(decimal-date-time(${interviewed_on}) - decimal-date-time(.)) div 365.25 >= 5 and "
                         "(decimal-date-time(${interviewed_on}) - decimal-date-time(.)) div 365.25 < 18",
              message="Chỉ ghi trẻ từ 5 đến 17 tuổi vào ngày phỏng vấn.")
    sheet.add("select_one school", "member_school", "Tình trạng đi học")
    _work_questions(sheet)
    sheet.add("end repeat", "member")
    sheet.choice_list("result", _vi(InterviewResult.choices))
    sheet.choice_list("sex", _vi(Sex.choices))
    sheet.choice_list("school", _vi(SchoolStatus.choices))
    _work_choices(sheet)
    _villages(sheet, villages)
    return sheet


BUILDERS = {FieldKind.REPORT: report_sheet, FieldKind.OBSERVATION: observation_sheet, FieldKind.SURVEY: survey_sheet}


def form_id(kind: str, commune: AdminUnit) -> str:
    return f"clms_{kind}_{commune.code or commune.pk}"


def build_xlsform(kind: str, commune: AdminUnit) -> bytes:
    """The XLSForm of ``kind`` for ``commune`` as .xlsx bytes."""
    if commune.level != Level.COMMUNE:
        raise ValueError("XLSForms are made per commune")
    villages = list(AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("name"))
    sheet = BUILDERS[FieldKind(kind)](commune, villages)
    book = Workbook()
    survey = book.active
    assert survey is not None  # noqa: S101 - a new workbook has its sheet
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    for row in sheet.survey:
        survey.append([row.get(c, "") for c in SURVEY_COLUMNS])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", LABEL])
    for choice in sheet.choices:
        choices.append(list(choice))
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language", "instance_name"])
    settings.append([f"{TITLES[FieldKind(kind)]} – {commune.name}", form_id(kind, commune), VERSION, LANG,
                     "concat(${commune}, '-', uuid())" if kind != FieldKind.SURVEY else "concat(${village}, '-', ${household_number})"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
