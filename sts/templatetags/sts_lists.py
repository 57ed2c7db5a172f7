"""Template helpers of `sts.lists.Listing` (the header row is templates/lists/_head.html, the page
links and page-size choice templates/lists/_pager.html)."""
from django import template

register = template.Library()


@register.filter
def page_url(listing, number):
    """`{{ listing|page_url:3 }}`: the query string of page 3, every other parameter kept."""
    return listing.page_url(number)
