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
