from django.core.exceptions import ValidationError

from .nip import NipError, parse_nip


def validate_nip(value: str) -> None:
    try:
        parse_nip(value)
    except NipError as error:
        raise ValidationError(str(error), code="invalid_nip") from None
