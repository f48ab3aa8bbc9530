"""Council logos: every upload is decoded and drawn again by Pillow before it is stored.

A re-drawn image keeps only its pixels: no EXIF (a phone photo's location and camera), no text
chunks or colour profiles, and nothing hidden after the image data (a file that is also a script
or an archive). Only PNG and JPEG are taken, and the result is at most MAX_SIDE pixels a side."""

import uuid
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 1024 * 1024
MAX_SIDE = 1000  # the header shows it 40 px high; reports print it a few centimetres wide
# Refused before decoding: a small file can unpack to an enormous image.
MAX_SOURCE_PIXELS = 25_000_000
FORMATS = {"PNG": "png", "JPEG": "jpg"}

NOT_AN_IMAGE = "The logo must be a PNG or JPEG image."


def reencode_logo(upload) -> ContentFile:
    """A clean PNG or JPEG copy of an uploaded logo, or a ValidationError that says what to do."""
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise ValidationError({"logo": "The logo must be smaller than 1 MB."})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            source_format = image.format
            if source_format not in FORMATS:
                raise ValidationError({"logo": NOT_AN_IMAGE})
            if image.width * image.height > MAX_SOURCE_PIXELS:
                raise ValidationError(
                    {"logo": "The logo is too large. Use an image under 5,000 pixels across."}
                )
            image = ImageOps.exif_transpose(image)  # keep a phone photo the right way up
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            keep_alpha = source_format == "PNG" and (
                image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            )
            mode = "RGBA" if keep_alpha else "RGB"
            pixels = image.convert(mode)
            clean = Image.new(mode, pixels.size)
            clean.paste(pixels)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError({"logo": NOT_AN_IMAGE}) from error
    out = BytesIO()
    if source_format == "PNG":
        clean.save(out, format="PNG", optimize=True)
    else:
        clean.save(out, format="JPEG", quality=90, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{FORMATS[source_format]}")
