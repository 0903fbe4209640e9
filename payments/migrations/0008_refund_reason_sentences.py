"""The refund's reason becomes a sentence read in each reader's language (kernel/sentences.py);
what was written before stays as written."""

import kernel.sentences
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("payments", "0007_statements_and_payment_sources")]

    operations = [
        migrations.AddField(
            model_name="refund",
            name="reason_sentence",
            field=kernel.sentences.SentenceField(verbose_name="reason"),
        ),
        kernel.sentences.text_to_sentences("payments", "refund", "reason"),
        migrations.RemoveField(model_name="refund", name="reason"),
        migrations.RenameField(model_name="refund", old_name="reason_sentence", new_name="reason"),
    ]
