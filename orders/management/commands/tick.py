"""`manage.py tick`: expire overdue orders and send the reminders due; safe to run every minute.

Idempotent, and safe with two copies at once (a slow run overlapping the next cron minute):
each order is expired under its row lock and each reminder is claimed by a conditional UPDATE,
so nothing is done twice. See README.md, Scheduling.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from orders.services.placing import expire_overdue
from orders.services.reminders import send_balance_reminders, send_deposit_reminders


class Command(BaseCommand):
    help = "Expire orders past their deposit deadline and send the reminders due (idempotent)."

    def handle(self, *args, **options):
        now = timezone.now()
        expired = expire_overdue(now=now)
        deposit = send_deposit_reminders(now=now)
        balance = send_balance_reminders(now=now)
        self.stdout.write(
            f"Expired orders: {expired}. Deposit reminders sent: {deposit}. "
            f"Balance reminders sent: {balance}."
        )
