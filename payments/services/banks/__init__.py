"""Reading bank statements ("mutasi rekening") as the banks' internet banking exports them: one
small reader per layout (BCA, Mandiri, BRI, BNI) and one for any CSV whose columns the seller
picks. No guessing: the seller says which bank the file is from, and a file that does not read
as that bank's layout is refused with the line that did not.

Every reader gives back the same Entries; matching them to orders is
payments/services/statements.py's job.
"""

from payments.services.banks import bca, bni, bri, mandiri
from payments.services.banks.common import Entry, Statement
from payments.services.banks.generic import Columns, parse_columns, preview_rows

# The layouts of payments.models.StatementImport.Layout, by value, to their reader.
READERS = {"bca": bca.parse, "mandiri": mandiri.parse, "bri": bri.parse, "bni": bni.parse}

__all__ = ["READERS", "Columns", "Entry", "Statement", "parse_columns", "preview_rows"]
