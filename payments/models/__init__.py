"""The payment models: where buyers pay and what they paid (money.py), and the payment
gateways (gateways.py)."""

from payments.models.gateways import (
    GatewayConnection,
    GatewayNotification,
    GatewayTransaction,
    Provider,
)
from payments.models.money import (
    AlertState,
    Payment,
    PaymentAccount,
    Refund,
    StatementImport,
    StatementLine,
)

__all__ = [
    "AlertState",
    "GatewayConnection",
    "GatewayNotification",
    "GatewayTransaction",
    "Payment",
    "PaymentAccount",
    "Provider",
    "Refund",
    "StatementImport",
    "StatementLine",
]
