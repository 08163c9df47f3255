"""The report's files as LibreOffice opens them: no wrapped header line, the annex present and
landscape, "DỰ THẢO" on every page of a draft only, the XLSX annex one page per sheet.

Two LibreOffice runs in all (every DOCX at once, every XLSX at once), bounded in time.  Skipped
only where LibreOffice is not installed; ``make test`` installs it (Makefile TEST_DEBS).  Page-1
PNGs land in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from django.urls import reverse
from openpyxl import load_workbook

from clms.reports import services
from clms.reports.models import Submission
from tests.browser import ARTIFACTS
from tests.reports.files import period_file
from tests.reports.test_sections import YEAR, SectionsData

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
A4_LANDSCAPE = "landscape"


def convert(paths: list[Path], outdir: Path) -> None:
    """One LibreOffice run for all ``paths``, with its own profile so parallel tests never share one."""
    assert SOFFICE is not None  # noqa: S101 - the test class is skipped otherwise
    profile = outdir / "profile"
    subprocess.run(  # noqa: S603 - fixed program, paths we wrote
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
        check=True, capture_output=True, timeout=240,
    )


def layout_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True).stdout  # noqa: S607
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def page_sizes(pdf: Path) -> list[str]:
    """"landscape" or "portrait" per page, from pdfinfo's sizes in points."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, check=True, text=True).stdout  # noqa: S607
    sizes = [line.split(":", 1)[1].split("pts")[0].split(" x ") for line in out.splitlines() if line.startswith("Page") and "size" in line]
    return ["landscape" if float(w) > float(h) else "portrait" for w, h in sizes]


def page_one_png(pdf: Path, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-r", "70", "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf), str(target)], check=True)  # noqa: S607
    return target.with_suffix(".png")


@unittest.skipIf(SOFFICE is None, "LibreOffice is not installed (make system-deps installs it)")
class LibreOfficeTestCase(SectionsData):
    tmp: Path

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.tmp = Path(tempfile.mkdtemp(prefix="clms-lo-"))

    @classmethod
    def tearDownClass(cls) -> None:
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    def _download(self, user: object, url: str) -> bytes:
        self.client.force_login(user)  # type: ignore[arg-type]
        response = self.client.get(url)
        if response.status_code == 302 and "/periods/" in url:
            # The receiving level's files are made in the background: click, run the worker.
            fmt = url.rsplit(".", 1)[1]
            response = period_file(self.client, int(url.split("/periods/")[1].split("/")[0]), fmt)
        self.assertEqual(response.status_code, 200)
        return response.content

    def test_it_opens_in_libreoffice_as_it_prints(self) -> None:
        services.submission_accept(user=self.supervisor, submission=self.submission, version=self.submission.version)
        draft = services.submission_start(user=self.officer_b, unit=self.commune_b, year=YEAR)
        accepted = Submission.objects.get(pk=self.submission.pk)
        files = {
            "commune": self._download(self.officer_a, reverse("reports:submission_document", args=[accepted.pk, "docx"])),
            "draft": self._download(self.officer_b, reverse("reports:submission_document", args=[draft.pk, "docx"])),
            "province": self._download(self.supervisor, reverse("reports:period_document", args=[accepted.period_id, "docx"])),
        }
        sheets = {
            "commune-annex": self._download(self.officer_a, reverse("reports:submission_document", args=[accepted.pk, "xlsx"])),
            "province-annex": self._download(self.supervisor, reverse("reports:period_document", args=[accepted.period_id, "xlsx"])),
        }
        pdfs = {
            "commune-pdf": self._download(self.officer_a, reverse("reports:submission_document", args=[accepted.pk, "pdf"])),
            "province-pdf": self._download(self.supervisor, reverse("reports:period_document", args=[accepted.period_id, "pdf"])),
        }
        for name, body in {**files, **sheets, **pdfs}.items():
            suffix = "pdf" if name.endswith("-pdf") else "xlsx" if name.endswith("annex") else "docx"
            (self.tmp / f"{name}.{suffix}").write_bytes(body)
        convert([self.tmp / f"{n}.docx" for n in files], self.tmp)
        convert([self.tmp / f"{n}.xlsx" for n in sheets], self.tmp)

        for name in files:
            pages = layout_pages(self.tmp / f"{name}.pdf")
            first = pages[0].splitlines()
            # Each header line stands on one line (it wrapped when the table grid disagreed with the cells).
            self.assertTrue(any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in first), name)
            self.assertTrue(any("Độc lập - Tự do - Hạnh phúc" in line for line in first), name)
            self.assertTrue(any("ngày " in line and f"năm {YEAR}" in line and "tháng" in line for line in first), name)
            # The annex tables are in the document, on landscape pages after the portrait body.
            annex = next(n for n, page in enumerate(pages) if any(line.strip() == "Phụ lục I" for line in page.splitlines()))
            annex_text = "\n".join(pages[annex:])
            for label in ("Tử số", "Mẫu số", "Cuộc thanh tra, kiểm tra", "Kinh phí dự toán (đồng)"):
                self.assertIn(label, annex_text, name)
            sizes = page_sizes(self.tmp / f"{name}.pdf")
            self.assertEqual(sizes[annex:], [A4_LANDSCAPE] * (len(sizes) - annex), name)
            self.assertNotIn(A4_LANDSCAPE, sizes[:annex], name)
            # "DỰ THẢO" on every page of the draft, on none of the accepted reports.
            marked = [("DỰ THẢO" in page) for page in pages]
            self.assertEqual(marked, [name == "draft"] * len(pages), name)
            # The signature block stays with "Nơi nhận" on one page.
            self.assertTrue(any("Nơi nhận:" in p and "PHÓ CHỦ TỊCH" in p for p in pages), name)
        self.assertTrue(any("ỦY BAN NHÂN DÂN" in line for line in layout_pages(self.tmp / "province.pdf")[0].splitlines()))
        self.assertTrue(any(line.strip().startswith("TỈNH THANH HÓA") for line in layout_pages(self.tmp / "province.pdf")[0].splitlines()))

        # The XLSX annex: each sheet on one page at most (landscape, one page wide).
        for name, body in sheets.items():
            count = len(load_workbook(io.BytesIO(body)).worksheets)
            pages = layout_pages(self.tmp / f"{name}.pdf")
            self.assertEqual(len(pages), count, name)
            self.assertTrue(all(size == A4_LANDSCAPE for size in page_sizes(self.tmp / f"{name}.pdf")), name)
            # The title is not cut: it stands whole on the first page.
            self.assertIn("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU PHÒNG NGỪA, GIẢM THIỂU TRẺ EM LAO ĐỘNG", pages[0], name)

        for name in ("commune", "province", "draft"):
            self.assertTrue(page_one_png(self.tmp / f"{name}.pdf", f"report-{name}-docx-libreoffice").exists())
        for name in sheets:
            self.assertTrue(page_one_png(self.tmp / f"{name}.pdf", f"report-{name}-xlsx-libreoffice").exists())
        for name in pdfs:
            self.assertTrue(page_one_png(self.tmp / f"{name}.pdf", f"report-{name}").exists())
