import datetime as dt
import json
from importlib import resources
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from clms.cases.calendar import build_calendar, due_soon_limit, due_time, file_days
from clms.cases.models import Holiday
from tests.base import PersonaTestCase

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


class DueTimeTestCase(SimpleTestCase):
    cal = build_calendar()

    def test_it_gives_friday_afternoon_two_working_days_until_tuesday_midnight(self) -> None:
        due = due_time(start=local(2026, 3, 13, 15, 30), amount=2, unit="working_days", calendar=self.cal)
        self.assertEqual(due, local(2026, 3, 18, 0, 0))  # 24:00 on Tuesday 17 March

    def test_it_counts_a_saturday_receipt_from_monday(self) -> None:
        due = due_time(start=local(2026, 3, 14, 9, 0), amount=2, unit="working_days", calendar=self.cal)
        self.assertEqual(due, local(2026, 3, 18, 0, 0))

    def test_it_skips_the_whole_tet_holiday(self) -> None:
        # Tết Bính Ngọ 2026: days off Monday 16 to Friday 20 February.
        due = due_time(start=local(2026, 2, 13, 16, 0), amount=2, unit="working_days", calendar=self.cal)
        self.assertEqual(due, local(2026, 2, 25, 0, 0))  # Mon 23 and Tue 24
        plan = due_time(start=local(2025, 1, 24, 10, 0), amount=5, unit="working_days", calendar=self.cal)
        self.assertEqual(plan, local(2025, 2, 8, 0, 0))  # Tết Ất Tỵ: 27-31 Jan off; 3-7 Feb

    def test_it_runs_twelve_hours_across_midnight_and_holidays(self) -> None:
        due = due_time(start=local(2026, 4, 29, 20, 15), amount=12, unit="hours", calendar=self.cal)
        self.assertEqual(due, local(2026, 4, 30, 8, 15))  # 30/4 is a holiday: an emergency does not wait

    def test_it_skips_fixed_and_compensatory_holidays(self) -> None:
        # 2/9/2025 (Tue) and 1/9 (Mon) are off: Friday 29/8 + 1 working day is Wednesday 3/9.
        due = due_time(start=local(2025, 8, 29, 11, 0), amount=1, unit="working_days", calendar=self.cal)
        self.assertEqual(due, local(2025, 9, 4, 0, 0))
        # Giỗ Tổ 2026 falls on Sunday 26/4, compensated on Monday 27/4.
        due = due_time(start=local(2026, 4, 24, 11, 0), amount=1, unit="working_days", calendar=self.cal)
        self.assertEqual(due, local(2026, 4, 29, 0, 0))

    def test_it_counts_a_saturday_made_a_working_day(self) -> None:
        # 2025: Friday 2/5 off, made up on Saturday 26/4.
        due = due_time(start=local(2025, 4, 25, 9, 0), amount=1, unit="working_days", calendar=self.cal)
        self.assertEqual(due, local(2025, 4, 27, 0, 0))

    def test_it_counts_calendar_days_to_midnight(self) -> None:
        due = due_time(start=local(2026, 1, 10, 9, 0), amount=30, unit="days", calendar=self.cal)
        self.assertEqual(due, local(2026, 2, 10, 0, 0))

    def test_it_has_every_statutory_holiday_from_2021_to_2027(self) -> None:
        days = dict(file_days())
        rows = json.loads(resources.files("clms.cases").joinpath("data", "holidays.json").read_text(encoding="utf-8"))
        for year in range(2021, 2028):
            for month, day in ((1, 1), (4, 30), (5, 1), (9, 2)):
                self.assertTrue(days[dt.date(year, month, day)], (year, month, day))
            of_year = [r for r in rows["days"] if r["date"].startswith(str(year))]
            tet = [r for r in of_year if r["name"].startswith("Tết Nguyên Đán")]
            self.assertEqual(len(tet), 5, year)  # Labour Code Art. 112: five days off
            self.assertEqual(len([r for r in of_year if r["name"].startswith("Giỗ Tổ")]), 1, year)
            self.assertEqual(len([r for r in of_year if r["name"].startswith("Quốc khánh")]), 2, year)

    def test_it_treats_due_soon_as_24_hours_or_the_next_working_day(self) -> None:
        friday = local(2026, 3, 13, 10, 0)
        self.assertEqual(due_soon_limit(friday, self.cal), local(2026, 3, 17, 0, 0))  # end of Monday
        tuesday = local(2026, 3, 17, 10, 0)
        self.assertEqual(due_soon_limit(tuesday, self.cal), local(2026, 3, 19, 0, 0))

    def test_it_rejects_an_unknown_unit(self) -> None:
        with self.assertRaises(ValueError):
            due_time(start=local(2026, 3, 13, 10, 0), amount=1, unit="weeks", calendar=self.cal)


class HolidayModelTestCase(PersonaTestCase):
    def test_it_adds_and_overrides_days_from_the_database(self) -> None:
        from clms.cases.calendar import current_calendar

        Holiday.objects.create(date=dt.date(2026, 3, 16), name="Nghỉ bù")
        Holiday.objects.create(date=dt.date(2026, 9, 1), name="Đi làm", is_day_off=False)
        cal = current_calendar()
        self.assertFalse(cal.is_working_day(dt.date(2026, 3, 16)))
        self.assertTrue(cal.is_working_day(dt.date(2026, 9, 1)))
        due = due_time(start=local(2026, 3, 13, 15, 0), amount=2, unit="working_days", calendar=cal)
        self.assertEqual(due, local(2026, 3, 19, 0, 0))
