"""The metrics port listens on loopback unless METRICS_HOST says otherwise."""

from __future__ import annotations

import socket

import pytest

from bot import metrics
from bot.cli.service import start_metrics
from bot.config import load_settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(("host", "bound"), [(None, "127.0.0.1"), ("0.0.0.0", "0.0.0.0")], ids=["default", "all"])
def test_the_metrics_port_binds_where_metrics_host_says(engine, monkeypatch, host, bound):
    if host:
        monkeypatch.setenv("METRICS_HOST", host)
    server = start_metrics(load_settings(metrics_port=_free_port()), engine)
    try:
        assert server.socket.getsockname()[0] == bound
    finally:
        metrics.stop(server)
