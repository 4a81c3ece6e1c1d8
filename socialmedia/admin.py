from django.contrib import admin

from .models import Delivery, SocialAccount, SocialPost


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = ["display_name", "platform", "unit", "status", "last_checked_at"]
    list_filter = ["platform", "status"]
    search_fields = ["display_name", "account_id", "unit__name"]
    list_select_related = ["unit"]
    # Tokens are write-only and set through the portal's own form; the admin
    # must never render them back.
    exclude = ["access_token", "refresh_token"]
    readonly_fields = ["status_changed_at", "last_error", "last_checked_at", "created_by"]
    autocomplete_fields = ["unit"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["account", "state", "attempts", "next_attempt_at", "published_at", "platform_url", "last_error"]
    readonly_fields = fields
    can_delete = False


@admin.register(SocialPost)
class SocialPostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit", "status", "scheduled_at", "author"]
    list_filter = ["status"]
    search_fields = ["text", "title", "unit__name"]
    list_select_related = ["unit", "author"]
    raw_id_fields = ["unit", "author", "news_item", "decided_by"]
    filter_horizontal = ["accounts"]
    inlines = [DeliveryInline]
    # Workflow fields change only through the review services.
    readonly_fields = ["status", "submitted_at", "decided_at", "decided_by", "review_note"]
