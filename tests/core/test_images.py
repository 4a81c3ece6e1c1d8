"""Checking and cleaning uploaded images (humas_portal.core.images).

Every file here is a real file made in the test: photos encoded by Pillow, a
hand-built PNG decompression bomb, text dressed up as a JPEG. The helpers at
the top are shared with the news tests.
"""

import io
import os
import struct
import subprocess
import sys
import textwrap
import zlib
from functools import lru_cache

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageSequence

from humas_portal.core.images import check_image, clean_copy, rendition

GPS_TAG = 0x8825  # ExifTags.IFD.GPSInfo


def photo(
    width=1200, height=800, *, format="JPEG", mode="RGB", colour=(30, 120, 200), **save_params
) -> bytes:
    """A real image file with a gradient, so encoders have something to do."""
    fill = {"RGB": colour, "RGBA": (*colour, 128)}.get(mode, 120)
    image = Image.new(mode, (width, height), fill)
    if mode in ("RGB", "RGBA"):
        for x in range(0, width, max(1, width // 16)):
            image.paste((x % 256, 80, 160) + ((255,) if mode == "RGBA" else ()), (x, 0, x + 4, height))
    buffer = io.BytesIO()
    image.save(buffer, format=format, **save_params)
    return buffer.getvalue()


def noisy_photo(width=400, height=400) -> bytes:
    """A JPEG of random pixels: it does not compress, so its size is predictable."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def gps_exif(*, orientation: int | None = None) -> Image.Exif:
    """EXIF with a GPS position (Kantor Kemenag Pasuruan) and a camera serial."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KameraContoh"
    exif[ExifTags.Base.BodySerialNumber] = "SN-1234567"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[GPS_TAG] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (7.0, 38.0, 42.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (112.0, 54.0, 12.0),
    }
    return exif


def photo_with_gps(width=1200, height=800, *, orientation: int | None = None) -> bytes:
    return photo(width, height, exif=gps_exif(orientation=orientation))


def upload(data: bytes, name="foto.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@lru_cache(maxsize=4)
def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid greyscale PNG of ``width`` × ``height`` black pixels: a few
    hundred KB on disk, 400 MB once decoded. Built chunk by chunk so that
    making it never holds the pixels in memory either."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    rows_per_block = 100
    block = bytes(width + 1) * rows_per_block  # filter byte 0, then the pixels
    parts = [compressor.compress(block) for _ in range(height // rows_per_block)]
    parts.append(compressor.compress(bytes(width + 1) * (height % rows_per_block)))
    parts.append(compressor.flush())
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b"")
    )


FAKES = {
    "text": b"Ini bukan foto, hanya catatan kegiatan.\n",
    "html": b"<html><body><script>alert('xss')</script></body></html>",
    "php": b"<?php system($_GET['cmd']); ?>",
    "empty": b"",
    "jpeg-magic-only": b"\xff\xd8\xff\xe0" + b"\x00" * 64,
}


def test_a_real_photo_is_accepted_with_its_format_and_size():
    checked = check_image(upload(photo(640, 480)))
    assert (checked.format, checked.width, checked.height, checked.frames) == ("JPEG", 640, 480, 1)


@pytest.mark.parametrize("kind", FAKES)
def test_a_file_named_jpg_that_is_not_an_image_is_refused(kind):
    with pytest.raises(ValidationError) as caught:
        clean_copy(upload(FAKES[kind], name="foto-kegiatan.jpg"))
    assert caught.value.code == "not_an_image"
    assert "bukan gambar yang valid" in caught.value.messages[0]


def test_a_truncated_photo_is_refused_not_crashed():
    """The header is fine, so only decoding the body finds the damage."""
    data = photo(800, 600, quality=95)
    with pytest.raises(ValidationError) as caught:
        clean_copy(upload(data[: len(data) // 3]))
    assert caught.value.code == "not_an_image"


def test_an_unsupported_format_is_refused_by_name():
    with pytest.raises(ValidationError) as caught:
        check_image(upload(photo(100, 100, format="BMP"), name="foto.jpg"))
    assert caught.value.code == "unsupported_format"
    assert "BMP tidak didukung" in caught.value.messages[0]


def test_an_oversized_file_is_refused_before_it_is_opened():
    data = noisy_photo(300, 300)
    with pytest.raises(ValidationError) as caught:
        check_image(upload(data), max_bytes=len(data) - 1)
    assert caught.value.code == "too_large"
    assert "melebihi batas" in caught.value.messages[0]


def test_the_size_limit_comes_from_settings(settings):
    data = photo(400, 400)
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(ValidationError, match="melebihi batas"):
        check_image(upload(data))
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data)
    assert check_image(upload(data)).width == 400


def test_a_caller_with_a_larger_limit_can_clean_a_larger_photo(settings):
    data = noisy_photo(300, 300)
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(ValidationError, match="melebihi batas"):
        clean_copy(upload(data))
    with Image.open(clean_copy(upload(data), max_bytes=len(data))) as image:
        assert image.size == (300, 300)


def test_too_many_pixels_is_refused_from_the_header(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as caught:
        check_image(upload(photo(1200, 1000, format="PNG"), name="poster.png"))
    assert caught.value.code == "too_many_pixels"
    assert "1200 × 1000 piksel" in caught.value.messages[0]


def test_a_decompression_bomb_is_refused_with_a_clear_message():
    data = png_bomb()
    assert len(data) < 1_000_000  # small on disk: the size limit alone would let it in
    with pytest.raises(ValidationError) as caught:
        clean_copy(upload(data, name="bom.png", content_type="image/png"))
    assert caught.value.code in ("decompression_bomb", "too_many_pixels")
    assert "bom dekompresi" in caught.value.messages[0] or "terlalu besar" in caught.value.messages[0]


def test_a_bomb_just_above_pillows_warning_limit_is_also_refused(settings):
    """Between Pillow's limit and twice it Pillow only warns; that is still a bomb."""
    settings.IMAGE_MAX_PIXELS = 200_000_000  # so only Pillow's own check stands in the way
    side = int((Image.MAX_IMAGE_PIXELS * 1.2) ** 0.5)
    with pytest.raises(ValidationError) as caught:
        check_image(upload(png_bomb(side, side), name="bom.png"))
    assert caught.value.code == "decompression_bomb"
    assert "bom dekompresi" in caught.value.messages[0]


def test_refusing_a_bomb_does_not_decode_it(tmp_path):
    """In a process whose address space is capped at 256 MB above what it
    already uses, cleaning the bomb is refused normally, while actually
    decoding it under the same cap runs out of memory (the control)."""
    bomb = tmp_path / "bom.png"
    bomb.write_bytes(png_bomb())
    script = textwrap.dedent(
        """
        import resource, sys
        import django
        django.setup()
        from django.core.exceptions import ValidationError
        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image
        from humas_portal.core.images import clean_copy

        data = open(sys.argv[1], "rb").read()
        status = open("/proc/self/status").read().split("VmSize:")[1].split()[0]
        cap = int(status) * 1024 + 256 * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        try:
            clean_copy(SimpleUploadedFile("bom.png", data, content_type="image/png"))
            print("ACCEPTED")
        except ValidationError as error:
            print("REFUSED", error.code)
        except MemoryError:
            print("OUT-OF-MEMORY")
        Image.MAX_IMAGE_PIXELS = None
        try:
            with Image.open(sys.argv[1]) as image:
                image.load()
            print("CONTROL-DECODED")
        except MemoryError:
            print("CONTROL-OUT-OF-MEMORY")
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "humas_portal.test_settings"}
    result = subprocess.run(
        [sys.executable, "-c", script, str(bomb)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stdout.split()
    assert result.returncode == 0, result.stderr
    assert lines[0] == "REFUSED", result.stdout
    assert lines[1] in ("decompression_bomb", "too_many_pixels")
    assert lines[-1] == "CONTROL-OUT-OF-MEMORY", "the memory cap must be tight enough to matter"


def test_the_clean_copy_has_no_exif_and_no_gps():
    original = photo_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(GPS_TAG), "the test photo must carry GPS to begin with"
    clean = clean_copy(upload(original, name="rapat-koordinasi.jpg"))
    data = clean.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (1200, 800)
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"Exif" not in data
    assert b"SN-1234567" not in data
    assert clean.name == "rapat-koordinasi.jpg"


def test_the_clean_copy_is_turned_upright_as_exif_said():
    """Orientation 6 means the camera was turned; the stored copy is rotated
    instead of relying on metadata it no longer has."""
    clean = clean_copy(upload(photo_with_gps(1200, 800, orientation=6)))
    with Image.open(clean) as image:
        assert image.size == (800, 1200)
        assert not image.getexif()


def test_png_text_and_exif_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "lokasi rumah: Jl. Contoh 12")
    original = photo(300, 200, format="PNG", pnginfo=info, exif=gps_exif())
    clean = clean_copy(upload(original, name="infografis.png", content_type="image/png")).read()
    assert b"Jl. Contoh" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.format == "PNG"
        assert not image.getexif()
        assert "Comment" not in image.info


def test_a_polyglot_loses_the_code_appended_to_the_image():
    payload = b"<?php system($_GET['cmd']); ?><script>alert(1)</script>"
    for format, name in (("JPEG", "foto.jpg"), ("GIF", "animasi.gif"), ("PNG", "foto.png")):
        data = clean_copy(upload(photo(200, 150, format=format) + payload, name=name)).read()
        assert payload not in data
        assert b"<?php" not in data


def test_an_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (60, 40), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    clean = clean_copy(upload(buffer.getvalue(), name="animasi.gif", content_type="image/gif"))
    with Image.open(clean) as image:
        assert image.format == "GIF"
        assert len(list(ImageSequence.Iterator(image))) == 3


def test_an_animation_counts_every_frame_against_the_pixel_limit(settings):
    settings.IMAGE_MAX_PIXELS = 100_000
    frames = [Image.new("RGB", (200, 200), (colour * 50, 0, 0)) for colour in range(5)]  # 40,000 px × 5
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(ValidationError) as caught:
        check_image(upload(buffer.getvalue(), name="animasi.gif"))
    assert caught.value.code == "too_many_pixels"
    assert "5 bingkai" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("size", "max_width", "expected"),
    [((2400, 1600), 320, (320, 213)), ((2400, 1600), 1600, (1600, 1067)), ((500, 300), 720, (500, 300))],
)
def test_a_rendition_is_webp_fitting_the_width_and_never_enlarged(size, max_width, expected):
    content = rendition(io.BytesIO(photo(*size)), max_width=max_width)
    with Image.open(content) as image:
        assert image.format == "WEBP"
        assert image.size == expected


def test_a_rendition_keeps_transparency():
    content = rendition(io.BytesIO(photo(400, 400, format="PNG", mode="RGBA")), max_width=200)
    with Image.open(content) as image:
        assert image.mode == "RGBA"
        assert image.size == (200, 200)
