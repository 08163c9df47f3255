"""The register import runs in the worker (clms/people/import_tasks.py): a helper that sends the
upload as the page does, runs the queued task in this process (the real database backend,
db_worker's own ``Worker.run_task``, tests/reports/files.py) and opens the import's page."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.reports.files import run_worker

URL = "/register/import/"


def import_file(client: Client, upload: SimpleUploadedFile, *, extra: dict[str, Any] | None = None) -> Any:
    """Upload, let the worker import, return the status page the upload redirected to."""
    response = client.post(URL, {"file": upload, **(extra or {})})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert response["Location"].startswith(URL), response["Location"]
    run_worker()
    return client.get(response["Location"])
