"""Scanned commitments: checked by their bytes, kept outside the web root.

Files live under ``settings.PRIVATE_MEDIA_ROOT``, which no web server serves; the only way
out is the download view, which checks the reader's area and writes an audit event.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    magic: bytes


# The client's file name and Content-Type are the uploader's claims; the first bytes are not.
KINDS = (
    FileKind("application/pdf", ".pdf", b"%PDF-"),
    FileKind("image/jpeg", ".jpg", b"\xff\xd8\xff"),
    FileKind("image/png", ".png", b"\x89PNG"),
)


def kind_of(head: bytes) -> FileKind | None:
    return next((k for k in KINDS if head.startswith(k.magic)), None)


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage whose location follows ``PRIVATE_MEDIA_ROOT`` even when tests override it."""

    @property
    def base_location(self) -> Any:
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> Any:
        # No URL: a private file is never linked directly.
        return None


@cache
def _storage() -> PrivateStorage:
    return PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage()


def commitment_upload_to(instance: Any, filename: str) -> str:
    # The stored name carries no part of the uploader's name: nothing to traverse or guess.
    extension = os.path.splitext(filename)[1].lower()
    return f"commitments/{uuid.uuid4().hex}{extension}"
