"""The translation check (scripts/check_translations.py) itself: pure, no database."""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path
from types import ModuleType

import polib  # type: ignore[import-untyped]  # ships no type hints
from django.test import SimpleTestCase

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_translations.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _script()


def _catalogue(path: Path, entries: list[tuple[str | None, str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": path.parent.parent.name}
    for context, msgid, msgstr in entries:
        po.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr))
    po.save(str(path))
    return path


class CheckTranslationsTests(SimpleTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.package = self.tmp / "clms"
        self.locale = self.package / "locale"

    def test_it_accepts_one_catalogue_with_contexts(self) -> None:
        po = _catalogue(self.locale / "vi" / "LC_MESSAGES" / "django.po", [
            ("document number", "Number", "Số"),
            ("row number", "Number", "Số thứ tự"),
            (None, "description", "mô tả"),
            ("budget line", "description", "nội dung chi"),
        ])
        self.assertEqual(check.conflicts([po]), [])
        self.assertEqual(check.stray_catalogues(self.package, self.locale), [])

    def test_it_fails_on_a_msgid_entered_twice_in_one_catalogue(self) -> None:
        path = _catalogue(self.locale / "vi" / "LC_MESSAGES" / "django.po",
                          [(None, "Number", "Số"), (None, "Number", "Số thứ tự")])
        problems = check.conflicts([path])
        self.assertEqual(len(problems), 1)
        self.assertIn("'Number' is entered 2 times", problems[0])
        self.assertIn("'Số thứ tự'", problems[0])

    def test_it_fails_when_an_app_catalogue_reappears(self) -> None:
        main = _catalogue(self.locale / "vi" / "LC_MESSAGES" / "django.po", [(None, "description", "nội dung chi")])
        app = _catalogue(self.package / "plans" / "locale" / "vi" / "LC_MESSAGES" / "django.po",
                         [(None, "description", "mô tả")])
        stray = check.stray_catalogues(self.package, self.locale)
        self.assertEqual(len(stray), 1)
        self.assertIn("clms/plans/locale/vi/LC_MESSAGES/django.po: a second catalogue", stray[0])
        problems = check.conflicts([main, app])
        self.assertEqual(len(problems), 1)
        self.assertIn("[vi] 'description' is entered 2 times", problems[0])

    def test_it_tells_languages_and_contexts_apart(self) -> None:
        vi = _catalogue(self.locale / "vi" / "LC_MESSAGES" / "django.po", [(None, "Source", "Nguồn")])
        en = _catalogue(self.locale / "en" / "LC_MESSAGES" / "django.po", [(None, "Source", "")])
        same_context = _catalogue(self.tmp / "other" / "vi" / "LC_MESSAGES" / "django.po",
                                  [("of a report", "Source", "Nguồn tin")])
        self.assertEqual(check.conflicts([vi, en, same_context]), [])

    def test_the_project_has_one_catalogue_without_conflicts(self) -> None:
        package = SCRIPT.parents[1] / "clms"
        self.assertEqual(check.stray_catalogues(package, check.LOCALE_DIR), [])
        self.assertEqual(check.conflicts(sorted(package.rglob("*.po"))), [])
