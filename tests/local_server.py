"""A real HTTP server on 127.0.0.1 in a daemon thread, shared by the tests' fakes."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class QuietHandler(BaseHTTPRequestHandler):
    """No request log on stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 refuses connections when eight clients connect at once and
    # the accepting thread is slow to run on a loaded machine: "could not reach the model".
    request_queue_size = 128


class LocalServer:
    def __init__(self, handler: Callable[..., Any]) -> None:
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        # serve_forever notices shutdown() only between polls; the default half second made
        # every test's teardown wait for it, 37 s of the suite's wall time.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class DribbleServer:
    """A server that sends its answer a byte at a time, `interval` seconds apart: each read
    gets something, so only a deadline over the whole request can end it."""

    def __init__(self, interval: float, body: bytes = b"<rss></rss>") -> None:
        self.interval = interval
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        head += b"".join(b"X-Padding-%d: %s\r\n" % (n, b"x" * 40) for n in range(40))
        self.answer = head + b"Content-Length: %d\r\n\r\n" % len(body) + body
        self.stopped = threading.Event()
        self.connections = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._dribble, args=(conn,), daemon=True).start()

    def _dribble(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                for byte in self.answer:
                    if self.stopped.wait(self.interval):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                pass

    def __enter__(self) -> DribbleServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.sock.close()
