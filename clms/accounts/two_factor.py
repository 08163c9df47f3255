"""Who must use two-factor authentication, and the TOTP devices behind it (django-otp)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from clms.accounts.models import Role, User
from clms.places.models import Level


def sees_whole_province(user: User) -> bool:
    return user.area is not None and user.area.level == Level.PROVINCE


def two_factor_required(user: User) -> bool:
    """System administrators and anyone whose area is a whole province (or the whole country)."""
    if not settings.CLMS_TWO_FACTOR_REQUIRED:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return sees_whole_province(user)


def is_verified(user: User) -> bool:
    """Whether this session passed the second step (django-otp's OTPMiddleware sets
    ``user.is_verified``; a user it has not seen, such as a test's, has not)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def has_two_factor(user: User) -> bool:
    """Whether the user has a confirmed device, from the flag on the already-loaded user."""
    return bool(getattr(user, "two_factor_enabled", False))


def _set_flag(user: User, value: bool) -> None:
    User.objects.filter(pk=user.pk).update(two_factor_enabled=value)
    user.two_factor_enabled = value


def forget_two_factor_state(user: User) -> None:
    """Bring the flag back in step with the devices (one removed in the admin, for instance)."""
    _set_flag(user, bool(user_has_device(user, confirmed=True)))


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def totp_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device being set up (one per user; a new secret only when none is pending)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm a pending device with a first code from the app; replaces any older device."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _set_flag(user, True)
    return True


@transaction.atomic
def totp_remove(*, user: User) -> int:
    """Turn two-factor off (a user who lost the phone, through an administrator, or by choice)."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    _set_flag(user, False)
    return int(deleted)
