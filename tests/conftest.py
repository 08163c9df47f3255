from __future__ import annotations

import os

from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# under one unless told it is safe (it is: the test owns the thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hashing is deliberately slow (Argon2 in production, checked by
# tests/accounts/test_login.py in a fresh process); every factory user and every login
# would pay for it.  MD5 keeps the tests about behaviour, not key stretching.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
