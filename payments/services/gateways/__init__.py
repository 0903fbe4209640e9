"""Payment gateways: connecting a shop (connections.py), the providers' HTTP APIs (clients.py),
reading and verifying what they tell us (notices.py), and a buyer's payment through them from
"Pay now" to credited (transactions.py); refunds sent back through them (refunds.py)."""
