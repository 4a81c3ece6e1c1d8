"""Django admin for news: categories and tags to manage, news items to look
up. News is written and decided on the desk (/meja/), never here, so the
admin cannot change an item's status or text and cannot bypass the workflow,
the sanitiser or the revisions."""

from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import policy
from .models import Category, NewsItem, NewsRevision, NewsSubscription, NewsTag, Tag
from .selectors import invalidate_public_cache


class NewsRevisionInline(admin.TabularInline):
    model = NewsRevision
    fields = ["number", "title", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class NewsTagInline(admin.TabularInline):
    """An item's tags. The tag table carries the publication time (see
    ``NewsTag``), so the admin edits its rows rather than a plain
    many-to-many field; whoever may change the item may change its tags."""

    model = NewsTag
    fields = ["tag"]
    autocomplete_fields = ["tag"]
    extra = 0
    verbose_name = _("tag")
    verbose_name_plural = _("tag")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("news.view_newsitem") or self.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("news.change_newsitem")

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "status", "author", "submitted_at", "published_at"]
    list_filter = ["status", "priority_program", "category", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "lead", "slug"]
    list_select_related = ["unit", "author"]
    date_hierarchy = "published_at"
    # Only the classification may be tidied up here; everything else goes
    # through the desk services.
    fields = [
        "desk_link",
        "title",
        "slug",
        "status",
        "unit",
        "author",
        "lead",
        "category",
        "priority_program",
        "dateline",
        "reporter",
        "editor_credit",
        "photo_credit",
        "event_date",
        "publish_at",
        "published_at",
        "submitted_at",
        "decided_at",
        "decided_by",
        "review_note",
        "view_count",
    ]
    readonly_fields = [field for field in fields if field not in {"category", "priority_program"}]
    inlines = [NewsTagInline, NewsRevisionInline]

    @admin.display(description=_("meja redaksi"))
    def desk_link(self, obj):
        if obj.pk is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("news:desk_detail", args=[obj.pk]), _("Buka di meja redaksi")
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(policy.visible_items(request.user))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The tag rows of the inline are saved one by one, not through
        # ``item.tags`` whose change signal refreshes the public pages.
        if form.instance.is_published:
            transaction.on_commit(invalidate_public_cache)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Taking news down is an unpublishing with a reason, on the desk.
        return request.user.is_superuser


class _ManagedByAdminHumas:
    """Categories and tags are managed by superusers and by Admin Humas
    (who also need ``is_staff`` to open the admin site)."""

    def _may_manage(self, request) -> bool:
        return request.user.is_superuser or policy.can(request.user, policy.MANAGE_CATEGORIES)

    def has_module_permission(self, request):
        return self._may_manage(request)

    def has_view_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_add_permission(self, request):
        return self._may_manage(request)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request)


@admin.register(Category)
class CategoryAdmin(_ManagedByAdminHumas, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(_ManagedByAdminHumas, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(NewsSubscription)
class NewsSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "unit", "confirmed_at", "created_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["email"]
    list_select_related = ["unit"]
    fields = ["email", "unit", "confirmed_at", "created_at"]
    readonly_fields = ["confirmed_at", "created_at"]
    # Readers subscribe and confirm themselves; the admin only looks up and
    # removes (a reader asking by mail to be taken off the list).

    def has_add_permission(self, request):
        return False
