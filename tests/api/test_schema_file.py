from __future__ import annotations

import json

from django.test import SimpleTestCase

from clms.api.management.commands.api_schema import SCHEMA_FILE, schema_text


class SchemaFileTests(SimpleTestCase):
    def test_the_committed_schema_matches_the_code(self) -> None:
        self.assertEqual(SCHEMA_FILE.read_text(encoding="utf-8"), schema_text(),
                         "docs/openapi.json is out of date: run `make api-schema`")

    def test_every_operation_documents_the_error_shape(self) -> None:
        schema = json.loads(schema_text())
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                for code in ("401", "403", "404", "422", "429"):
                    with self.subTest(path=path, method=method, code=code):
                        ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                        self.assertTrue(ref.endswith("/Errors"))
