from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# under one unless told it is safe (it is: the test owns the thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
