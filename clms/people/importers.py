"""Import of children from XLSX or CSV: every row is checked first, then all rows are
written or none.  Validation makes a fixed number of queries whatever the file's size
(units, households and children of the user's communes are loaded once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clms.core import figure_cache
from clms.core.history import history_record
from clms.core.imports import ImportFailed, RowError, csv_rows, workbook_rows, workbook_size
from clms.core.templatetags.vn_format import vn_number
from clms.core.text import has_invisible, normalise
from clms.people.classification import register_status_for
from clms.people.duplicates import Person, pairs_among, related_communes
from clms.people.models import Child, Household, PovertyStatus, RiskAssessment, SchoolStatus, Sex
from clms.people.reference import ethnicities
from clms.people.risk import CHILD_LABOUR, child_factors, factor_rows, screen
from clms.people.selectors import communes_for_writing, villages_for_writing
from clms.places.models import AdminUnit
from clms.places.scoping import can_write_unit
from clms.rules import fold

if TYPE_CHECKING:
    from clms.accounts.models import User

COLUMNS = {
    "full_name": gettext_lazy("Full name"),
    "sex": gettext_lazy("Sex"),
    "dob": gettext_lazy("Date of birth"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "personal_id": gettext_lazy("Personal identification number"),
    "commune": gettext_lazy("Commune code"),
    "village": gettext_lazy("Village"),
    "head_name": gettext_lazy("Head of household"),
    "address": gettext_lazy("Address"),
    "poverty_status": gettext_lazy("Poverty status"),
    "school_status": gettext_lazy("School status"),
    "grade": gettext_lazy("Grade"),
    "dropped_out_on": gettext_lazy("Dropped out on"),
    "note": gettext_lazy("Note"),
    "confirm_different": gettext_lazy("Different from a registered child"),
}
REQUIRED = ("full_name", "sex", "dob")
# Headers people write by hand, besides the template's own (compared folded).
ALIASES = {
    "ho ten": "full_name", "ten": "full_name", "gioi": "sex", "ngay thang nam sinh": "dob", "thon": "village",
    "ban": "village", "thon/ban": "village", "to dan pho": "village", "xa": "commune", "ma don vi": "commune",
    "cccd": "personal_id", "so cccd": "personal_id", "ma dinh danh": "personal_id", "ho ngheo": "poverty_status",
    "hoc tap": "school_status", "khac tre da co": "confirm_different",
}
MAX_ROWS = 100_000
BATCH = 2000
YES_WORDS = frozenset({"x", "co", "yes", "1", "true", "dung"})


@dataclass
class CleanRow:
    number: int
    commune: AdminUnit
    village: AdminUnit | None
    household_key: tuple[Any, ...] | None
    head_name: str
    address: str
    poverty_status: str
    child: dict[str, Any] = field(default_factory=dict)
    confirm_different: bool = False


def column_label(key: str) -> str:
    return str(COLUMNS[key])


def _lookup(choices: Any, languages: tuple[str, ...] = ("vi", "en")) -> dict[str, str]:
    """Folded label (in every UI language) or code -> code."""
    out: dict[str, str] = {}
    for lang in languages:
        with translation.override(lang):
            for value, label in choices:
                out[fold(str(label))] = value
    for value, _label_text in choices:
        out[fold(str(value))] = value
    return out


def read_rows(file: IO[bytes], name: str) -> Iterator[tuple[Any, ...]]:
    """Rows of the first sheet of an XLSX, or of a UTF-8 CSV (with or without BOM,
    comma or semicolon separated)."""
    if name.lower().endswith(".csv"):
        raw = file.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailed([RowError(0, "-", _("The CSV file is not UTF-8 encoded."))]) from None
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        yield from csv_rows(text, delimiter=delimiter)
        return
    yield from workbook_rows(file)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Control characters (a NUL byte, which PostgreSQL refuses) out, Vietnamese composed.
    return " ".join(normalise(str(value)).split())


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


class _Checker:
    """Row-by-row validation against lookups loaded once."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.today = timezone.localdate()
        self.communes = {c.code: c for c in communes_for_writing(user)}
        self.only_commune = next(iter(self.communes.values())) if len(self.communes) == 1 else None
        self.villages: dict[tuple[int, str], AdminUnit] = {}
        for v in villages_for_writing(user):
            if v.parent_id is not None:
                self.villages[(v.parent_id, fold(v.name))] = v
        area = getattr(user, "area", None)
        self.fixed_village = area if area is not None and area.level == "village" else None
        self.sexes = _lookup(Sex.choices) | {"m": "M", "f": "F", "nam": "M", "nu": "F"}
        self.schools = _lookup(SchoolStatus.choices)
        self.poverty = _lookup(PovertyStatus.choices) | {"ngheo": "poor", "can ngheo": "near_poor", "khong": "none"}
        self.ethnic = {fold(name): code for code, name in ethnicities()} | {code: code for code, _n in ethnicities()}
        self.errors: list[RowError] = []

    def error(self, row: int, key: str, message: str) -> None:
        self.errors.append(RowError(row, column_label(key) if key in COLUMNS else key, message))

    def row(self, number: int, get: Any) -> CleanRow | None:
        before = len(self.errors)
        name = _text(get("full_name"))
        if not name:
            self.error(number, "full_name", _("Enter the child's full name."))
        elif len(name) > 150:
            self.error(number, "full_name", _("The name is longer than 150 characters."))
        elif has_invisible(name):
            self.error(number, "full_name", _(
                "The name contains invisible or right-to-left control characters; type it again."
            ))
        sex = self.sexes.get(fold(_text(get("sex"))))
        if sex is None:
            self.error(number, "sex", _("Write Nam or Nữ."))
        dob = _date(get("dob"))
        if dob is None:
            self.error(number, "dob", _("Write the date as dd/mm/yyyy."))
        elif dob > self.today:
            self.error(number, "dob", _("The date of birth is in the future."))
        elif dob.year < self.today.year - 30:
            self.error(number, "dob", _("The date of birth is too far in the past for a child."))
        ethnicity = "01"
        if _text(get("ethnicity")):
            found = self.ethnic.get(fold(_text(get("ethnicity"))))
            if found is None:
                self.error(number, "ethnicity", _("Unknown ethnicity; see the Allowed values sheet."))
            else:
                ethnicity = found
        personal_id = _text(get("personal_id")).replace(" ", "")
        if personal_id and (len(personal_id) != 12 or not personal_id.isdigit()):
            self.error(number, "personal_id", _("A personal identification number has exactly 12 digits."))
        code = _text(get("commune"))
        commune = self.communes.get(code) if code else self.only_commune
        if commune is None:
            if code:
                self.error(number, "commune", _("You may not enter children for commune %(code)s.") % {"code": code})
            else:
                self.error(number, "commune", _("Enter the commune code."))
        village = None
        village_name = _text(get("village"))
        if commune is not None and village_name:
            village = self.villages.get((commune.pk, fold(village_name)))
            if village is None:
                self.error(number, "village", _("No village “%(name)s” in %(commune)s that you may write to.")
                           % {"name": village_name, "commune": commune.name})
        if self.fixed_village is not None:
            if village is None and not village_name:
                village = self.fixed_village
            elif village is not None and village.pk != self.fixed_village.pk:
                self.error(number, "village", _("You may only enter children of your own village."))
        if commune is not None and not can_write_unit(self.user, village or commune):
            self.error(number, "commune", _("You may not enter children for this unit."))
        school = SchoolStatus.ATTENDING.value
        if _text(get("school_status")):
            school_found = self.schools.get(fold(_text(get("school_status"))))
            if school_found is None:
                self.error(number, "school_status", _("Unknown school status; see the Allowed values sheet."))
            else:
                school = school_found
        grade = None
        if _text(get("grade")):
            try:
                grade = int(_text(get("grade")))
            except ValueError:
                grade = 0
            if not 1 <= grade <= 12:
                self.error(number, "grade", _("The grade is a whole number from 1 to 12."))
        dropped = None
        if _text(get("dropped_out_on")):
            dropped = _date(get("dropped_out_on"))
            if dropped is None:
                self.error(number, "dropped_out_on", _("Write the date as dd/mm/yyyy."))
            elif dob is not None and dropped < dob:
                self.error(number, "dropped_out_on", _("The drop-out date is before the date of birth."))
        poverty = PovertyStatus.NONE.value
        if _text(get("poverty_status")):
            poverty_found = self.poverty.get(fold(_text(get("poverty_status"))))
            if poverty_found is None:
                self.error(number, "poverty_status", _("Write Nghèo, Cận nghèo or Không."))
            else:
                poverty = poverty_found
        if has_invisible(_text(get("head_name"))):
            self.error(number, "head_name", _(
                "The name contains invisible or right-to-left control characters; type it again."
            ))
        if len(self.errors) != before or commune is None or dob is None or sex is None:
            return None
        head = _text(get("head_name"))[:150]
        address = _text(get("address"))[:255]
        return CleanRow(
            number=number,
            commune=commune,
            village=village,
            household_key=(commune.pk, getattr(village, "pk", None), fold(head), fold(address)) if head else None,
            head_name=head,
            address=address,
            poverty_status=poverty,
            confirm_different=fold(_text(get("confirm_different"))) in YES_WORDS,
            child={
                "full_name": name, "name_folded": fold(name), "sex": sex, "dob": dob, "ethnicity": ethnicity,
                "personal_id": personal_id, "school_status": school, "grade": grade,
                "dropped_out_on": dropped if school == SchoolStatus.DROPPED_OUT else None,
                "note": _text(get("note")),
            },
        )


def _check_duplicates(checker: _Checker, rows: list[CleanRow]) -> None:
    commune_ids: set[int] = set()
    for r in rows:
        commune_ids.update(related_communes(r.commune.pk) if r.commune.pk not in commune_ids else [])
    ids_in_file = [r.child["personal_id"] for r in rows if r.child["personal_id"]]
    existing = list(
        Child.objects.filter(merged_into__isnull=True, commune_id__in=commune_ids).values_list(
            "pk", "full_name", "name_folded", "dob", "commune_id", "village_id", "household_id", "personal_id"
        )
    )
    taken_ids: dict[str, str] = {}
    for start in range(0, len(ids_in_file), 1000):
        taken_ids.update(
            Child.objects.filter(merged_into__isnull=True, personal_id__in=ids_in_file[start : start + 1000])
            .values_list("personal_id", "full_name")
        )
    # Old communes are folded onto their successor so that history meets the present.
    successor = dict(
        AdminUnit.objects.filter(pk__in=commune_ids, succession_out__isnull=False).values_list(
            "pk", "succession_out__successor_id"
        )
    )
    names = {e[0]: (e[1], e[3]) for e in existing}
    people = [
        Person(key=("db", e[0]), name_folded=e[2], dob=e[3], commune_id=successor.get(e[4], e[4]),
               village_id=e[5], household_id=e[6], personal_id=e[7])
        for e in existing
    ]
    by_row = {r.number: r for r in rows}
    people += [
        Person(key=("row", r.number), name_folded=r.child["name_folded"], dob=r.child["dob"],
               commune_id=successor.get(r.commune.pk, r.commune.pk), village_id=getattr(r.village, "pk", None),
               personal_id=r.child["personal_id"])
        for r in rows
    ]
    seen_ids: dict[str, int] = {}
    for r in rows:
        pid = r.child["personal_id"]
        if not pid:
            continue
        if pid in seen_ids:
            checker.error(r.number, "personal_id", _("Same personal identification number as row %(row)s.")
                          % {"row": vn_number(seen_ids[pid])})
        elif pid in taken_ids:
            checker.error(r.number, "personal_id", _("This number is already registered for %(name)s.")
                          % {"name": taken_ids[pid]})
        seen_ids.setdefault(pid, r.number)
    for a, b, _candidate in pairs_among(people):
        kinds = (a.key[0], b.key[0])
        if kinds == ("db", "db"):
            continue
        if kinds == ("row", "row"):
            first, second = sorted((a.key[1], b.key[1]))
            if not by_row[second].confirm_different:
                checker.error(second, "full_name", _("Probably the same child as row %(row)s.") % {"row": vn_number(first)})
            continue
        row_person, db_person = (a, b) if a.key[0] == "row" else (b, a)
        row = by_row[row_person.key[1]]
        if not row.confirm_different:
            name, dob = names[db_person.key[1]]
            checker.error(
                row.number, "full_name",
                _("Probably %(name)s, born %(dob)s, already on the register; if not, write x in the column "
                  "“%(column)s”.") % {"name": name, "dob": dob.strftime("%d/%m/%Y"), "column": column_label("confirm_different")},
            )


# Progress(rows read so far, rows the file holds or 0 if unknown), called every PROGRESS_EVERY rows.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 500


def size_hint(file: IO[bytes], name: str) -> int:
    """How many data rows the file holds, as far as can be told without reading it (0: unknown):
    the workbook's recorded dimension, or a CSV's line count.  For a progress bar only."""
    if name.lower().endswith(".csv"):
        lines = file.read().count(b"\n")
    else:
        lines = workbook_size(file) or 0
    file.seek(0)
    return max(0, lines - 1)


def children_check(*, user: User, file: IO[bytes], name: str, progress: Progress | None = None) -> list[CleanRow]:
    """Check every row of the file; raises ImportFailed listing every bad row.  Reads only."""
    total = size_hint(file, name) if progress is not None else 0
    rows = read_rows(file, name)
    header = next(rows, None)
    if header is None:
        raise ImportFailed([RowError(1, "-", _("The file is empty."))])
    labels: dict[str, str] = {}
    for lang in ("vi", "en"):
        with translation.override(lang):
            labels.update({fold(str(v)): k for k, v in COLUMNS.items()})
    labels.update({k: k for k in COLUMNS})
    labels.update(ALIASES)
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = labels.get(fold(_text(cell)))
        if key and key not in positions:
            positions[key] = index
    missing = [k for k in REQUIRED if k not in positions]
    if missing:
        raise ImportFailed([RowError(1, column_label(k), _("This column is missing from the header row.")) for k in missing])

    checker = _Checker(user)
    clean: list[CleanRow] = []
    number = 1
    for number, raw in enumerate(rows, start=2):
        if progress is not None and (number - 1) % PROGRESS_EVERY == 0:
            progress(number - 1, max(total, number - 1))
        if number > MAX_ROWS + 1:
            checker.error(number, "-", _("Too many rows; split the file."))
            break
        if raw is None or all(_text(v) == "" for v in raw):
            continue

        def get(key: str, raw: tuple[Any, ...] = raw) -> Any:
            pos = positions.get(key)
            return raw[pos] if pos is not None and pos < len(raw) else None

        row = checker.row(number, get)
        if row is not None:
            clean.append(row)
    if progress is not None:
        # The hint may have counted blank rows at the end: what was read is the whole file.
        progress(number - 1, number - 1)
    if not checker.errors and not clean:
        checker.error(2, "-", _("The file has no data rows."))
    if not checker.errors:
        _check_duplicates(checker, clean)
    if checker.errors:
        checker.errors.sort(key=lambda e: e.row)
        raise ImportFailed(checker.errors)
    return clean


def children_import(*, user: User, file: IO[bytes], name: str) -> list[int]:
    """Import children; raises ImportFailed listing every bad row, writing nothing.
    Returns the ids of the children created."""
    return children_write(user=user, rows=children_check(user=user, file=file, name=name))


@transaction.atomic
def children_write(*, user: User, rows: list[CleanRow]) -> list[int]:
    """Write checked rows (households, children, their first risk screening) in one transaction."""
    keys = {r.household_key for r in rows if r.household_key}
    commune_ids = {k[0] for k in keys}
    households: dict[tuple[Any, ...], Household] = {}
    for h in Household.objects.filter(commune_id__in=commune_ids):
        households.setdefault((h.commune_id, h.village_id, h.head_name_folded, fold(h.address)), h)
    labour_households = set(
        Child.objects.filter(household__in=[h.pk for h in households.values()],
                             latest_category__in=CHILD_LABOUR).values_list("household_id", flat=True)
    ) if households else set()
    new_households = []
    for r in rows:
        if r.household_key and r.household_key not in households:
            h = Household(
                commune=r.commune, village=r.village, head_name=r.head_name, head_name_folded=fold(r.head_name),
                address=r.address, poverty_status=r.poverty_status, created_by=user,
            )
            households[r.household_key] = h
            new_households.append(h)
    Household.objects.bulk_create(new_households, batch_size=BATCH)
    # bulk_create bypasses save(): the change history records the imported rows itself.
    history_record(new_households, created=True, reason="import")

    children = []
    screenings = []
    for r in rows:
        household = households.get(r.household_key) if r.household_key else None
        child = Child(commune=r.commune, village=r.village, household=household, created_by=user, **r.child)
        result = screen(child_factors(
            child=child, household=household, previous_child_labour=False,
            sibling_child_labour=household is not None and household.pk in labour_households,
        ))
        child.risk_level = result.level
        child.register_status = register_status_for("", None, result.level)
        children.append(child)
        screenings.append(result)
    Child.objects.bulk_create(children, batch_size=BATCH)
    history_record(children, created=True, reason="import")
    today = timezone.localdate()
    assessed_by = user if getattr(user, "is_authenticated", False) else None
    RiskAssessment.objects.bulk_create(
        [
            RiskAssessment(child=c, assessed_on=today, level=s.level, score=Decimal(s.score),
                           factors=factor_rows(s.factors), weights_version=s.version, assessed_by=assessed_by)
            for c, s in zip(children, screenings, strict=True)
        ],
        batch_size=BATCH,
    )
    if figure_cache.enabled():
        # bulk_create sends no post_save, and the import runs in the worker, past any write
        # request's InvalidateOnWriteMiddleware: the figures of the provinces the user writes
        # in go stale here, once the rows are committed.
        transaction.on_commit(lambda: figure_cache.invalidate_for_user(user))
    return [c.pk for c in children]
