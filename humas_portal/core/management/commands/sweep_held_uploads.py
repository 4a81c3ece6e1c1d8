"""Delete files held for forms that failed validation once no form can use
them any more (``humas_portal.core.held_uploads``). The portal sweeps by
itself while files are being held; this is for a cron job or by hand."""

from django.core.management.base import BaseCommand

from humas_portal.core.held_uploads import held_uploads_sweep


class Command(BaseCommand):
    help = "Hapus berkas formulir tersimpan yang sudah kedaluwarsa."

    def handle(self, *args, **options):
        deleted = held_uploads_sweep()
        self.stdout.write(f"{deleted} berkas tersimpan yang kedaluwarsa dihapus.")
