"""Admin pages of the Dumas app.

Only QR locations are here. Complaints are deliberately not: the admin would
show a confidential complainant's identity to any superuser, outside the
policy and the access log; officers work on them in the desk pages.
"""

from django.contrib import admin

from .models import ComplaintLocation


@admin.register(ComplaintLocation)
class ComplaintLocationAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    readonly_fields = ["token", "created_by", "created_at"]
    autocomplete_fields = ["unit"]
