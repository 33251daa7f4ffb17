"""Decoding a Bot API call's parameters as Telegram does: query string, form, JSON or multipart."""

from __future__ import annotations

import json
import math
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from fakeapi.http import Request
from fakeapi.models import JSONDict, UploadedFile

STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "parse_mode",
        "url",
        "secret_token",
        "description",
        "short_description",
        "name",
        "title",
        "language_code",
        "business_connection_id",
        "message_effect_id",
    }
)


def decode_value(name: str, raw: str) -> Any:
    """Undo PTB's `json_value`: non-str values arrive JSON-encoded, str values arrive as they are."""
    if name in STRING_PARAMS:
        return raw
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(value, float) and not math.isfinite(value):
        return raw  # "NaN" / "Infinity" are words here, not numbers
    return value if isinstance(value, dict | list | int | float | bool) else raw


def parse_params(query: str, request: Request) -> tuple[JSONDict, dict[str, UploadedFile]]:
    params: JSONDict = {k: decode_value(k, v) for k, v in parse_qsl(query, keep_blank_values=True)}
    files: dict[str, UploadedFile] = {}
    content_type = request.headers.get("content-type", "")
    kind = content_type.split(";", 1)[0].strip().lower()
    if not request.body:
        return params, files
    if kind == "application/json":
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        params.update(data)
    elif kind == "multipart/form-data":
        parse_multipart(content_type, request.body, params, files)
    else:  # x-www-form-urlencoded, also when the client did not say
        pairs = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        params.update({k: decode_value(k, v) for k, v in pairs})
    return params, files


def parse_multipart(content_type: str, body: bytes, params: JSONDict, files: dict[str, UploadedFile]) -> None:
    # The email parser wants a whole MIME message: give it the request's Content-Type as its header.
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise ValueError("multipart body without parts")
    for part in message.get_payload():
        if not isinstance(part, Message):
            continue
        name = utf8(part.get_param("name", header="content-disposition"))
        if not name:
            raise ValueError("multipart part without a name")
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        file_name = part.get_param("filename", header="content-disposition")
        if file_name is None:
            params[name] = decode_value(name, content.decode("utf-8"))
        else:
            files[name] = UploadedFile(
                field=name,
                file_name=utf8(file_name),
                content=content,
                mime_type=part.get_content_type(),
            )


def utf8(value: object) -> str:
    """A header parameter as text: httpx writes raw UTF-8, which the parser keeps as surrogate escapes."""
    if isinstance(value, tuple):  # RFC 2231 form: (charset, language, value)
        value = value[2]
    if not isinstance(value, str):
        return ""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeDecodeError:
        return value


# ---------------------------------------------------------------------- python -m fakeapi.server
