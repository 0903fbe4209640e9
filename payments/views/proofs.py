"""Proof pictures (of a payment, of a refund sent), streamed to the buyer through the order's
secret link or to the shop's members, and to nobody's cache.

Proofs live in private storage (payments/storage.py): these views are the only way out, so every
check of who may see one is here (DESIGN.md, Buyer access and privacy).
"""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from campaigns.models import Role
from campaigns.views.access import seller_view
from payments import selectors
from payments.models import Payment, Refund


def private_image(file) -> FileResponse:
    """The stored picture (always WebP: we re-encoded it), never cached, never sniffed."""
    if not file:
        raise Http404
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/webp")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _found(select, *args):
    try:
        return select(*args)
    except (Payment.DoesNotExist, Refund.DoesNotExist):
        raise Http404 from None


# --- the buyer, through the order's secret link ------------------------------------------------


@require_GET
def buyer_payment_proof(request, token, payment_id):
    return private_image(_found(selectors.buyer_payment, token, payment_id).proof)


@require_GET
def buyer_refund_proof(request, token, refund_id):
    return private_image(_found(selectors.buyer_refund, token, refund_id).proof)


# --- the shop's members ------------------------------------------------------------------------


@require_GET
@seller_view(Role.STAFF)
def payment_proof(request, shop, payment_id):
    return private_image(_found(selectors.shop_payment, shop, payment_id).proof)


@require_GET
@seller_view(Role.STAFF)
def payment_proof_thumbnail(request, shop, payment_id):
    payment = _found(selectors.shop_payment, shop, payment_id)
    return private_image(payment.proof_thumbnail or payment.proof)


@require_GET
@seller_view(Role.MANAGER)
def refund_proof(request, shop, refund_id):
    return private_image(_found(selectors.shop_refund, shop, refund_id).proof)
