"""A real HTTPS server on loopback for the fetch tests: `http.server.ThreadingHTTPServer` on
an ssl-wrapped socket with a `trustme` certificate, answering each (Host, path) from a table.

No mock of httpx or ssl anywhere: the fetcher under test resolves names through a DnsSource
(zone file or knotd), connects to 127.0.0.1, presents the name as SNI and checks the
certificate against the test CA (`ca_file`).
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import trustme


@dataclass(frozen=True)
class Reply:
    """What the server sends for one (host, path): `delay` seconds before the headers;
    `trickle` sends the body that many bytes at a time, 0.2 s apart (a slow body)."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/plain"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    trickle: int = 0
    send_length: bool = True  # False: no Content-Length, the body ends when the server closes


@dataclass
class HttpsServer:
    port: int
    ca_file: Path
    routes: dict[tuple[str, str], Reply]
    requests: list[dict[str, str]] = field(default_factory=list)


def _handler(server: HttpsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            server.requests.append(
                {"host": host, "path": self.path, **{k.lower(): v for k, v in self.headers.items()}}
            )
            reply = server.routes.get((host, self.path), Reply(b"not here", status=404))
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            if reply.content_type is not None:
                self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.send_length:
                self.send_header("Content-Length", str(len(reply.body)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            with contextlib.suppress(OSError):
                if not reply.trickle:
                    self.wfile.write(reply.body)
                    return
                for i in range(0, len(reply.body), reply.trickle):
                    self.wfile.write(reply.body[i : i + reply.trickle])
                    self.wfile.flush()
                    time.sleep(0.2)

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

    return Handler


@contextlib.contextmanager
def https_server(
    names: list[str], routes: dict[tuple[str, str], Reply], directory: Path
) -> Iterator[HttpsServer]:
    """Serve `routes` over TLS on 127.0.0.1 (a free port) with a certificate for `names`;
    the test CA is written to `directory/ca.pem`."""
    ca = trustme.CA()
    cert = ca.issue_cert(*names)
    ca_file = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    state = HttpsServer(httpd.server_address[1], ca_file, routes)
    httpd.RequestHandlerClass = _handler(state)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def http_server(routes: dict[tuple[str, str], Reply]) -> Iterator[HttpsServer]:
    """The same table-driven server over plain http (no TLS) on 127.0.0.1: where a CRL
    distribution point is served (RFC 5280). `ca_file` is unused (an empty path)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    state = HttpsServer(httpd.server_address[1], Path(), routes)
    httpd.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
