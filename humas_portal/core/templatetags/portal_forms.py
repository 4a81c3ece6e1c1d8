"""Template helpers of the portal's forms: the error summary
(``templates/core/_error_summary.html``) and choice labels that fit a phone."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def error_anchor(bound_field) -> str:
    """The id of the element a summary link of this field jumps to: its
    input, or the first choice of a radio or checkbox group (which has no
    single label target of its own)."""
    widget = bound_field.field.widget
    auto_id = bound_field.auto_id
    if not auto_id:
        return ""
    return widget.id_for_label(auto_id) or widget.id_for_label(auto_id, "0") or auto_id


@register.filter
def break_after_slashes(text) -> str:
    """Let a label such as "Melihat/membaca/mendengarkan/mencatat" wrap after
    its slashes: browsers never break a line there, so one such word makes a
    form wider than a phone."""
    return mark_safe(conditional_escape(text).replace("/", "/<wbr>"))  # noqa: S308 (escaped first)


@register.filter
def summary_label(label) -> str:
    """A field's label as the start of a summary line ("Label: error"),
    without the full stop a sentence-long label ends with."""
    return str(label).rstrip(" .:")
