from django.core.exceptions import ValidationError

from clms.employers import services, taxcode
from tests.employers.helpers import EmployerTestCase


class TaxCodeAlgorithmTestCase(EmployerTestCase):
    def test_it_accepts_published_valid_codes(self) -> None:
        # The examples of python-stdnum's stdnum/vn/mst.py doctests.
        for code in ("0100233488", "0314409058-002", "0100112437", "0312687878-001"):
            self.assertIsNone(taxcode.problem(taxcode.normalise(code)), code)

    def test_it_accepts_codes_constructed_with_the_weights(self) -> None:
        # 2,8,0,1,2,3,4,5,6 weighted by 31, 29, … 3; the check digit is 10 - (sum mod 11).
        total = sum(w * int(d) for w, d in zip(taxcode.WEIGHTS, "280123456", strict=True))
        self.assertEqual(total, 62 + 232 + 0 + 19 + 34 + 39 + 28 + 25 + 18)
        self.assertEqual(taxcode.check_digit("280123456"), 10 - total % 11)
        self.assertIsNone(taxcode.problem("2801234564"))
        self.assertIsNone(taxcode.problem("2801234564-001"))
        self.assertEqual(taxcode.problem("2801234565"), "check_digit")

    def test_it_refuses_nine_digits_whose_check_digit_would_be_ten(self) -> None:
        # 31*2 + 29*8 + 3*1 = 297 = 27 * 11: no digit can check this prefix.
        self.assertIsNone(taxcode.check_digit("280000001"))
        for last in "0123456789":
            self.assertEqual(taxcode.problem(f"280000001{last}"), "check_digit")

    def test_it_refuses_malformed_codes(self) -> None:
        for code in ("280123456", "28012345640", "2801234564-01", "2801234564-000", "28O1234564", "2800000000"):
            self.assertEqual(taxcode.problem(taxcode.normalise(code)), "format", code)

    def test_it_normalises_spaces_dots_and_bare_branches(self) -> None:
        self.assertEqual(taxcode.normalise(" 28.01.234.564 "), "2801234564")
        self.assertEqual(taxcode.normalise("2801234564001"), "2801234564-001")


class TaxCodeServiceTestCase(EmployerTestCase):
    def test_it_names_the_field_in_vietnamese(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            services.employer_create(
                user=self.officer_a, kind="household", name="Cơ sở A", sector="handicraft",
                commune=self.commune_a, tax_code="2801234565",
            )
        self.assertIn("tax_code", ctx.exception.message_dict)
        self.assertIn("chữ số cuối", " ".join(ctx.exception.message_dict["tax_code"]))

    def test_it_refuses_a_second_employer_with_the_same_code(self) -> None:
        services.employer_create(
            user=self.officer_a, kind="household", name="Cơ sở A", sector="handicraft",
            commune=self.commune_a, tax_code="2801234564",
        )
        with self.assertRaises(ValidationError) as ctx:
            services.employer_create(
                user=self.officer_a, kind="household", name="Cơ sở B", sector="handicraft",
                commune=self.commune_a, tax_code="28 0123 4564",
            )
        self.assertIn("tax_code", ctx.exception.message_dict)


class PersonalTaxCodeTestCase(EmployerTestCase):
    """Since 1 July 2025 individuals and household businesses use their 12-digit personal
    identification number as tax code."""

    def test_it_accepts_a_personal_number_of_a_province(self) -> None:
        # 038 = Thanh Hóa, 001 = Hà Nội, 096 = Cà Mau; 2 = born 2000-2099, male.
        for code in ("038206001234", "001095000001", "096300123456", "038 206 001 234"):
            self.assertIsNone(taxcode.problem(taxcode.normalise(code)), code)
        self.assertEqual(taxcode.normalise("038 206 001 234"), "038206001234")

    def test_it_refuses_a_personal_number_without_a_province_code(self) -> None:
        # 003, 005, 097 and 000 are no province's code.
        for code in ("003206001234", "005206001234", "097206001234", "000206001234"):
            self.assertEqual(taxcode.problem(code), "personal_province", code)
        # 11 digits is neither form.
        self.assertEqual(taxcode.problem("03820600123"), "format")

    def test_the_service_stores_it_and_names_the_field_when_wrong(self) -> None:
        employer = services.employer_create(
            user=self.officer_a, kind="household", name="Hộ kinh doanh Lê Văn Tám", sector="handicraft",
            commune=self.commune_a, tax_code="038.206.001.234",
        )
        employer.refresh_from_db()
        self.assertEqual(employer.tax_code, "038206001234")
        with self.assertRaises(ValidationError) as ctx:
            services.employer_create(
                user=self.officer_a, kind="household", name="Hộ B", sector="handicraft",
                commune=self.commune_a, tax_code="099206001234",
            )
        self.assertIn("mã tỉnh", " ".join(ctx.exception.message_dict["tax_code"]))
        # The 10-digit enterprise codes keep their check digit.
        self.assertEqual(taxcode.problem("2801234565"), "check_digit")
