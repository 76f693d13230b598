"""Fixtures of the live-room tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def local_layer(settings):
    """The in-process layer, built fresh for this test and dropped after it (a layer
    cached from another test would be bound to another event loop)."""
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "ateliers.realtime.layers.LocalChannelLayer"}}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
