"""Click-to-chat links: `wa.me` opens WhatsApp with the message already typed."""

from urllib.parse import quote


def wa_link(text: str, phone: str = "") -> str:
    """A wa.me link to `phone` (E.164; empty: the sender picks a chat) with `text` prefilled."""
    return f"https://wa.me/{phone.lstrip('+')}?text={quote(text, safe='')}"
