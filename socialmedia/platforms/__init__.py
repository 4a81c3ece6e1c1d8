"""Adapters for the platforms' official APIs, one module per platform."""

from __future__ import annotations

from .base import Adapter
from .facebook import FacebookAdapter
from .instagram import InstagramAdapter
from .tiktok import TikTokAdapter
from .x import XAdapter
from .youtube import YouTubeAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    adapter.platform: adapter
    for adapter in (FacebookAdapter, InstagramAdapter, XAdapter, YouTubeAdapter, TikTokAdapter)
}


def adapter_for(account, **kwargs) -> Adapter:
    return ADAPTERS[account.platform](account, **kwargs)
