"""Fail when a msgid would be shown in two ways, when `makemessages` would leave a Vietnamese
string untranslated or fuzzy, or when a .mo is stale.

The project has one catalogue (settings.LOCALE_PATHS: clms/locale).  Django merges every
catalogue it finds (LOCALE_PATHS and each app's locale/ directory) and keeps one translation per
msgid, so a second catalogue, or a msgid entered twice, silently hides a translation.  A short
label that means different things takes a pgettext context, and then is a different key.

makemessages runs on a copy of the project, so the working tree is untouched.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import polib  # type: ignore[import-untyped]  # ships no type hints

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "clms" / "locale"
LANGUAGES = ("vi", "en")
# What `make messages` leaves out of the extraction (keep in step with the Makefile).
IGNORE = (".venv", "var", "tests", "node_modules", "bench", "scripts", "docs", "build", "test-artifacts")


def run(*args: str, cwd: Path) -> str:
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True).stdout


def stray_catalogues(package: Path, locale_dir: Path) -> list[str]:
    """Catalogues under ``package`` outside the project catalogue (an app's locale/ directory)."""
    return [
        f"{po.relative_to(package.parent)}: a second catalogue; merge it into "
        f"{locale_dir.relative_to(package.parent)} and delete it"
        for po in sorted(package.rglob("*.po"))
        if locale_dir not in po.parents
    ]


def _language(po: Path) -> str:
    # .../<lang>/LC_MESSAGES/<domain>.po
    return po.parent.parent.name


def _shown(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return " | ".join(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
    return entry.msgstr


def conflicts(catalogues: Iterable[Path]) -> list[str]:
    """Each (language, domain, context, msgid) entered more than once — in one catalogue or in
    several — with the translations it would have; Django would show only one of them."""
    seen: dict[tuple[str, str, str | None, str], list[tuple[str, str]]] = defaultdict(list)
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgid:
                continue
            key = (_language(path), path.stem, entry.msgctxt, entry.msgid)
            seen[key].append((str(path), _shown(entry)))
    problems = []
    for (lang, _domain, context, msgid), where in sorted(seen.items(), key=lambda kv: str(kv[0])):
        if len(where) < 2:
            continue
        label = f"[{lang}] {msgid!r}" + (f" (context {context!r})" if context else "")
        found = "; ".join(f"{text!r} in {path}" for path, text in where)
        problems.append(f"{label} is entered {len(where)} times: {found}")
    return problems


def _project_copy(tmp: Path) -> Path:
    work = tmp / "project"
    work.mkdir()
    shutil.copy2(ROOT / "manage.py", work / "manage.py")
    shutil.copytree(ROOT / "clms", work / "clms", ignore=shutil.ignore_patterns("__pycache__"))
    return work


def untranslated(tmp: Path) -> list[str]:
    """What `make messages` would leave untranslated or fuzzy in the Vietnamese catalogue."""
    work = _project_copy(tmp)
    ignore = [f"--ignore={name}" for name in IGNORE]
    # The copy's manage.py imports the copy's settings, so LOCALE_PATHS points into the copy.
    run(sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete", *ignore, "-v0", cwd=work)
    fresh = work / "clms" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    failures: list[str] = []
    for label, option in (("untranslated", "--untranslated"), ("fuzzy", "--only-fuzzy")):
        text = run("msgattrib", option, "--no-obsolete", str(fresh), cwd=work)
        ids = [line for line in text.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
        failures.extend(f"{label} {line[6:]}" for line in ids)
    return failures


def stale(tmp: Path, locale_dir: Path) -> list[str]:
    failures: list[str] = []
    for lang in LANGUAGES:
        po = locale_dir / lang / "LC_MESSAGES" / "django.po"
        if not po.exists():
            failures.append(f"{po.relative_to(ROOT)}: missing (run `make messages`)")
            continue
        compiled = tmp / f"{lang}.mo"
        run("msgfmt", "--check-format", "-o", str(compiled), str(po), cwd=tmp)
        mo = po.with_suffix(".mo")
        if not mo.exists() or not filecmp.cmp(compiled, mo, shallow=False):
            failures.append(f"{mo.relative_to(ROOT)} is stale (run `make messages`)")
    return failures


def main() -> int:
    os.environ.setdefault("CLMS_TESTING", "1")
    package = ROOT / "clms"
    failures = stray_catalogues(package, LOCALE_DIR)
    failures += conflicts(sorted(package.rglob("*.po")))
    with tempfile.TemporaryDirectory() as tmp:
        failures += stale(Path(tmp), LOCALE_DIR)
        failures += untranslated(Path(tmp))
    for failure in failures:
        print(failure)
    print(f"translation check: one catalogue ({LOCALE_DIR.relative_to(ROOT)}), {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
