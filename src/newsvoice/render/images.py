"""Image bytes for a book: from the model (data: URLs), a local file next to the source, or
fetched with the same safety rules as articles. Every image is checked by Pillow before it
is embedded; anything else is left out with a reason."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from PIL import Image as PILImage

from ..errors import NewsvoiceError, reason
from ..limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from ..model import Image

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
MAX_PIXELS = 40_000_000
IMAGE_TYPES = tuple(FORMATS.values())


@dataclass(frozen=True, slots=True)
class Loaded:
    data: bytes
    media_type: str
    width: int
    height: int


def check_image(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """The image's type and size if it is a JPEG, PNG, GIF or WebP Pillow can read whole;
    ValueError otherwise (bombs included: nothing is decoded past the pixel cap)."""
    if len(data) > limits.max_image_bytes:
        raise ValueError(f"larger than {limits.max_image_bytes:,} bytes")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data), formats=list(FORMATS)) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise ValueError(f"{width}×{height} pixels is over the limit")
                kind = FORMATS[str(img.format)]
                img.verify()
    except ValueError:
        raise
    except (OSError, SyntaxError, KeyError, PILImage.DecompressionBombError, Warning) as exc:
        raise ValueError(f"not a readable JPEG, PNG, GIF or WebP image ({exc})") from exc
    return Loaded(data, kind, width, height)


def load_image(
    image: Image,
    *,
    fetch_remote: bool = False,
    allow_private: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Loaded:
    """The bytes of a model image, checked; ValueError says why it cannot be embedded."""
    if image.data is not None:
        return check_image(image.data, limits)
    url = image.url or ""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "file":
        return check_image(_read_local(url, limits), limits)
    if scheme in ("http", "https"):
        if not fetch_remote:
            raise ValueError("remote image not fetched (use --fetch-images)")
        try:
            from ..extract.fetch import fetch  # httpx only when an image is fetched

            got = fetch(url, allow_private=allow_private, limits=limits, accept=IMAGE_TYPES)
        except NewsvoiceError as exc:
            raise ValueError(str(exc)) from exc
        return check_image(got.content, limits)
    raise ValueError("no image data")


def _read_local(url: str, limits: Limits) -> bytes:
    path = Path(unquote(urlsplit(url).path))
    try:
        if not path.is_file():
            raise ValueError(f"{path} is not a regular file")
        if path.stat().st_size > limits.max_image_bytes:
            raise ValueError(f"larger than {limits.max_image_bytes:,} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {reason(exc)}") from exc
