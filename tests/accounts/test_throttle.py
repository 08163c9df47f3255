"""Login throttling: per username (progressive delay), per address, per endpoint."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse

from clms.accounts import throttle
from clms.core.actor import client_ip
from tests.base import PASSWORD, PersonaTestCase

URL = reverse("accounts:login")


class _Clock:
    """time.time() under the test's control, so no test sleeps."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@override_settings(
    CLMS_LOGIN_FREE_FAILURES=3, CLMS_LOGIN_MAX_DELAY_SECONDS=60, CLMS_LOGIN_IP_FREE_FAILURES=10,
    CLMS_LOGIN_GLOBAL_PER_MINUTE=1000, CLMS_LOGIN_WINDOW_MINUTES=15,
)
class LoginThrottleTestCase(PersonaTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.clock = _Clock()
        patcher = mock.patch("clms.accounts.throttle.time.time", self.clock)
        patcher.start()
        self.addCleanup(patcher.stop)

    def _post(self, username: str, password: str, ip: str = "10.0.0.1", **extra: Any) -> Any:
        return self.client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)

    def test_it_delays_a_username_progressively_and_never_locks_it(self) -> None:
        for _ in range(3):
            self.assertEqual(self._post("officer_a", "wrong").status_code, 200)
        # Three failures are free; the next try must wait 2 seconds and is refused unchecked ...
        refused = self._post("officer_a", PASSWORD)
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Retry-After"], "2")
        self.assertContains(refused, "Đợi 2 giây", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(throttle.failures(username="officer_a"), 3)  # a refused try is not counted
        # ... and then the right password works: the real user is slowed, not shut out.
        self.clock.now += 2
        response = self._post("officer_a", PASSWORD)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(throttle.failures(username="officer_a"), 0)

    def test_it_doubles_the_delay_up_to_the_ceiling(self) -> None:
        waits = []
        for _ in range(12):
            self.clock.now += 100  # past any delay, inside the 15-minute window of the last failure
            self._post("officer_a", "wrong", ip=f"10.1.0.{_}")
            refused = self._post("officer_a", "wrong", ip=f"10.1.0.{_}")
            waits.append(int(refused["Retry-After"]) if refused.status_code == 429 else 0)
        # First round: two free failures; then each round adds one failure and doubles the wait.
        self.assertEqual(waits, [0, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60, 60])

    def test_it_throttles_a_username_whatever_address_the_attacker_uses(self) -> None:
        for n in range(3):
            self._post("officer_a", "wrong", ip=f"192.0.2.{n}")
        self.assertEqual(self._post("officer_a", "guess", ip="198.51.100.7").status_code, 429)

    def test_it_does_not_slow_other_users_at_the_same_address(self) -> None:
        for _ in range(5):
            self._post("officer_a", "wrong")
        self.assertEqual(self._post("officer_b", PASSWORD).status_code, 302)

    def test_it_slows_an_address_that_sprays_one_password_over_many_usernames(self) -> None:
        for n in range(10):
            self.assertEqual(self._post(f"someone{n}", "matkhau123").status_code, 200)
        response = self._post("officer_b", PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "thiết bị hoặc mạng này", status_code=429)
        # Another address is unaffected.
        self.assertEqual(self._post("officer_b", PASSWORD, ip="10.0.0.2").status_code, 302)

    @override_settings(CLMS_LOGIN_GLOBAL_PER_MINUTE=5)
    def test_it_limits_the_whole_endpoint_per_minute(self) -> None:
        for n in range(5):
            self._post(f"user{n}", "x", ip=f"203.0.113.{n}")
        response = self._post("officer_b", PASSWORD, ip="203.0.113.99")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "quá nhiều yêu cầu đăng nhập", status_code=429)
        self.clock.now += 60
        self.assertEqual(self._post("officer_b", PASSWORD, ip="203.0.113.99").status_code, 302)

    def test_it_ignores_a_forwarded_header_by_default(self) -> None:
        for n in range(10):
            self._post(f"someone{n}", "x", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        # Every try came from 10.0.0.1 whatever the header claimed.
        self.assertEqual(throttle.failures(ip="10.0.0.1"), 10)

    @override_settings(CLMS_TRUSTED_PROXY_HEADER="X-Forwarded-For", CLMS_TRUSTED_PROXIES=["127.0.0.1"])
    def test_it_tells_users_apart_behind_the_trusted_proxy(self) -> None:
        # Behind the proxy every request comes from 127.0.0.1: one person's mistakes must not
        # slow the whole office.
        for n in range(10):
            self._post(f"someone{n}", "x", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")
        self.assertEqual(throttle.failures(ip="198.51.100.9"), 10)
        self.assertEqual(throttle.failures(ip="127.0.0.1"), 0)
        self.assertEqual(
            self._post("officer_b", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.10").status_code, 302
        )


class ClientIpTestCase(SimpleTestCase):
    factory = RequestFactory()

    @override_settings(CLMS_TRUSTED_PROXY_HEADER="X-Real-IP", CLMS_TRUSTED_PROXIES=["10.9.9.9"])
    def test_it_believes_the_header_only_from_a_trusted_proxy(self) -> None:
        from_proxy = self.factory.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_REAL_IP="203.0.113.5")
        from_client = self.factory.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_REAL_IP="203.0.113.5")
        garbage = self.factory.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_REAL_IP="not-an-address")
        self.assertEqual(client_ip(from_proxy), "203.0.113.5")
        self.assertEqual(client_ip(from_client), "198.51.100.1")
        self.assertEqual(client_ip(garbage), "10.9.9.9")

    def test_it_uses_the_remote_address_without_a_configured_header(self) -> None:
        request = self.factory.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
        self.assertEqual(client_ip(request), "198.51.100.1")
