import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.employers.models import Commitment
from tests.employers.helpers import EmployerTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


class CommitmentUploadTestCase(EmployerTestCase):
    def setUp(self) -> None:
        self.media = tempfile.mkdtemp()
        override = override_settings(PRIVATE_MEDIA_ROOT=Path(self.media))
        override.enable()
        self.addCleanup(override.disable)
        self.addCleanup(shutil.rmtree, self.media, True)
        self.url = reverse("employers:commitment_create", args=[self.employer.pk])

    def post(self, content: bytes, name: str = "cam-ket.pdf", content_type: str = "application/pdf") -> Any:
        self.client.force_login(self.officer_a)
        response = self.client.post(
            self.url,
            {
                "signed_on": "15/01/2026",
                "signer_name": "Nguyễn Văn Hạnh",
                "expires_on": "31/12/2027",
                "document": SimpleUploadedFile(name, content, content_type=content_type),
            },
        )
        return response

    def test_it_stores_a_pdf_outside_the_web_root(self) -> None:
        response = self.post(PDF)
        self.assertRedirects(response, reverse("employers:detail", args=[self.employer.pk]))
        c = Commitment.objects.get()
        self.assertEqual((c.signed_on, c.expires_on, c.document_type), (dt.date(2026, 1, 15), dt.date(2027, 12, 31), "application/pdf"))
        stored = Path(c.document.path)
        self.assertTrue(stored.is_file())
        self.assertTrue(str(stored).startswith(self.media))
        self.assertNotIn("cam-ket", stored.name)  # the uploader's name is not reused on disk

    def test_it_accepts_jpeg_and_png_by_their_bytes(self) -> None:
        self.post(JPEG, "scan.jpg", "image/jpeg")
        self.post(PNG, "scan.png", "image/png")
        self.assertEqual(sorted(Commitment.objects.values_list("document_type", flat=True)), ["image/jpeg", "image/png"])

    def test_it_refuses_a_file_whose_content_is_not_what_it_claims(self) -> None:
        response = self.post(b"<html><script>alert(1)</script></html>", "cam-ket.pdf", "application/pdf")
        self.assertContains(response, "PDF, JPEG hoặc PNG")
        self.assertFalse(Commitment.objects.exists())
        self.assertEqual(list(Path(self.media).rglob("*.*")), [])

    def test_it_refuses_a_file_over_5_mb(self) -> None:
        response = self.post(PDF + b"0" * (5 * 1024 * 1024))
        self.assertContains(response, "5 MB")
        self.assertFalse(Commitment.objects.exists())

    def test_it_refuses_an_expiry_before_signing(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(self.url, {"signed_on": "15/01/2026", "signer_name": "A", "expires_on": "01/01/2026"})
        self.assertContains(response, "trước khi ký")
        self.assertFalse(Commitment.objects.exists())

    def test_it_serves_the_file_only_to_allowed_users_and_audits_it(self) -> None:
        self.post(PDF)
        c = Commitment.objects.get()
        url = reverse("employers:commitment_file", args=[c.pk])
        for user in (self.officer_a, self.supervisor, self.agency):
            self.client.force_login(user)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, user)
            self.assertEqual(b"".join(response.streaming_content), PDF)  # type: ignore[attr-defined]
            self.assertEqual(response["Content-Type"], "application/pdf")
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")
            self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(AuditEvent.objects.filter(action="export", object_type="employers.commitment", object_id=str(c.pk)).count(), 3)
        self.client.force_login(self.officer_b)
        self.assertEqual(self.client.get(url).status_code, 404)
        for user in (self.viewer, self.collaborator):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)
        self.assertEqual(AuditEvent.objects.filter(action="export").count(), 3)
