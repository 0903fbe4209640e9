"""The campaign's video on its page: a player for the hosts sellers post on (YouTube, TikTok,
Instagram), framed from their own embed addresses, which SECURE_CSP's frame-src allows and
nothing else; any other link stays a link."""

import re
from dataclasses import dataclass

# (the link as sellers paste it, its player, the player's shape)
PLAYERS = [
    (
        re.compile(
            r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:.*&)?v=|shorts/|embed/)"
            r"|youtu\.be/)([\w-]{11})"
        ),
        "https://www.youtube-nocookie.com/embed/{}",
        "wide",
    ),
    (
        re.compile(r"^https?://(?:www\.|m\.)?tiktok\.com/@[\w.-]+/video/(\d+)"),
        "https://www.tiktok.com/embed/v2/{}",
        "tall",
    ),
    (
        re.compile(r"^https?://(?:www\.)?instagram\.com/(?:p|reel|reels)/([\w-]+)"),
        "https://www.instagram.com/p/{}/embed",
        "tall",
    ),
]


@dataclass(frozen=True)
class Video:
    link: str  # what the seller pasted: always offered, in case the player does not load
    player: str = ""  # a player's address, where the host is one we frame
    shape: str = "wide"


def campaign_video(url: str) -> Video | None:
    if not url:
        return None
    for pattern, player, shape in PLAYERS:
        if match := pattern.match(url):
            return Video(link=url, player=player.format(match[1]), shape=shape)
    return Video(link=url)
