"""Issue 19: numbers on pages in Vietnamese format ("48.265", "38,5"), not "48265".

The demo's records (without the generated children) are made larger where a page shows a
count or a figure, then the main pages are read as a province supervisor; a run of four or more
digits with no separator in the visible text fails the test.  Years, dates, codes, ids and phone
numbers are not quantities and are left out (each in its own markup or form).
"""

from __future__ import annotations

import re

import lxml.html
from django.test import SimpleTestCase, TestCase

from clms.accounts.models import User
from clms.employers.models import CraftVillage
from clms.outreach.models import OutreachActivity, Reach
from clms.people.models import Child
from clms.places.models import AdminUnit, Denominator, Level
from tests.core.test_form_fuzz import build_world

PAGES = [
    "/", "/register/", "/register/worklist/", "/cases/", "/cases/due/", "/cases/referrals/",
    "/employers/", "/employers/overview/", "/employers/inspections/", "/employers/craft-villages/",
    "/employers/violations/", "/outreach/", "/plans/", "/plans/agencies/", "/reports/", "/surveys/",
    "/indicators/", "/places/", "/places/denominators/",
]
# Four digits or more with no separator, not part of a word, a date, a time or a decimal.
BARE = re.compile(r"(?<![\w.,/:\-–])\d{4,}(?![\w/:\-])")
YEAR = re.compile(r"^(19|20)\d\d$")
# Markup whose digits are not quantities: codes, ids, phone numbers, dates, the page's scripts.
NOT_QUANTITY = "//script|//style|//code|//kbd|//*[contains(@class,'code')]|//a[starts-with(@href,'tel:')]|//time|//details[contains(@class,'technical')]"


def bare_numbers(html: bytes) -> list[str]:
    doc = lxml.html.fromstring(html)
    for el in doc.xpath(NOT_QUANTITY):
        el.drop_tree()
    body = doc.find("body")
    text = " ".join((body if body is not None else doc).itertext())
    return [m.group(0) for m in BARE.finditer(text) if not YEAR.match(m.group(0))]


class BareNumberDetectorTestCase(SimpleTestCase):  # pure: no database
    def test_it_finds_bare_counts_and_ignores_years_dates_codes_and_grouped_numbers(self) -> None:
        html = (b"<html><body><p>48265 / 78643 tr\xe1\xba\xbb</p><p>48.265 38,5 2026 01/06/2025 10:30</p>"
                b"<code>LC2019</code><a href='tel:0912345678'>0912345678</a><p>VN-LC2019</p></body></html>")
        self.assertEqual(bare_numbers(html), ["48265", "78643"])


class NumberFormatTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        build_world()
        # Figures a province shows in the thousands.
        Reach.objects.update(count=12345)
        CraftVillage.objects.update(household_count=2345)
        commune = AdminUnit.objects.get(level=Level.PROVINCE, code="38").pk
        Denominator.objects.update_or_create(unit_id=commune, year=2025, group="children_5_17", defaults={"value": 48265})
        first = Child.objects.order_by("pk").first()
        assert first is not None
        copies = []
        for i in range(1000):
            twin = Child.objects.get(pk=first.pk)
            twin.pk = None
            twin.full_name = f"Trẻ thử {i}"
            copies.append(twin)
        Child.objects.bulk_create(copies)

    def test_main_pages_show_no_bare_four_digit_number_to_a_supervisor(self) -> None:
        self.client.force_login(User.objects.get(username="soyte.thanhhoa"))
        pages = list(PAGES)
        activity = OutreachActivity.objects.filter(reach__isnull=False).first()
        if activity is not None:
            pages.append(f"/outreach/{activity.pk}/")
        cv = CraftVillage.objects.first()
        if cv is not None:
            pages.append(f"/employers/craft-villages/{cv.pk}/")
        found: dict[str, list[str]] = {}
        for page in pages:
            response = self.client.get(page)
            self.assertEqual(response.status_code, 200, page)
            bare = bare_numbers(response.content)
            if bare:
                found[page] = bare[:5]
        self.assertEqual(found, {})
        # The figures made large above are shown, grouped.
        self.assertContains(self.client.get("/places/denominators/"), "48.265")
        self.assertContains(self.client.get("/register/"), "1.0")
        self.assertContains(self.client.get("/employers/craft-villages/"), "2.345")
