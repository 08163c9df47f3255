from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from clms.accounts.passwords import VietnameseCommonPasswordValidator, common_stems, is_common


class VietnamesePasswordsTestCase(SimpleTestCase):
    def test_it_refuses_common_words_padded_with_digits(self) -> None:
        for password in ("matkhau123456", "MatKhau@2024", "Mật khẩu 123", "anhyeuem1", "123vietnam",
                         "yeuemyeuem", "ThanhHoa1234", "iloveyou2025!", "nguyen1990"):
            with self.subTest(password=password):
                self.assertTrue(is_common(password))
                with self.assertRaises(ValidationError):
                    VietnameseCommonPasswordValidator().validate(password)

    def test_it_accepts_a_passphrase(self) -> None:
        for password in ("Ng4y-mua-xuan-tren-doi", "correct-horse-battery", "bo cau trang bay ve 7"):
            with self.subTest(password=password):
                self.assertFalse(is_common(password))

    def test_it_reads_the_list_from_the_data_file(self) -> None:
        stems = common_stems()
        self.assertIn("matkhau", stems)
        self.assertGreater(len(stems), 150)
        self.assertTrue(all(s == s.strip().lower() and " " not in s for s in stems))
