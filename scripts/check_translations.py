"""Fail when `makemessages` would leave a Vietnamese string untranslated, or a .mo is stale.

Runs makemessages for each app on a copy of its catalogue, so the working tree is untouched.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(p.parent for p in (ROOT / "clms").glob("*/apps.py"))


def run(*args: str, cwd: Path) -> str:
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True).stdout


def main() -> int:
    failures: list[str] = []
    env_python = sys.executable
    os.environ.setdefault("CLMS_TESTING", "1")
    for app in APPS:
        po = app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        if not any(app.rglob("*.py")):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / app.name
            shutil.copytree(app, work, ignore=shutil.ignore_patterns("__pycache__"))
            run(env_python, str(ROOT / "manage.py"), "makemessages", "-l", "vi", "--no-obsolete", "-v0", cwd=work)
            fresh = work / "locale" / "vi" / "LC_MESSAGES" / "django.po"
            if not fresh.exists():
                continue
            if not po.exists():
                failures.append(f"{app.name}: no Vietnamese catalogue (run `make messages`)")
                continue
            untranslated = run("msgattrib", "--untranslated", "--no-obsolete", str(fresh), cwd=work)
            fuzzy = run("msgattrib", "--only-fuzzy", "--no-obsolete", str(fresh), cwd=work)
            for label, text in (("untranslated", untranslated), ("fuzzy", fuzzy)):
                ids = [line for line in text.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
                failures.extend(f"{app.name}: {label} {line[6:]}" for line in ids)
            compiled = Path(tmp) / "check.mo"
            run("msgfmt", "--check-format", "-o", str(compiled), str(po), cwd=work)
            if not filecmp.cmp(compiled, po.with_suffix(".mo"), shallow=False):
                failures.append(f"{app.name}: django.mo is stale (run `make messages`)")
    for failure in failures:
        print(failure)
    print(f"translation check: {len(APPS)} apps, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
