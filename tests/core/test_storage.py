"""The one private-file storage that PPID, Dumas and monitoring share."""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models

from humas_portal.core.storage import PrivateStorage, private_storage


def test_a_private_file_lands_under_the_current_private_root(settings, tmp_path):
    """The root is read when a file is saved, so moving PRIVATE_MEDIA_ROOT
    takes effect at once."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "first"
    name = private_storage.save("surat/a.txt", ContentFile(b"rahasia"))
    assert (tmp_path / "first" / name).read_bytes() == b"rahasia"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "second"
    assert not private_storage.exists(name)


def test_a_private_file_has_no_url(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    with pytest.raises(ValueError, match="no public URL"):
        private_storage.url("surat/a.txt")


def test_migrations_record_the_storage_without_a_path():
    assert PrivateStorage().deconstruct() == ("humas_portal.core.storage.PrivateStorage", (), {})


@pytest.mark.parametrize(
    ("app_label", "fields"),
    [
        ("ppid", {"DipDocument.file", "RequestAttachment.file", "IdentityDocument.file", "Notice.file"}),
        ("dumas", {"ComplaintAttachment.file"}),
        ("monitoring", {"EvaluationExport.workbook", "EvaluationExport.summary_pdf"}),
    ],
)
def test_every_private_file_field_uses_the_shared_storage(app_label, fields):
    """Files of these apps are never stored where MEDIA_URL reaches them."""
    found = {
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config(app_label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert found == fields
    for label in found:
        model_name, field_name = label.split(".")
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        assert isinstance(field.storage, PrivateStorage), label
