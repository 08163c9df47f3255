import datetime as dt
from zoneinfo import ZoneInfo

import holidays
from django.test import SimpleTestCase, TestCase

from clms.cases.calendar import build_calendar, due_soon_limit, due_time
from clms.cases.models import Holiday

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

    def test_it_follows_the_holidays_package_for_2021_to_2035(self) -> None:
        for year in range(2021, 2036):
            days = holidays.country_holidays("VN", years=year)
            worked = set(days.weekend_workdays)
            day = dt.date(year, 1, 1)
            while day.year == year:
                expected = day in worked or (day.weekday() < 5 and day not in days)
                self.assertEqual(self.cal.is_working_day(day), expected, day)
                day += dt.timedelta(days=1)
            for month, mday in ((1, 1), (4, 30), (5, 1), (9, 2)):
                self.assertIn(dt.date(year, month, mday), days, (year, month, mday))
            # Labour Code Art. 112: five days of Tết and the day next to 2/9 (from 2021).
            self.assertGreaterEqual(sum("Lunar New Year" in str(n) for n in days.values()), 5, year)
            self.assertGreaterEqual(sum("National Day" in str(n) for n in days.values()), 2, year)

    def test_it_knows_the_days_off_the_hand_kept_file_missed(self) -> None:
        # 24/11/2026 (Ngày Văn hóa Việt Nam, a Tuesday) and Monday 31/08/2026 (swapped for
        # Saturday 22/08/2026) were not in clms/cases/data/holidays.json.
        self.assertFalse(self.cal.is_working_day(dt.date(2026, 11, 24)))
        self.assertFalse(self.cal.is_working_day(dt.date(2026, 8, 31)))
        self.assertTrue(self.cal.is_working_day(dt.date(2026, 8, 22)))
        # Friday 28/08/2026 + 1 working day: Monday 31/8, Tuesday 1/9 and Wednesday 2/9 are
        # off, so Thursday 3/9, due at 24:00.
        due = due_time(start=local(2026, 8, 28, 10, 0), amount=1, unit="working_days", calendar=self.cal)
        self.assertEqual(due, local(2026, 9, 4, 0, 0))
        # Years the file never had: Tết Đinh Mùi 2027 and 2035 still skip.
        self.assertFalse(self.cal.is_working_day(dt.date(2035, 2, 8)))

    def test_it_treats_due_soon_as_24_hours_or_the_next_working_day(self) -> None:
        friday = local(2026, 3, 13, 10, 0)
        self.assertEqual(due_soon_limit(friday, self.cal), local(2026, 3, 17, 0, 0))  # end of Monday
        tuesday = local(2026, 3, 17, 10, 0)
        self.assertEqual(due_soon_limit(tuesday, self.cal), local(2026, 3, 19, 0, 0))

    def test_it_rejects_an_unknown_unit(self) -> None:
        with self.assertRaises(ValueError):
            due_time(start=local(2026, 3, 13, 10, 0), amount=1, unit="weeks", calendar=self.cal)


class HolidayModelTestCase(TestCase):  # the holiday table only: no personas
    def test_it_adds_and_overrides_days_from_the_database(self) -> None:
        from clms.cases.calendar import current_calendar

        Holiday.objects.create(date=dt.date(2026, 3, 16), name="Nghỉ bù")
        Holiday.objects.create(date=dt.date(2026, 9, 1), name="Đi làm", is_day_off=False)
        cal = current_calendar()
        self.assertFalse(cal.is_working_day(dt.date(2026, 3, 16)))
        self.assertTrue(cal.is_working_day(dt.date(2026, 9, 1)))
        due = due_time(start=local(2026, 3, 13, 15, 0), amount=2, unit="working_days", calendar=cal)
        self.assertEqual(due, local(2026, 3, 19, 0, 0))
