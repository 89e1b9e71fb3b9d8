"""`dumpdata`/`loaddata` JSON that keeps every microsecond (settings.SERIALIZATION_MODULES:
cmb_portal.dumps.json_format and .jsonl_format).

Django's JSON encoder cuts datetimes and times to milliseconds. The audit chain hashes each
entry's timestamp to the microsecond (approvals.models.AuditEntry.payload), so a whole-database
dump with the stock encoder loads back with every hash broken. These formats are Django's own
`json` and `jsonl`, with only the encoder changed; files they write load with stock Django too.
"""

from __future__ import annotations

import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.timezone import is_aware


class LosslessJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)
