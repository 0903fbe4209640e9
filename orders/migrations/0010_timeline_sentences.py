"""The orderevent's note becomes a sentence read in each reader's language (kernel/sentences.py);
what was written before stays as written."""

import kernel.sentences
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0009_transfer_amounts")]

    operations = [
        migrations.AddField(
            model_name="orderevent",
            name="note_sentence",
            field=kernel.sentences.SentenceField(verbose_name="note"),
        ),
        kernel.sentences.text_to_sentences("orders", "orderevent", "note"),
        migrations.RemoveField(model_name="orderevent", name="note"),
        migrations.RenameField(model_name="orderevent", old_name="note_sentence", new_name="note"),
    ]
