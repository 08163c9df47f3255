"""The receiving level's files are made in the background: helpers that click, run the worker in
this process (the real database backend, db_worker's own ``Worker.run_task``) and download."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction


def run_worker(limit: int = 20) -> int:
    """Run the queued tasks as ``manage.py db_worker --batch`` does, without its connection
    handling (a test case's transaction must stay open); returns how many ran."""
    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        with exclusive_transaction():
            result = DBTaskResult.objects.ready().get_locked()
            if result is not None:
                result.claim(worker.worker_id)
        if result is None:
            return ran
        worker.run_task(result)
        ran += 1
    return ran


def period_file(client: Client, period_pk: int, fmt: str) -> Any:
    """Click the download button of ``fmt``, let the worker make the files, download."""
    client.post(reverse("reports:period_generate", args=[period_pk, fmt]))
    run_worker()
    return client.get(reverse("reports:period_document", args=[period_pk, fmt]))
