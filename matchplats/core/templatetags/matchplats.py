from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}``: a dictionary lookup with a variable key."""
    return mapping.get(key) if mapping else None


@register.filter
def in_language(item: dict, key: str = "text"):
    """``item[key]``, or ``item[key + "_en"]`` when the page is in English and it exists: the
    matcher's reasons and fit levels carry both languages."""
    from django.utils.translation import get_language

    if (get_language() or "").startswith("en"):
        return item.get(f"{key}_en") or item.get(key, "")
    return item.get(key, "")


@register.filter
def breakable_name(name: str):
    """``language_integrated_welcome`` → ``language_<wbr>integrated_<wbr>welcome``: a long
    snake_case name may wrap after an underscore in a narrow column, and nowhere else."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    return mark_safe(escape(name).replace("_", "_<wbr>"))
