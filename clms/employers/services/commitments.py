"""Employers' commitments not to employ children, with their signed documents."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from clms.employers import files
from clms.employers.models import (
    Commitment,
    Employer,
)
from clms.employers.services.common import check_write, today

if TYPE_CHECKING:
    from clms.accounts.models import User

# ---------------------------------------------------------------------------
# Commitments
# ---------------------------------------------------------------------------


def commitment_document_check(upload: UploadedFile) -> files.FileKind:
    """The kind of a scanned commitment, judged by its first bytes; a ValidationError otherwise."""
    if upload.size is None or upload.size > files.MAX_BYTES:
        raise ValidationError({"document": _("The file is larger than 5 MB.")})
    if upload.size == 0:
        raise ValidationError({"document": _("The file is empty.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = files.kind_of(head)
    if kind is None:
        raise ValidationError({"document": _("Upload a PDF, JPEG or PNG file (the content of this file is not one of them).")})
    return kind


@transaction.atomic
def commitment_record(
    *,
    user: User,
    employer: Employer,
    signed_on: dt.date,
    signer_name: str,
    signer_title: str = "",
    expires_on: dt.date | None = None,
    note: str = "",
    document: UploadedFile | None = None,
) -> Commitment:
    check_write(user, employer.commune)
    errors: dict[str, list[str]] = {}
    if signed_on > today():
        errors.setdefault("signed_on", []).append(_("The signing date is in the future."))
    if expires_on is not None and expires_on < signed_on:
        errors.setdefault("expires_on", []).append(_("The commitment cannot end before it was signed."))
    kind = None
    if document is not None:
        try:
            kind = commitment_document_check(document)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    commitment = Commitment(
        employer=employer,
        signed_on=signed_on,
        signer_name=" ".join(signer_name.split()),
        signer_title=signer_title.strip(),
        expires_on=expires_on,
        note=note,
        created_by=user,
    )
    if document is not None and kind is not None:
        commitment.document_name = (document.name or "")[-255:]
        commitment.document_type = kind.content_type
        commitment.document_size = document.size
        commitment.document.save(f"scan{kind.extension}", document, save=False)
    commitment.full_clean()
    commitment.save()
    return commitment
