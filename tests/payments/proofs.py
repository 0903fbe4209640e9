"""What a refused proof of payment leaves behind: no payment, no timeline entry, no file."""

from orders.models import Order, OrderEvent
from payments.models import Payment
from tests.payments.conftest import stored_files


def nothing_stored(order: Order, private_root) -> bool:
    return (
        not Payment.objects.filter(order=order).exists()
        and not order.events.filter(kind=OrderEvent.Kind.PAYMENT).exists()
        and stored_files(private_root) == []
    )
