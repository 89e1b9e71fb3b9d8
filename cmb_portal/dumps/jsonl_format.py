"""Django's `jsonl` serialization format with the lossless encoder (see cmb_portal.dumps)."""

from django.core.serializers import jsonl as django_jsonl
from django.core.serializers.jsonl import Deserializer

from . import LosslessJSONEncoder

__all__ = ["Deserializer", "Serializer"]


class Serializer(django_jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = LosslessJSONEncoder
