"""A buyer who lost their order page's link asks for it again by the e-mail or WhatsApp number
they ordered with. The links go only to the e-mail address written on the orders, never to the
page, so typing someone else's number or address shows nothing of their orders."""

from dataclasses import dataclass

from django.utils import translation

from campaigns.models import Shop
from campaigns.services.outbox import queue_email
from kernel.mail import absolute
from orders.models import Order

# The newest orders an e-mail lists: enough for any buyer, bounded for everyone.
MOST_LINKS = 20


@dataclass(frozen=True)
class Contact:
    """What the buyer typed, read: an e-mail address (lower-cased) or an E.164 number."""

    email: str = ""
    phone: str = ""

    def __str__(self) -> str:
        return self.email or self.phone


def send_order_links(*, shop: Shop, contact: Contact, language: str) -> int:
    """E-mail the links to the shop's orders placed with `contact`, one e-mail per address on
    those orders, in `language` (the page's). Returns how many e-mails were queued; the caller
    must not tell the buyer (no enumeration): the answer is the same either way.
    """
    orders = Order.objects.filter(campaign__shop=shop).select_related("campaign")
    if contact.email:
        orders = orders.filter(buyer_email__iexact=contact.email)
    else:
        orders = orders.filter(buyer_phone=contact.phone)
    by_address: dict[str, list[Order]] = {}
    for order in orders.order_by("-created_at", "-id")[:MOST_LINKS]:
        by_address.setdefault(order.buyer_email.lower(), []).append(order)
    with translation.override(language):
        for address, found in by_address.items():
            queue_email(
                to=address,
                language=language,
                template="order_links",
                shop=shop,
                context={
                    "shop": shop.name,
                    "buyer_name": found[0].buyer_name,
                    "orders": [
                        {
                            "code": order.code,
                            "campaign": order.campaign.title,
                            "status": str(order.get_status_display()),
                            "link": absolute(order.get_absolute_url()),
                        }
                        for order in found
                    ],
                },
            )
    return len(by_address)
