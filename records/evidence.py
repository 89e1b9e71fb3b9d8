"""Evidence files are checked by their content, never by their name or declared type."""

from django.core.exceptions import ValidationError

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
ALLOWED = "PDF, JPG atau PNG"


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def check_evidence(upload) -> str:
    """Return the content type of a PDF, JPEG or PNG up to 5 MB; refuse anything else."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": "Berkas terlalu besar: paling besar 5 MB."})
    if upload.size == 0:
        raise ValidationError({"file": "Berkas kosong."})
    upload.seek(0)
    content_type = sniff(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise ValidationError(
            {"file": f"Isi berkas bukan {ALLOWED} (jenis berkas diperiksa dari isinya)."}
        )
    if content_type == "application/pdf":
        # Every PDF ends with an end-of-file marker (maybe followed by whitespace or, after an
        # incremental save, within the last kilobyte): a header alone is not a document.
        upload.seek(max(upload.size - 1024, 0))
        tail = upload.read()
        upload.seek(0)
        if b"%%EOF" not in tail:
            raise ValidationError({"file": "Berkas PDF rusak atau tidak lengkap."})
    else:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError({"file": "Gambar rusak atau tidak dapat dibaca."}) from None
        finally:
            upload.seek(0)
    return content_type
