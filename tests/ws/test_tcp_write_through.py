"""daphne's TCP writes go out at once when nothing is buffered (``ateliers/realtime/
server.py``): no epoll registration per frame, and still in order when the kernel's
buffer is full. On a real socket pair, with a reactor that records registrations."""

from __future__ import annotations

import socket
import sys

import pytest
from twisted.internet import tcp
from twisted.internet.protocol import Protocol

from ateliers.realtime.server import tune_tcp_writes, tune_websocket_server


class Reactor:
    """Only what ``tcp.Connection`` asks of a reactor while writing."""

    def __init__(self) -> None:
        self.writers: list = []

    def addWriter(self, writer) -> None:  # Twisted names it so
        if writer not in self.writers:  # as a real reactor: registered once
            self.writers.append(writer)

    def removeWriter(self, writer) -> None:
        if writer in self.writers:
            self.writers.remove(writer)

    def callLater(self, *args, **kwargs):
        raise AssertionError("not expected")


@pytest.fixture
def pair():
    ours, theirs = socket.socketpair()
    ours.setblocking(False)
    theirs.setblocking(False)
    reactor = Reactor()
    conn = tcp.Connection(ours, Protocol(), reactor)
    conn.connected = True
    yield conn, theirs, reactor
    ours.close()
    theirs.close()


def read_all(sock) -> bytes:
    data = b""
    while True:
        try:
            chunk = sock.recv(1 << 20)
        except BlockingIOError:
            return data
        if not chunk:
            return data
        data += chunk


def test_a_write_with_nothing_buffered_is_sent_at_once(pair):
    interval = sys.getswitchinterval()
    tune_websocket_server()  # what livinglab/asgi.py does inside daphne
    sys.setswitchinterval(interval)  # (this process is pytest, not daphne)
    conn, theirs, reactor = pair
    conn.write(b"frame one")
    conn.write(b"frame two")
    assert read_all(theirs) == b"frame oneframe two"
    assert reactor.writers == []  # never registered with the loop


def test_a_full_kernel_buffer_keeps_the_rest_in_order(pair):
    tune_tcp_writes()
    conn, theirs, reactor = pair
    conn.socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    frames = [bytes([65 + i % 26]) * 50_000 for i in range(8)]
    for frame in frames:
        conn.write(frame)
    assert reactor.writers == [conn]  # what did not fit waits for the loop
    received = b""
    while reactor.writers:
        received += read_all(theirs)
        conn.doWrite()
    received += read_all(theirs)
    assert received == b"".join(frames)
    conn.write(b"after")  # the buffer is empty again: straight out
    assert read_all(theirs) == b"after" and reactor.writers == []


def test_installed_once():
    tune_tcp_writes()
    write = tcp.Connection.write
    tune_tcp_writes()
    assert tcp.Connection.write is write
