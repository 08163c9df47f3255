"""``/api/v1/``: the REST API, its OpenAPI schema and its documentation page."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.docs import Swagger

from clms.accounts.http import AuthedHttpRequest
from clms.api import errors
from clms.api.auth import ActiveSessionAuth, TokenAuth, TokenRateThrottle
from clms.api.common import responses

DESCRIPTION = """CLMS, hệ thống theo dõi lao động trẻ em: API cho các hệ thống đối tác.

Authentication: a personal API token from the account page (`Authorization: Bearer clms_…`),
or the signed-in browser session with the `X-CSRFToken` header on writes.  A token can see and
do exactly what its owner can on the pages.  Errors: `{"errors": [{"field": …, "message": …}]}`
in Vietnamese.  Lists are paged by cursor: pass `next_cursor` back as `cursor`.
See docs/api.md."""

api = NinjaAPI(
    title="CLMS API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), ActiveSessionAuth()],
    throttle=[TokenRateThrottle()],
    docs=Swagger(settings={"persistAuthorization": False}),
)
errors.install(api)


class Me(Schema):
    id: int
    username: str
    full_name: str
    role: str
    area_id: int | None
    agency: str
    token_expires_at: str | None


@api.get("/me", response=responses(Me), tags=["account"], summary="Who the token or session belongs to")
def me(request: AuthedHttpRequest) -> Any:
    user = request.user
    token = getattr(request, "api_token", None)
    return {
        "id": user.pk, "username": user.username, "full_name": user.full_name, "role": user.role,
        "area_id": user.area_id, "agency": user.agency,
        "token_expires_at": token.expires_at.isoformat() if token else None,
    }


def _mount() -> None:
    from clms.api.endpoints import cases, figures, people, registry, units

    for module in (units, people, cases, registry, figures):
        api.add_router("", module.router)


_mount()
