"""Telegram's text rules: the HTML parse mode (modelled on tdlib's parser, with its error texts),
UTF-16 entity offsets and the entities Telegram detects by itself in user text."""

from __future__ import annotations

import re

from fakeapi.models import JSONDict

SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
        "tg-spoiler", "span", "blockquote", "tg-emoji",
    }
)  # fmt: skip
_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


_PLAIN_RUN = re.compile(r"[^<&]*")


class HtmlParseError(ValueError):
    """Text that Telegram would reject with "can't parse entities: ..."."""


def utf16_len(text: str) -> int:
    """Entity offsets and lengths count UTF-16 code units, not code points."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(src: str, index: int) -> int:
    return len(src[:index].encode("utf-8"))


def _decode_entity(src: str, i: int) -> tuple[str, int] | None:
    """Decode `&name;` / `&#N;` / `&#xH;` at src[i]; None if it is not one (tdlib then keeps '&')."""
    end = src.find(";", i + 1, i + 12)
    if end == -1:
        return None
    body = src[i + 1 : end]
    if body in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[body], end + 1
    match = re.fullmatch(r"#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))", body)
    if match is None:
        return None
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), end + 1


def _decode_attr(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&" and (decoded := _decode_entity(value, i)) is not None:
            out.append(decoded[0])
            i = decoded[1]
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


class _Open:
    __slots__ = ("attrs", "begin", "offset", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], offset: int, begin: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.offset = offset  # UTF-16 offset in the output text
        self.begin = begin  # byte offset of the tag in the source, for error messages


def parse_html(src: str, *, strict_ampersand: bool = False) -> tuple[str, list[JSONDict]]:
    """Return (plain text, entities) as Telegram stores a message sent with parse_mode=HTML.

    Raises HtmlParseError with Telegram's wording. Real Telegram keeps a bare '&' literally;
    strict_ampersand rejects it so tests catch user text interpolated without escaping.
    """
    out: list[str] = []
    offset = 0  # UTF-16 units written so far
    stack: list[_Open] = []
    entities: list[JSONDict] = []
    n = len(src)
    i = 0
    while i < n:
        ch = src[i]
        if ch == "&":
            decoded = _decode_entity(src, i)
            if decoded is not None:
                out.append(decoded[0])
                offset += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise HtmlParseError(f'Unescaped "&" at byte offset {_byte_offset(src, i)}')
        if ch != "<":
            # A run of plain text up to the next markup character, measured in one go.
            m = _PLAIN_RUN.match(src, i + 1)
            j = m.end() if m else i + 1
            out.append(src[i:j])
            offset += utf16_len(src[i:j])
            i = j
            continue
        begin = _byte_offset(src, i)
        i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        if src[i] != "/":
            i, opened = _read_start_tag(src, i, begin)
            opened.offset = offset
            stack.append(opened)
            continue
        close = src.find(">", i)
        if close == -1:
            raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
        end_name = src[i + 1 : close].strip().lower()
        i = close + 1
        if not stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
        top = stack.pop()
        if end_name != top.tag:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{top.tag}>", found "</{end_name}>"'
            )
        _close_entity(top, offset, entities)
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return _trim("".join(out), entities)


def _read_start_tag(src: str, i: int, begin: int) -> tuple[int, _Open]:
    n = len(src)
    j = i
    while j < n and not src[j].isspace() and src[j] != ">":
        j += 1
    if j >= n:
        raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
    tag = src[i:j].lower()
    if tag not in SUPPORTED_TAGS:
        raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
    attrs: dict[str, str] = {}
    while True:
        while j < n and src[j].isspace():
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        if src[j] == ">":
            j += 1
            break
        k = j
        while k < n and (src[k].isalnum() or src[k] in "-_"):
            k += 1
        name = src[j:k].lower()
        if not name:
            raise HtmlParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        j = k
        while j < n and src[j].isspace():
            j += 1
        value = ""
        if j < n and src[j] == "=":
            j += 1
            while j < n and src[j].isspace():
                j += 1
            if j >= n:
                raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
            if src[j] in "'\"":
                quote = src[j]
                end = src.find(quote, j + 1)
                if end == -1:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
                value = src[j + 1 : end]
                j = end + 1
            else:
                k = j
                while k < n and not src[k].isspace() and src[k] != ">":
                    k += 1
                value = src[j:k]
                j = k
        attrs[name] = _decode_attr(value)
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    if tag == "tg-emoji" and not attrs.get("emoji-id"):
        raise HtmlParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {begin}')
    return j, _Open(tag, attrs, 0, begin)


def _close_entity(top: _Open, offset: int, entities: list[JSONDict]) -> None:
    length = offset - top.offset
    if length <= 0:
        return  # Telegram drops empty entities
    entity: JSONDict = {"offset": top.offset, "length": length}
    if top.tag == "a":
        href = top.attrs.get("href")
        if not href:
            return
        entity.update(type="text_link", url=href)
    elif top.tag == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in top.attrs else "blockquote"
    elif top.tag == "tg-emoji":
        entity.update(type="custom_emoji", custom_emoji_id=top.attrs["emoji-id"])
    elif top.tag == "pre":
        entity["type"] = "pre"
        # <pre><code class="language-x">…</code></pre> becomes one pre entity with a language.
        for inner in entities:
            if (
                inner["type"] == "code"
                and inner["offset"] == top.offset
                and inner["length"] == length
                and "_language" in inner
            ):
                entity["language"] = inner["_language"]
                entities.remove(inner)
                break
    else:
        entity["type"] = _TAG_TYPES[top.tag]
        css = top.attrs.get("class", "")
        if top.tag == "code" and css.startswith("language-"):
            entity["_language"] = css.removeprefix("language-")
    entities.append(entity)


def _trim(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Telegram strips surrounding whitespace and shifts/clips entities to match."""
    stripped = text.strip()
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result: list[JSONDict] = []
    for entity in entities:
        entity.pop("_language", None)
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    result.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, result


# Entities Telegram itself finds in text typed by a user (and in bot text).
_AUTO_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
    ("url", re.compile(r"(?<![\w@])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?!\w)")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
)


def detect_entities(text: str) -> list[JSONDict]:
    """Commands, URLs, @mentions and #hashtags, as clients and the server mark them."""
    found: list[JSONDict] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _AUTO_PATTERNS:
        for match in pattern.finditer(text):
            a, b = match.span()
            if any(a < tb and ta < b for ta, tb in taken):
                continue
            taken.append((a, b))
            found.append({"offset": utf16_len(text[:a]), "length": utf16_len(text[a:b]), "type": kind})
    found.sort(key=lambda e: e["offset"])
    return found
