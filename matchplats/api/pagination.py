from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """``?page=2&page_size=50``: 25 rows a page by default, at most 100. ``count`` counts only rows
    the caller may read, because it counts the same visible queryset the rows come from."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
