"""Admin pages for the PPID app, for the portal's superusers.

Requests and objections are read-only here: their state changes only through
the services (deadlines, notices, audit rows). Identity numbers and identity
documents are left out entirely; they are shown only on the logged staff page.
"""

from django.contrib import admin

from .models import AnnualReport, DipDocument, DipEntry, Objection, PpidOfficial, PpidProfile, PpidRequest


class PpidOfficialInline(admin.TabularInline):
    model = PpidOfficial
    extra = 0


@admin.register(PpidProfile)
class PpidProfileAdmin(admin.ModelAdmin):
    list_display = ("unit", "is_published", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    inlines = [PpidOfficialInline]


class DipDocumentInline(admin.TabularInline):
    model = DipDocument
    extra = 0
    fields = ("title", "original_name", "size", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DipEntry)
class DipEntryAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "category", "is_published", "updated_at")
    list_filter = ("category", "is_published")
    search_fields = ("title", "unit__name")
    autocomplete_fields = ("unit",)
    inlines = [DipDocumentInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PpidRequest)
class PpidRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "registration_number",
        "unit",
        "status",
        "decision",
        "received_on",
        "due_on",
        "extended_due_on",
    )
    list_filter = ("status", "decision", "year")
    search_fields = ("registration_number", "unit__name")
    list_select_related = ("unit",)
    fields = (
        "registration_number",
        "unit",
        "status",
        "requester_kind",
        "name",
        "information_requested",
        "purpose",
        "received_at",
        "due_on",
        "extended_due_on",
        "extension_reason",
        "decision",
        "decided_at",
        "closed_at",
        "identity_purged_at",
    )


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("registration_number", "status", "outcome", "filed_on", "due_on")
    list_filter = ("status", "outcome")
    search_fields = ("registration_number", "request__registration_number")
    fields = (
        "registration_number",
        "request",
        "grounds",
        "reasons",
        "status",
        "filed_on",
        "due_on",
        "outcome",
        "answer",
    )


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ("unit", "year", "published_at")
    list_filter = ("year",)
    fields = (
        "unit",
        "year",
        "overview",
        "constraints_text",
        "recommendations",
        "komisi_disputes",
        "published_at",
    )
