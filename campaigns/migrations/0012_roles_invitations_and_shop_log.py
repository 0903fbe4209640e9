"""Members get a role (owner, manager, staff): the plain many-to-many table becomes the Membership
model, kept in place, with a role column. The founder of each shop becomes its owner; the others
were trusted with everything but members before, and become managers (owners decide from there).
Invitations by e-mail and the append-only shop log are new."""

import django.db.models.deletion
import django.utils.timezone
import kernel.sentences
from django.conf import settings
from django.db import migrations, models


def founders_own_the_rest_manage(apps, schema_editor):
    Membership = apps.get_model("campaigns", "Membership")
    Shop = apps.get_model("campaigns", "Shop")
    for shop_id, owner_id in Shop.objects.values_list("pk", "owner_id"):
        # A founder missing from the members table is added back as the owner.
        Membership.objects.update_or_create(
            shop_id=shop_id, user_id=owner_id, defaults={"role": "owner"}
        )
        Membership.objects.filter(shop_id=shop_id).exclude(user_id=owner_id).update(
            role="manager"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0011_shipping_rates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table exists already (campaigns_shop_members): only Django's picture changes.
            state_operations=[
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "shop",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="campaigns.shop",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "member",
                        "verbose_name_plural": "members",
                        "db_table": "campaigns_shop_members",
                        "unique_together": {("shop", "user")},
                    },
                ),
                migrations.AlterField(
                    model_name="shop",
                    name="members",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="shops",
                        through="campaigns.Membership",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="members",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[("owner", "Owner"), ("manager", "Manager"), ("staff", "Staff")],
                default="staff",
                max_length=10,
                verbose_name="role",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="joined_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="joined"
            ),
        ),
        migrations.RunPython(founders_own_the_rest_manage, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(role__in=["owner", "manager", "staff"]),
                name="membership_role_known",
            ),
        ),
    ]
