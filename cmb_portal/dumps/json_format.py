"""Django's `json` serialization format with the lossless encoder (see cmb_portal.dumps)."""

from django.core.serializers import json as django_json
from django.core.serializers.json import Deserializer

from . import LosslessJSONEncoder

__all__ = ["Deserializer", "Serializer"]


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = LosslessJSONEncoder
