#!/usr/bin/env python3
"""The gateway's own errors are RFC 9457 problems (a ctest: gateway_errors_test, label integration).

Starts nginx in the foreground with deploy/nginx/nginx.conf, as scripts/gateway.sh does (prefix,
error log and pid given on the command line, `user root` when root), except for two lines: it
listens on a free port instead of 8080, and the cart upstream points at a port nothing listens on
(a service that is down). Then sends requests nginx answers itself and checks each answer's
status, Content-Type (application/problem+json), body (type, title, status, detail) and, for an
unreachable service, Retry-After. Needs only nginx and Python's standard library.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

CONF = Path(__file__).resolve().parent / "nginx.conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise AssertionError(f"nginx.conf should contain {old!r} exactly once")
    return text.replace(old, new)


class Gateway:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="gateway-test-"))
        self.port = free_port()
        self.dead_port = free_port()  # nothing listens there: the cart is "down"
        prefix = self.dir / "nginx"
        (prefix / "tmp").mkdir(parents=True)
        (self.dir / "logs").mkdir()  # the config logs to ../logs relative to the prefix
        conf = CONF.read_text()
        conf = replace_once(conf, "listen 127.0.0.1:8080 ", f"listen 127.0.0.1:{self.port} ")
        conf = replace_once(conf, "server 127.0.0.1:8101;", f"server 127.0.0.1:{self.dead_port};")
        conf_path = self.dir / "nginx.conf"
        conf_path.write_text(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        globals_ = f"daemon off; pid {self.dir}/nginx.pid;"
        if os.geteuid() == 0:
            globals_ += " user root;"
        self.error_log = self.dir / "logs" / "nginx-error.log"
        self.proc = subprocess.Popen(
            [nginx, "-p", f"{prefix}/", "-c", str(conf_path), "-e", str(self.error_log), "-g", globals_],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.proc.stderr.read().decode(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not listen within 10 s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def raw(self, request: bytes, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
        """Sends raw bytes, reads the whole answer (the test asks for Connection: close)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            try:
                sock.sendall(request)
            except (BrokenPipeError, ConnectionResetError):
                pass  # nginx may answer and close before reading all of a large body
            chunks = []
            while True:
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not data:
                    break
                chunks.append(data)
        answer = b"".join(chunks)
        head, _, body = answer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = dechunk(body)
        return status, headers, body

    def request(self, method: str, target: str, headers: dict[str, str] | None = None,
                body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
        lines = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Connection: close"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        return self.raw(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def dechunk(body: bytes) -> bytes:
    out = b""
    while body:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += body[:size]
        body = body[size + 2:]
    return out


class GatewayErrorsTest(unittest.TestCase):
    gateway: Gateway

    @classmethod
    def setUpClass(cls) -> None:
        cls.gateway = Gateway()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.gateway.stop()

    def assert_problem(self, answer: tuple[int, dict[str, str], bytes], status: int,
                       body_status: int | None = None) -> dict:
        code, headers, body = answer
        self.assertEqual(code, status, body)
        self.assertEqual(headers.get("content-type"), "application/problem+json", headers)
        problem = json.loads(body)
        self.assertEqual(problem["status"], body_status or status)
        self.assertEqual(problem["type"], "about:blank")
        for member in ("title", "detail"):
            self.assertIsInstance(problem.get(member), str, problem)
            self.assertTrue(problem[member], problem)
        return problem

    def test_body_over_one_mib_is_413_problem(self) -> None:
        body = b"{" + b" " * (1024 * 1024) + b"}"
        answer = self.gateway.request("POST", "/cart/items",
                                      {"Content-Type": "application/json"}, body)
        self.assert_problem(answer, 413)

    def test_unknown_path_is_404_problem(self) -> None:
        self.assert_problem(self.gateway.request("GET", "/no-such-service/x"), 404)
        self.assert_problem(self.gateway.request("GET", "/"), 404)
        # The error pages are internal: asked for directly, they are unknown paths too.
        self.assert_problem(self.gateway.request("GET", "/_problem/503"), 404)

    def test_service_down_is_503_problem_with_retry_after(self) -> None:
        answer = self.gateway.request("GET", "/cart", {"Authorization": "Bearer x"})
        self.assert_problem(answer, 503)
        self.assertTrue(answer[1].get("retry-after", "").isdigit(), answer[1])
        answer = self.gateway.request("POST", "/cart/items", {"Content-Type": "application/json"}, b"{}")
        self.assert_problem(answer, 503)
        self.assertTrue(answer[1].get("retry-after", "").isdigit(), answer[1])

    def test_service_down_other_prefixes_too(self) -> None:
        # Not yet built services: their upstreams (8102..8107) are down as well, unless one of
        # them happens to run on this machine; then its own answer is not the gateway's to check.
        code, headers, _ = self.gateway.request("GET", "/warranty/available")
        if headers.get("server") == "nginx" and code >= 500:
            self.assert_problem((code, headers, _), 503)

    def test_malformed_request_is_400_problem(self) -> None:
        # HTTP/1.1 without Host.
        self.assert_problem(self.gateway.raw(b"GET /cart HTTP/1.1\r\nConnection: close\r\n\r\n"), 400)
        # A broken request line.
        self.assert_problem(self.gateway.raw(b"GET /cart HTTP/1.1 junk\r\nHost: x\r\n\r\n"), 400)

    def test_uri_too_long_is_414_problem(self) -> None:
        self.assert_problem(self.gateway.request("GET", "/cart/" + "a" * 9000), 414)

    def test_header_too_large_is_400_problem(self) -> None:
        answer = self.gateway.request("GET", "/cart", {"X-Big": "b" * 9000})
        self.assert_problem(answer, 400)

    def test_trace_is_405_problem(self) -> None:
        self.assert_problem(self.gateway.request("TRACE", "/cart"), 405)

    def test_healthz_is_not_a_problem(self) -> None:
        code, headers, body = self.gateway.request("GET", "/healthz")
        self.assertEqual(code, 200)
        self.assertEqual(body, b"ok\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
