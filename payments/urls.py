from django.urls import path

from payments.views import (
    accounts,
    balances,
    fake_gateway,
    gateway_pay,
    gateways,
    proofs,
    public,
    recorded,
    refunds,
    review,
    shipping_fees,
    statement_lines,
    statements,
    webhooks,
)

# Under /dashboard/, namespace "dashboard".
accounts_at = "<slug:shop_slug>/payment-accounts/"
dashboard_patterns = [
    path(accounts_at, accounts.payment_accounts, name="payment_accounts"),
    path(f"{accounts_at}new/", accounts.payment_account_new, name="payment_account_new"),
    path(
        f"{accounts_at}<int:account_id>/",
        accounts.payment_account_edit,
        name="payment_account_edit",
    ),
    path(
        f"{accounts_at}<int:account_id>/delete/",
        accounts.payment_account_delete,
        name="payment_account_delete",
    ),
]

# The owner's payment gateways: one fixed address per gateway (no object in the path).
dashboard_patterns += [
    path("<slug:shop_slug>/gateways/", gateways.gateway_list, name="gateways"),
    *(
        path(
            f"<slug:shop_slug>/gateways/{provider}/",
            gateways.gateway_edit,
            {"provider": provider},
            name=f"gateway_{provider}",
        )
        for provider in ("midtrans", "xendit", "fake")
    ),
]

# The review queue and the proofs, for the shop's members.
review_at = "<slug:shop_slug>/payments/"
dashboard_patterns += [
    path(review_at, review.payment_queue, name="payments"),
    path(f"{review_at}<int:payment_id>/verify/", review.payment_verify, name="payment_verify"),
    path(f"{review_at}<int:payment_id>/reject/", review.payment_reject, name="payment_reject"),
    path(f"{review_at}<int:payment_id>/proof/", proofs.payment_proof, name="payment_proof"),
    path(
        f"{review_at}<int:payment_id>/proof/thumbnail/",
        proofs.payment_proof_thumbnail,
        name="payment_proof_thumbnail",
    ),
]

# Money recorded by hand on an order; bank statements and the lines left to match.
statements_at = "<slug:shop_slug>/statements/"
lines_at = f"{statements_at}lines/"
dashboard_patterns += [
    path(
        "<slug:shop_slug>/orders/<str:code>/payments/record/",
        recorded.order_payment_record,
        name="order_payment_record",
    ),
    path(
        "<slug:shop_slug>/orders/<str:code>/ongkir/",
        shipping_fees.order_shipping_fee,
        name="order_shipping_fee",
    ),
    path(statements_at, statements.statement_list, name="statements"),
    path(f"{statements_at}upload/", statements.statement_upload, name="statement_upload"),
    path(f"{statements_at}<int:statement_id>/", statements.statement_detail, name="statement"),
    path(
        f"{statements_at}<int:statement_id>/columns/",
        statements.statement_columns,
        name="statement_columns",
    ),
    path(
        f"{statements_at}<int:statement_id>/confirm/",
        statements.statement_confirm,
        name="statement_confirm",
    ),
    path(lines_at, statement_lines.line_list, name="statement_lines"),
    path(f"{lines_at}<int:line_id>/", statement_lines.line_detail, name="statement_line"),
    path(
        f"{lines_at}<int:line_id>/match/", statement_lines.line_match, name="statement_line_match"
    ),
    path(
        f"{lines_at}<int:line_id>/dismiss/",
        statement_lines.line_dismiss,
        name="statement_line_dismiss",
    ),
]

# Refunds and overdue balances.
refunds_at = "<slug:shop_slug>/refunds/"
balances_at = "<slug:shop_slug>/balances/"
dashboard_patterns += [
    path(refunds_at, refunds.refund_list, name="refunds"),
    path(f"{refunds_at}<int:refund_id>/sent/", refunds.refund_sent, name="refund_sent"),
    path(f"{refunds_at}<int:refund_id>/proof/", proofs.refund_proof, name="refund_proof"),
    path(f"{refunds_at}<int:refund_id>/gateway/", refunds.refund_gateway, name="refund_gateway"),
    path("<slug:shop_slug>/orders/<str:code>/refund/", refunds.order_refund, name="order_refund"),
    path(balances_at, balances.overdue_list, name="overdue_balances"),
    path(f"{balances_at}<str:code>/extend/", balances.balance_extend, name="balance_extend"),
    path(f"{balances_at}<str:code>/cancel/", balances.balance_cancel, name="balance_cancel"),
]

# The buyer's side, behind the order's secret link; namespace "payments", at the site's root.
buyer_patterns = [
    path("o/<str:token>/pay/", public.pay, name="pay"),
    path("o/<str:token>/cancel/", public.cancel, name="cancel"),
    path("o/<str:token>/delay/", public.delay_choice, name="delay_choice"),
    path("o/<str:token>/proof/<int:payment_id>/", proofs.buyer_payment_proof, name="proof"),
    path("o/<str:token>/refund/<int:refund_id>/", public.refund_details, name="refund_details"),
    path(
        "o/<str:token>/refund/<int:refund_id>/proof/",
        proofs.buyer_refund_proof,
        name="refund_proof",
    ),
    path("o/<str:token>/pay/online/", gateway_pay.pay_online, name="pay_online"),
    path(
        "o/<str:token>/pay/online/<str:reference>/",
        gateway_pay.checkout,
        name="gateway_checkout",
    ),
    # The gateways' webhooks, and the demo gateway's own page.
    path("payments/webhooks/midtrans/", webhooks.midtrans, name="webhook_midtrans"),
    path("payments/webhooks/xendit/", webhooks.xendit, name="webhook_xendit"),
    path("payments/fake-gateway/<str:reference>/", fake_gateway.fake_gateway, name="fake_gateway"),
]
