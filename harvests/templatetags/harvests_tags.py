from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ figures|get_item:name }}`: a dict's value by a key held in a variable (0 when absent)."""
    return (mapping or {}).get(key, 0)
