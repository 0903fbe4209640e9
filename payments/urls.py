from django.urls import path

from payments.views import accounts, balances, proofs, public, refunds, review

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

# Refunds and overdue balances.
refunds_at = "<slug:shop_slug>/refunds/"
balances_at = "<slug:shop_slug>/balances/"
dashboard_patterns += [
    path(refunds_at, refunds.refund_list, name="refunds"),
    path(f"{refunds_at}<int:refund_id>/sent/", refunds.refund_sent, name="refund_sent"),
    path(f"{refunds_at}<int:refund_id>/proof/", proofs.refund_proof, name="refund_proof"),
    path("<slug:shop_slug>/orders/<str:code>/refund/", refunds.order_refund, name="order_refund"),
    path(balances_at, balances.overdue_list, name="overdue_balances"),
    path(f"{balances_at}<str:code>/extend/", balances.balance_extend, name="balance_extend"),
    path(f"{balances_at}<str:code>/cancel/", balances.balance_cancel, name="balance_cancel"),
]

# The buyer's side, behind the order's secret link; namespace "payments", at the site's root.
buyer_patterns = [
    path("o/<str:token>/pay/", public.pay, name="pay"),
    path("o/<str:token>/proof/<int:payment_id>/", proofs.buyer_payment_proof, name="proof"),
    path("o/<str:token>/refund/<int:refund_id>/", public.refund_details, name="refund_details"),
    path(
        "o/<str:token>/refund/<int:refund_id>/proof/",
        proofs.buyer_refund_proof,
        name="refund_proof",
    ),
]
