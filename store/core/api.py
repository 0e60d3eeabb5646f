"""The JSON API under /api/v1: blueprints, request parsing, and the OpenAPI document.

An endpoint is declared once with @endpoint(...): its rule, who may call it, and the pydantic models of
its body, query and answer. The same declaration validates requests and writes the OpenAPI document, so
the document lists exactly the endpoints that exist.
"""

import functools
import re
from collections.abc import Callable, Iterable

from flask import Blueprint, Flask, current_app, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError
from werkzeug.routing import Rule

from store.core.access import PUBLIC, SIGNED_IN, Role, public
from store.core.bounds import PATH_ID_SCHEMA, PATTERN_MESSAGES
from store.core.errors import ValidationError

PREFIX = "/api/v1"


class Schema(BaseModel):
    """Base of request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


def api_blueprint(name: str) -> Blueprint:
    return Blueprint(name, __name__, url_prefix=PREFIX)


def endpoint(
    bp: Blueprint,
    rule: str,
    *,
    methods: Iterable[str] = ("GET",),
    roles: Iterable[Role] | str,
    summary: str,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    produces: str = "application/json",
    tag: str | None = None,
    answers: dict[int, str] | None = None,
) -> Callable[[Callable], Callable]:
    """Declare an API endpoint. The view gets `body=` and `query=` as parsed models. `answers`:
    more answers to document, status → what it means (a 2xx one carries the response model)."""
    access = roles if isinstance(roles, str) else frozenset(roles)

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def view(**kwargs):
            if body is not None:
                kwargs["body"] = parse(body, request.get_json(silent=True))
            if query is not None:
                kwargs["query"] = parse(query, request.args.to_dict())
            result = fn(**kwargs)
            if isinstance(result, BaseModel | dict | list):
                return jsonify(_dump(result)), status
            if isinstance(result, tuple) and isinstance(result[0], BaseModel | dict | list):
                return (jsonify(_dump(result[0])), *result[1:])
            return result

        view._access = access
        view._openapi = {
            "summary": summary,
            "description": (fn.__doc__ or "").strip(),
            "body": body,
            "query": query,
            "response": response,
            "status": status,
            "produces": produces,
            "answers": answers or {},
            "tag": tag or bp.name.removesuffix("_api"),
        }
        bp.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=list(methods))
        return view

    return decorate


def _dump(result):
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    return result


def parse(model: type[BaseModel], data) -> BaseModel:
    """Validate input; a mistake becomes a 422 problem with one entry per field."""
    if data is None:
        raise ValidationError(_("The request body must be a JSON object."))
    try:
        return model.model_validate(data)
    except PydanticValidationError as error:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]) or None, "message": _message(e)}
            for e in error.errors(include_url=False)
        ]
        first = errors[0]
        detail = (
            _("Invalid input in %(field)s: %(message)s", **first)
            if first["field"]
            else (first["message"])
        )
        raise ValidationError(detail, errors=errors) from None


def _message(error: dict) -> str:
    """pydantic's message, except for our patterns, whose regular expression says little to a user."""
    pattern = (error.get("ctx") or {}).get("pattern")
    return PATTERN_MESSAGES.get(pattern, error["msg"])


# ---------------------------------------------------------------- OpenAPI

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_PARAM_TYPES = {"int": PATH_ID_SCHEMA, "uuid": {"type": "string", "format": "uuid"}}
_PROBLEM_CODES = ("400", "401", "403", "404", "409", "422", "503")


def _problem_schema() -> dict:
    """The schema of a problem+json answer (RFC 9457)."""
    return {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object"}},
        },
        "required": ["title", "status", "detail"],
    }


def openapi_document(app: Flask) -> dict:
    """The OpenAPI 3.1 document of every /api/v1 rule of the app."""
    paths: dict = {}
    components: dict = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith(PREFIX):
            path = _PARAM.sub(r"{\2}", rule.rule[len(PREFIX) :]) or "/"
            paths.setdefault(path, {}).update(
                _operations(rule, app.view_functions[rule.endpoint], components)
            )
    components["Problem"] = _problem_schema()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kaufhaus API",
            "version": "1",
            "description": (
                "Send `Authorization: Bearer <token>` (a read token may only GET). Errors are "
                "application/problem+json; input outside the documented bounds is 422 naming the "
                "field; 503 with Retry-After while the database cannot be reached."
            ),
        },
        "servers": [{"url": PREFIX}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Problem": {
                    "description": "An error",
                    "content": {
                        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                    },
                }
            },
        },
        "security": [{"bearer": []}],
    }


def _operations(rule: Rule, view: Callable, components: dict) -> dict:
    """The operations (one per HTTP method) of one rule, by lower-case method."""
    meta = getattr(view, "_openapi", None) or {"summary": rule.endpoint, "status": 200}
    parameters = _parameters(rule, meta.get("query"), components)
    access = getattr(view, "_access", None)
    return {
        method.lower(): _operation(rule.endpoint, method, meta, parameters, access, components)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    }


def _parameters(rule: Rule, query: type[BaseModel] | None, components: dict) -> list[dict]:
    """The path parameters of a rule, then the fields of its query model (the models these use go
    to the components, so every reference resolves)."""
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": _PARAM_TYPES.get(conv or "", {"type": "string"}),
        }
        for conv, name in _PARAM.findall(rule.rule)
    ]
    if query:
        schema = query.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        for name, prop in schema.get("properties", {}).items():
            required = name in schema.get("required", [])
            parameters.append({"name": name, "in": "query", "required": required, "schema": prop})
    return parameters


def _operation(
    endpoint_name: str, method: str, meta: dict, parameters: list, access, components: dict
) -> dict:
    """One operation: summary, parameters, request body, answers and who may call it."""
    op: dict = {
        "operationId": endpoint_name.replace(".", "_") + "_" + method.lower(),
        "summary": meta["summary"],
        "tags": [meta.get("tag") or "api"],
        "responses": {},
    }
    if meta.get("description"):
        op["description"] = meta["description"]
    if parameters:
        op["parameters"] = parameters
    if meta.get("body"):
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _schema_ref(meta["body"], components)}},
        }
    op["responses"][str(meta.get("status", 200))] = _answer(meta, components)
    for code, text in (meta.get("answers") or {}).items():
        if code < 300:
            op["responses"][str(code)] = {**_answer(meta, components), "description": text}
        else:
            op["responses"][str(code)] = {
                "description": text,
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            }
    problem = {"$ref": "#/components/responses/Problem"}
    for code in _PROBLEM_CODES:
        op["responses"].setdefault(code, problem)
    if access == PUBLIC:
        op["security"] = []
    elif access not in (None, SIGNED_IN):
        op["x-roles"] = sorted(str(r) for r in access)
    return op


def _answer(meta: dict, components: dict) -> dict:
    """The successful answer of an operation."""
    ok: dict = {"description": "OK"}
    if meta.get("response"):
        ok["content"] = {"application/json": {"schema": _schema_ref(meta["response"], components)}}
    elif meta.get("produces") and meta["produces"] != "application/json":
        ok["content"] = {meta["produces"]: {}}
    return ok


def _schema_ref(model: type[BaseModel], components: dict) -> dict:
    """Add a model's JSON schema (and the models it uses) to the components; a reference to it."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in [*schema.pop("$defs", {}).items(), (model.__name__, schema)]:
        # two models of one name would share one schema and one of them would be documented wrong
        if components.get(name, sub) != sub:
            raise TypeError(f"two API models are named {name}: give one of them another name")
        components[name] = sub
    return {"$ref": f"#/components/schemas/{model.__name__}"}


docs_bp = api_blueprint("docs_api")


@docs_bp.get("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document(current_app))


def init_app(app: Flask) -> None:
    app.register_blueprint(docs_bp)
