from django.urls import reverse

from clms.accounts.models import AuditEvent
from clms.core.locking import StaleEdit
from clms.employers.models import CraftVillage, Employer
from tests.employers.helpers import EmployerTestCase


class EmployerPagesTestCase(EmployerTestCase):
    def form(self, **extra: object) -> dict[str, object]:
        data: dict[str, object] = {
            "name": "Công ty TNHH May Tân Ninh", "kind": "enterprise", "size": "small", "sector": "garment",
            "commune": self.commune_a.pk, "tax_code": "2801234564", "active": "on",
        }
        data.update(extra)
        return data

    def test_it_registers_an_employer_in_a_craft_village(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(reverse("employers:create"), self.form(craft_village=self.craft_village.pk, kind="household", size=""))
        employer = Employer.objects.get(name="Công ty TNHH May Tân Ninh")
        self.assertRedirects(response, reverse("employers:detail", args=[employer.pk]))
        self.assertEqual((employer.craft_village, employer.name_folded, employer.created_by), (self.craft_village, "cong ty tnhh may tan ninh", self.officer_a))
        self.assertTrue(AuditEvent.objects.filter(action="create", object_type="employers.employer", object_id=str(employer.pk)).exists())

    def test_it_names_the_wrong_field_in_vietnamese_and_saves_nothing(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.post(reverse("employers:create"), self.form(tax_code="12345", size=""))
        self.assertContains(response, "Mã số thuế gồm 10 chữ số")
        self.assertContains(response, "Hãy chọn quy mô của doanh nghiệp.")
        self.assertFalse(Employer.objects.filter(name="Công ty TNHH May Tân Ninh").exists())

    def test_it_refuses_a_craft_village_of_another_commune(self) -> None:
        other = CraftVillage.objects.create(commune=self.commune_b, name="Làng nghề B", trade="Mây tre")
        self.client.force_login(self.supervisor)
        response = self.client.post(reverse("employers:create"), self.form(craft_village=other.pk))
        self.assertContains(response, "Làng nghề này thuộc xã khác.")

    def test_it_refuses_a_stale_edit_and_keeps_the_newer_one(self) -> None:
        self.client.force_login(self.officer_a)
        url = reverse("employers:edit", args=[self.employer.pk])
        data = self.form(name="Cơ sở sơn mài Đức Hạnh (mới)", kind="household", size="", sector="handicraft", tax_code="", version=1)
        self.assertEqual(self.client.post(url, data).status_code, 302)
        response = self.client.post(url, {**data, "name": "Bản cũ"})
        self.assertContains(response, str(StaleEdit.message))
        self.employer.refresh_from_db()
        self.assertEqual((self.employer.name, self.employer.version), ("Cơ sở sơn mài Đức Hạnh (mới)", 2))

    def test_it_edits_a_craft_village_with_its_version(self) -> None:
        self.client.force_login(self.officer_a)
        url = reverse("employers:craft_village_edit", args=[self.craft_village.pk])
        data = {"name": "Làng sơn mài Hạ Thái", "trade": "Sơn mài", "commune": self.commune_a.pk, "household_count": 52, "version": 1}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.craft_village.refresh_from_db()
        self.assertEqual((self.craft_village.household_count, self.craft_village.version), (52, 2))
        self.assertContains(self.client.post(url, data), str(StaleEdit.message))

    def test_it_offers_the_job_picker_without_diacritics(self) -> None:
        self.client.force_login(self.officer_a)
        response = self.client.get(reverse("employers:catalogue_options"), {"kind": "job", "job_code": "son mai"})
        self.assertContains(response, 'value="TT09.II.04 — ')
        response = self.client.get(reverse("employers:catalogue_options"), {"kind": "workplace", "workplace_code": "karaoke"})
        self.assertContains(response, 'value="LC147.2.d — ')
