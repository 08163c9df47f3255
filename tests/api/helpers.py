"""Calling the API as a persona: with a real token, through the whole middleware stack."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from clms.api.tokens import token_create

BASE = "/api/v1"


class ApiClient:
    def __init__(self, user: Any) -> None:
        self.user = user
        _, self.token = token_create(user=user, name="test", days=30)
        self.client = Client()

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params, headers={"Authorization": f"Bearer {self.token}"})

    def send(self, method: str, path: str, body: Any) -> Any:
        data = body if isinstance(body, str) else json.dumps(body, default=str)
        return getattr(self.client, method)(BASE + path, data=data, content_type="application/json", **self._headers())

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.send("patch", path, body)


def fields_of(response: Any) -> list[str | None]:
    return [e["field"] for e in response.json()["errors"]]
