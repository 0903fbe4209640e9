from django.urls import path

from payments import views, views_public, views_review

# Under /dashboard/, namespace "dashboard".
accounts = "<slug:shop_slug>/payment-accounts/"
dashboard_patterns = [
    path(accounts, views.payment_accounts, name="payment_accounts"),
    path(f"{accounts}new/", views.payment_account_new, name="payment_account_new"),
    path(f"{accounts}<int:account_id>/", views.payment_account_edit, name="payment_account_edit"),
    path(
        f"{accounts}<int:account_id>/delete/",
        views.payment_account_delete,
        name="payment_account_delete",
    ),
]

# The review queue and the proofs, for the shop's members.
review = "<slug:shop_slug>/payments/"
dashboard_patterns += [
    path(review, views_review.payment_queue, name="payments"),
    path(f"{review}<int:payment_id>/verify/", views_review.payment_verify, name="payment_verify"),
    path(f"{review}<int:payment_id>/reject/", views_review.payment_reject, name="payment_reject"),
    path(f"{review}<int:payment_id>/proof/", views_review.payment_proof, name="payment_proof"),
    path(
        f"{review}<int:payment_id>/proof/thumbnail/",
        views_review.payment_proof_thumbnail,
        name="payment_proof_thumbnail",
    ),
]

# The buyer's side, behind the order's secret link; namespace "payments", at the site's root.
buyer_patterns = [
    path("o/<str:token>/pay/", views_public.pay, name="pay"),
    path("o/<str:token>/proof/<int:payment_id>/", views_public.proof, name="proof"),
]
