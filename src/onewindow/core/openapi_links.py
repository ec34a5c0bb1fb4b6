"""The OpenAPI ``links`` between the API's operations, derived from the paths and the
answers' shapes (never written per operation), so a client, or a fuzzer, can follow a
record from the operation that makes or shows it to every operation that takes it in
its path, including operations added later.

A path parameter ``{p}`` right after a literal segment ``c`` (``/cases/{case_id}``,
``/windows/{window_id}/tickets/{ticket_id}/call``) names a resource ``(c, p)``. An
operation hands one over when its answer is

- the resource's own shape: the shape its item path answers (``GET /cases/{case_id}``),
  or the shape at least two of its actions answer (``…/tickets/{ticket_id}/call``,
  ``…/start``), the signature of "the action answers the record it changed";
- a new member of the collection (``POST …/c`` answering 201, or 202 for a job) or a page of it
  (``GET …/c`` answering ``{"items": [...]}`` or a list): the first member is followed;
  a collection is matched by name within the same area of the API (``/hall/…``);
- or an object holding the resource's shape in a field (``call-next`` answers
  ``{"ticket": {...}}``), or a list of them (``{"windows": [...]}``).

A collection whose name differs from where its members are made or shown is matched by
its members' shape too: what its list pages hold (a listing's ``…/requests`` answer the
shape ``GET /catalog/change-requests`` lists, so they hand over a change request). A field
named like a collection of the area, or like one of its members, holds that collection's
members (a staff person's ``{"secondments": [...], "spot_checks": [...]}``, a roster
row's ``{"person": {...}}`` of ``/staff/people/{profile_id}``).

A link goes only where the source's caller may go: to a public operation or one that
takes a credential the source takes (staff answers do not lead to the citizen's reads).

The value is the answer's field named like the parameter, else its ``id``, else the one
field that qualifies the name (``center_code`` for ``{code}``). The target's
other path parameters come from the source's own path when it has them
(``$request.path.window_id``), else from the answer's field of that name; a query
parameter that proves the caller holds the record (an issued ticket's ``token``, which
its progress read asks for) comes from the answer too; the rest are left to the caller. A pure module: it reads and writes the schema's dictionaries only.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

METHODS = ("get", "put", "post", "delete", "patch")
REF = "#/components/schemas/"
Key = tuple[str, str]
# Members named otherwise than by dropping the collection's "s".
MEMBER_NAMES = {"people": "person", "children": "child", "statuses": "status"}
# Fields that hold a collection's members under another name: the citizen's affairs list
# their cases in progress as "running" and their consultations as "inquiries".
MEMBER_FIELDS = {"cases": {"running"}, "consultations": {"inquiries"}}
# Query parameters that prove the caller holds the record (a ticket's look-up token),
# taken from the answer that made it; other query parameters are the caller's choice.
HELD_BY_ANSWER = {"token"}


def add_links(schema: dict) -> dict:
    """Adds the derived links to ``schema`` (in place) and returns it."""
    components = schema.get("components", {}).get("schemas", {})
    operations = list(_operations(schema))
    area = _areas([path for path, _, _ in operations])
    keys: dict[Key, set[str]] = defaultdict(set)
    for path, _, _ in operations:
        for key in filter(None, _keys(path).values()):
            keys[key].add(area(path))
    items = _item_shapes(operations, components)
    for key, shapes in _member_shapes(operations, components, keys, area).items():
        items[key] |= shapes
    for source in operations:
        answer = _answer(source[2], components)
        if answer is None:
            continue
        within = {key for key, areas in keys.items() if area(source[0]) in areas}
        values = _resource_values(source, answer, items, within, components)
        if not values:
            continue
        properties = _properties(answer[1], components)
        links = {}
        for target in operations:
            if target[2] is source[2] or not _same_caller(source[2], target[2]):
                continue
            parameters = _parameters(source, values, properties, target)
            if parameters:
                links[target[2]["operationId"]] = {
                    "operationId": target[2]["operationId"],
                    "parameters": parameters,
                }
        if links:
            response = source[2]["responses"][answer[0]]
            response["links"] = {**response.get("links", {}), **links}
    return schema


def _same_caller(source: dict, target: dict) -> bool:
    """Whether the caller of ``source`` may call ``target``: the target is public, or
    takes a credential the source takes (a clerk's answer never leads to the citizen's
    read of the same record, which is 401 for them)."""
    if not source.get("security") or not target.get("security"):
        return True
    schemes = {name for requirement in source["security"] for name in requirement}
    return any(name in schemes for requirement in target["security"] for name in requirement)


def _areas(paths: list[str]):
    """The area of a path: its first segment after the prefix all paths share
    (``hall`` in ``/api/v1/hall/…``)."""
    split = [_segments(path) for path in paths]
    shared = 0
    while split and all(len(s) > shared + 1 and s[shared] == split[0][shared] for s in split):
        shared += 1
    return lambda path: (_segments(path) + [""])[shared]


def _operations(schema: dict):
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is not None and operation.get("operationId"):
                yield path, method, operation


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _param(segment: str) -> str | None:
    return segment[1:-1] if segment.startswith("{") and segment.endswith("}") else None


@lru_cache(maxsize=1024)
def _keys(path: str) -> dict[str, Key | None]:
    """Each path parameter with the resource it names (None after another parameter)."""
    segments, keys = _segments(path), {}
    for i, segment in enumerate(segments):
        name = _param(segment)
        if name is not None:
            before = segments[i - 1] if i else None
            keys[name] = None if before is None or _param(before) else (before, name)
    return keys


def _ref(node: dict) -> str | None:
    """The component a schema node refers to, directly or as the one non-null choice."""
    if "$ref" in node and node["$ref"].startswith(REF):
        return node["$ref"][len(REF) :]
    choices = [c for c in node.get("anyOf", node.get("oneOf", [])) if c.get("type") != "null"]
    return _ref(choices[0]) if len(choices) == 1 else None


def _properties(node: dict, components: dict) -> dict:
    name = _ref(node)
    shape = components.get(name, {}) if name else node
    return shape.get("properties", {}) if shape.get("type", "object") == "object" else {}


def _answer(operation: dict, components: dict) -> tuple[object, dict] | None:
    """The first success answer with a JSON body: its status key and body schema."""
    for code in sorted(operation.get("responses", {}), key=str):
        if str(code).startswith("2"):
            content = operation["responses"][code].get("content", {})
            body = content.get("application/json", {}).get("schema")
            if body:
                return code, body
    return None


def _value(properties: dict, name: str, pointer: str) -> str | None:
    if name in properties:
        return f"$response.body#{pointer}/{name}"
    if (name == "id" or name.endswith("_id")) and "id" in properties:
        return f"$response.body#{pointer}/id"
    qualified = [field for field in properties if field.endswith(f"_{name}")]
    if len(qualified) == 1:  # the channels of a center by its code: "center_code"
        return f"$response.body#{pointer}/{qualified[0]}"
    return None


def _item_shapes(operations: list, components: dict) -> dict[Key, set[str]]:
    """Each resource's own shapes: what its item path answers (200), and what two or more
    of its actions answer."""
    shapes: dict[Key, set[str]] = defaultdict(set)
    by_action: dict[tuple[Key, str], set[str]] = defaultdict(set)
    for path, _method, operation in operations:
        answer = _answer(operation, components)
        name = _ref(answer[1]) if answer else None
        segments = _segments(path)
        if name is None or len(segments) < 2:
            continue
        last, keys = segments[-1], _keys(path)
        if _param(last) and keys.get(_param(last)):
            if str(answer[0]) == "200":  # a 201 there creates something under the item
                shapes[keys[_param(last)]].add(name)
        elif len(segments) > 2 and _param(segments[-2]) and keys.get(_param(segments[-2])):
            by_action[(keys[_param(segments[-2])], name)].add(last)
    for (key, name), actions in by_action.items():
        if len(actions) > 1:
            shapes[key].add(name)
    return shapes


def _member_shapes(operations: list, components: dict, keys: dict, area) -> dict:
    """Each resource's members' shape: what a page of its collection (``GET …/c``, in an
    area where ``(c, p)`` is named) holds."""
    shapes: dict[Key, set[str]] = defaultdict(set)
    for path, method, operation in operations:
        segments = _segments(path)
        answer = _answer(operation, components)
        if method != "get" or answer is None or not segments or _param(segments[-1]):
            continue
        body = answer[1]
        properties = _properties(body, components)
        if body.get("type") == "array":
            member = _ref(body.get("items", {}))
        elif properties.get("items", {}).get("type") == "array":
            member = _ref(properties["items"].get("items", {}))
        else:
            continue
        for key, areas in keys.items():
            if member and key[0] == segments[-1] and area(path) in areas:
                shapes[key].add(member)
    return shapes


def _field_names(collection: str) -> set[str]:
    """The fields that hold a collection's members: its name, or a member's."""
    plural = collection.replace("-", "_")
    single = MEMBER_NAMES.get(plural, plural[:-1] if plural.endswith("s") else plural)
    return {plural, single} | MEMBER_FIELDS.get(plural, set())


def _resource_values(source, answer, items: dict[Key, set[str]], keys: set[Key], components):
    """The resources ``source`` hands over: ``(c, p)`` → (value expression, pointer).
    ``keys`` are the resources named in the source's area, the only ones its collection
    can be (``/evaluation/spot-checks`` are not ``/staff/spot-checks/{check_id}``)."""
    path, method, _operation = source
    code, body = answer
    name, segments = _ref(body), _segments(path)
    properties = _properties(body, components)
    found: dict[Key, tuple[str, str]] = {}

    def offer(key: Key, props: dict, pointer: str) -> None:
        value = _value(props, key[1], pointer)
        if value is not None and key not in found:
            found[key] = (value, pointer)
        for field in sorted(_field_names(key[0]) & set(props) - {"items"}):
            node = props[field]  # a row that holds the member: {"person": {"id": …}}
            if node.get("type") != "array" and key not in found:
                inner = _properties(node, components)
                value = _value(inner, key[1], f"{pointer}/{field}")
                if value is not None:
                    found[key] = (value, f"{pointer}/{field}")

    collection = segments[-1] if segments and not _param(segments[-1]) else None
    for key, shapes in items.items():
        if name in shapes:
            offer(key, properties, "")
        for field, node in properties.items():
            inner = node.get("items", {}) if node.get("type") == "array" else node
            if _ref(inner) in shapes:
                pointer = f"/{field}/0" if inner is not node else f"/{field}"
                offer(key, _properties(inner, components), pointer)
    for key in keys:
        for field in sorted(_field_names(key[0]) & set(properties) - {"items"}):  # items: a page
            node = properties[field]
            inner = node.get("items", {}) if node.get("type") == "array" else node
            pointer = f"/{field}/0" if inner is not node else f"/{field}"
            offer(key, _properties(inner, components), pointer)
        if key[0] != collection:
            continue
        if method == "post" and str(code) in ("201", "202"):  # made, or being made
            offer(key, properties, "")
        elif method == "get" and body.get("type") == "array":
            offer(key, _properties(body.get("items", {}), components), "/0")
        elif method == "get" and properties.get("items", {}).get("type") == "array":
            offer(key, _properties(properties["items"].get("items", {}), components), "/items/0")
    return found


def _parameters(source, values: dict, properties: dict, target) -> dict[str, str]:
    """The link's parameters from ``source`` to ``target``, or {} when no resource of
    the answer reaches the target."""
    target_keys = _keys(target[0])
    source_params = set(_keys(source[0]))
    linked = {name: values[key][0] for name, key in target_keys.items() if key and key in values}
    if not linked:
        return {}
    pointer = next(values[key][1] for name, key in target_keys.items() if name in linked)
    properties = properties if not pointer else {}
    parameters = {}
    for name in target_keys:
        if name in linked:
            parameters[name] = linked[name]
        elif name in source_params:
            parameters[name] = f"$request.path.{name}"
        elif name in properties:
            parameters[name] = f"$response.body#/{name}"
    for parameter in target[2].get("parameters", []):
        name = parameter.get("name")
        if parameter.get("in") == "query" and name in HELD_BY_ANSWER and name in properties:
            parameters[name] = f"$response.body#/{name}"
    return parameters
