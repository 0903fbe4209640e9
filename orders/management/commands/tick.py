"""`manage.py tick`: expire overdue orders, send the reminders and seller alerts due, and queue
the e-mails due again; safe to run every minute, from cron or by the worker (`--schedule`).

Idempotent, and safe with two copies at once (a slow run overlapping the next cron minute):
each order is expired under its row lock and each reminder and alert is claimed by a
conditional UPDATE, so nothing is done twice. See README.md, Scheduling.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from payments.services.tick import run_tick, start_ticking


class Command(BaseCommand):
    help = (
        "Expire orders past their deposit deadline and send the reminders and alerts due "
        "(idempotent). With --schedule, have the worker do it every minute instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Start the every-minute tick in the task worker (db_worker) and exit; "
            "nothing happens if it is already running.",
        )

    def handle(self, *args, schedule=False, **options):
        now = timezone.now()
        if schedule:
            started = start_ticking(now=now)
            self.stdout.write(
                "The worker now ticks every minute."
                if started
                else "The worker already ticks every minute."
            )
            return
        report = run_tick(now=now)
        self.stdout.write(
            f"Expired orders: {report.expired}. "
            f"Deposit reminders sent: {report.deposit_reminders}. "
            f"Balance reminders sent: {report.balance_reminders}. "
            f"Seller alerts: {report.alerts}. E-mails queued again: {report.emails_requeued}. "
            f"Waiting-list holds lapsed: {report.holds_lapsed}. "
            f"Waiting-list offers: {report.offers}. "
            f"Gateway payments checked: {report.gateway_checks}."
        )
