"""The campaignevent's note becomes a sentence read in each reader's language (kernel/sentences.py);
what was written before stays as written."""

import kernel.sentences
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0009_unique_codes_widen")]

    operations = [
        migrations.AddField(
            model_name="campaignevent",
            name="note_sentence",
            field=kernel.sentences.SentenceField(verbose_name="note"),
        ),
        kernel.sentences.text_to_sentences("campaigns", "campaignevent", "note"),
        migrations.RemoveField(model_name="campaignevent", name="note"),
        migrations.RenameField(model_name="campaignevent", old_name="note_sentence", new_name="note"),
    ]
