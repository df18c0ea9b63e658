"""Walks the URL configuration to list every API viewset route (for the isolation harness)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class ApiRoute:
    name: str
    basename: str
    detail: bool
    methods: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def _walk(patterns: list[URLPattern | URLResolver], namespace: str = "") -> list[URLPattern]:
    found: list[URLPattern] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found.extend(_walk(pattern.url_patterns))
        else:
            found.append(pattern)
    return found


def api_viewset_routes() -> list[ApiRoute]:
    routes: dict[str, ApiRoute] = {}
    for pattern in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        actions = getattr(callback, "actions", None)
        if not actions or pattern.name is None or pattern.name.endswith("-root"):
            continue
        if ".<drf_format_suffix" in str(pattern.pattern) or "format" in str(pattern.pattern.regex.pattern):
            continue
        routes[pattern.name] = ApiRoute(
            name=pattern.name,
            basename=callback.initkwargs["basename"],
            detail=bool(callback.initkwargs.get("detail")),
            methods=tuple(method for method in actions if method in callback.cls.http_method_names),
        )
    return sorted(routes.values(), key=lambda route: route.name)
