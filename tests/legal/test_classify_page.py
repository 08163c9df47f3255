from django.test import TestCase
from django.urls import reverse

URL = reverse("legal:classify")


class ClassifyPageTestCase(TestCase):
    def post(self, **data: str) -> str:
        base = {"as_of": "02/11/2026", "activity": "EMPLOYED", "strict_under15": "on", "family_outside": "on"}
        base.update(data)
        response = self.client.post(URL, base)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_shows_the_form_in_vietnamese_without_login(self) -> None:
        response = self.client.get(URL)
        self.assertContains(response, "Công việc này có phải lao động trẻ em không?")
        self.assertContains(response, "Ngày sinh")

    def test_it_explains_a_14_year_old_lacquer_painter_working_5_hours(self) -> None:
        html = self.post(age="14", job_code="TT09.II.04", hours_day_max="5", hours_week="30")
        self.assertIn("Lao động trẻ em", html)
        self.assertIn("Điều 146 khoản 1", html)
        self.assertIn("V7", html)
        self.assertIn("20.000.000", html)  # fine range of Decree 283/2026 Art. 27(2)(c)
        self.assertIn("MICS6", html)

    def test_it_shows_why_law_and_statistics_differ(self) -> None:
        # Spec §3.5: a 16-year-old working 42 h/week is child labour by law, not by statistics.
        html = self.post(age="16", job_code="TT09.V.OT.18", hours_day_max="7", hours_week="42", parent_consent="yes", separate_register="yes")
        self.assertIn("Lý do khác nhau", html)

    def test_it_lists_unknown_inputs(self) -> None:
        html = self.post(age="14", job_code="TT09.II.04", hours_day_max="3", hours_week="15")
        self.assertIn("Các thông tin chưa rõ có thể làm thay đổi kết quả", html)
        self.assertIn("giấy khám sức khỏe", html)

    def test_it_names_the_bad_field(self) -> None:
        html = self.post(job_code="XYZ", age="")
        self.assertIn("Mã công việc không hợp lệ", html)
        self.assertIn("Hãy nhập ngày sinh hoặc tuổi", html)

    def test_it_returns_only_the_result_to_htmx(self) -> None:
        response = self.client.post(URL, {"as_of": "02/11/2026", "activity": "NONE", "age": "10"}, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "<html")
        self.assertContains(response, "Không phải lao động trẻ em")

    def test_it_finds_jobs_without_diacritics(self) -> None:
        response = self.client.get(reverse("legal:catalogue_options"), {"kind": "job", "q": "non la"})
        self.assertContains(response, "TT09.II.04")
        response = self.client.get(reverse("legal:catalogues"), {"q": "han kim loai"})
        self.assertContains(response, "LC147.1.e")
