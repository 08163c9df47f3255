"""Choice lists from data files (clms.core.catalogues): agencies and target groups. Pure."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from django.test import SimpleTestCase
from django.utils import translation

from clms.accounts.models import Agency
from clms.outreach.models import ReachGroup

CLMS = Path(__file__).resolve().parents[2] / "clms"


def _declared(models_py: Path, class_name: str) -> dict[str, str]:
    """The constants declared for the type checker in ``if TYPE_CHECKING: class X: NAME = "code"``."""
    tree = ast.parse(models_py.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return {
                target.id: str(stmt.value.value)
                for stmt in node.body
                if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)
                for target in stmt.targets
                if isinstance(target, ast.Name)
            }
    raise AssertionError(f"{class_name} not declared in {models_py}")


class CataloguesTests(SimpleTestCase):
    cases = (
        (Agency, CLMS / "accounts" / "models.py", CLMS / "accounts" / "data" / "agencies.json", "agencies"),
        (ReachGroup, CLMS / "outreach" / "models.py", CLMS / "outreach" / "data" / "target_groups.json", "target_groups"),
    )

    def test_it_takes_the_list_and_order_from_the_data_file(self) -> None:
        for choices, _models_py, data, key in self.cases:
            rows = json.loads(data.read_text(encoding="utf-8"))[key]
            self.assertEqual(list(choices.values), [r["code"] for r in rows])
            self.assertEqual(list(choices.names), [r["name"] for r in rows])

    def test_it_labels_in_the_active_language(self) -> None:
        with translation.override("vi"):
            self.assertEqual(Agency.EDUCATION.label, "Giáo dục và Đào tạo")
            self.assertEqual(ReachGroup.PARENTS.label, "Cha mẹ, người chăm sóc trẻ em")
            self.assertEqual(dict(ReachGroup.choices)["craft_households"], "Hộ gia đình làng nghề")
        with translation.override("en"):
            self.assertEqual(Agency.EDUCATION.label, "Education and training")
            self.assertEqual(ReachGroup.PARENTS.label, "Parents and caregivers")

    def test_the_constants_the_type_checker_sees_match_the_data(self) -> None:
        for choices, models_py, _data, _key in self.cases:
            declared = _declared(models_py, choices.__name__)
            self.assertTrue(declared)
            for name, code in declared.items():
                self.assertEqual(choices[name].value, code, f"{choices.__name__}.{name}")

    def test_every_entry_has_both_labels_and_a_unique_code(self) -> None:
        for _choices, _models_py, data, key in self.cases:
            rows = json.loads(data.read_text(encoding="utf-8"))[key]
            self.assertEqual(len({r["code"] for r in rows}), len(rows))
            for row in rows:
                self.assertTrue(row["vi"] and row["en"], row["code"])
