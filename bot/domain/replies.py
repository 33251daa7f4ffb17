"""Free-text status replies from units ("đã xong", "vướng: thiếu kinh phí") classified for reminders.

Pure: `today` is passed in; nothing reads a clock or touches Telegram or the database.
Cues are matched on a length-preserving accent fold of the NFC text ("Đã xong" -> "da xong"),
so a position in the folded key is the same position in the original and the reason can be
cut from what the user typed, diacritics kept.

Conventions, where Vietnamese usage leaves a choice (the bot confirms anything ambiguous):

- Done is never guessed: "chưa / sắp / gần / sẽ / đang / cơ bản ... xong" is progress,
  "không ... xong", "chưa/không ... được", "chưa thể" are blocked, "xong chưa?" is a question
  (an ambiguous note), "để / cần / khi ... hoàn thành" is no status at all.
- A stated percent below 100 beats "xong / hoàn thành"; a bare 100% means done.
- Precedence: extension > blocked > progress > done > note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice

from bot.domain.enums import ReportKind
from bot.domain.reply_words import (
    BARE_UNITS,
    CANNOT,
    CLAUSE_END,
    DATE_ANCHORS,
    DATE_CORE,
    DATE_WORDS,
    DONE,
    EXT_NEGATORS,
    EXTENSION,
    FOLD,
    FRACTION_NOUN,
    FRACTION_VERB,
    LACK_HEADS,
    LEAD,
    MARK_SPELLINGS,
    MAX_CUES,
    MAX_SPAN,
    MAX_TOKENS,
    MAX_TRIES,
    NEG,
    NO_TROUBLE,
    NO_TROUBLE_REACH,
    NOT_DONE,
    NOT_REASON_AFTER,
    NUMBER_WORDS,
    OTHER,
    PARTIAL_AFTER,
    PARTIAL_WORK,
    PERCENT,
    POS,
    PROGRESS,
    QUESTION_AFTER,
    REASON_GAP,
    REASON_MARK,
    REFUSED_VERBS,
    REQUEST_TAIL,
    SENTENCE_END,
    SHORT_STATUS,
    STATUSY,
    TOKEN,
    TRAIL_WORDS,
    TROUBLE_RE,
    WORD,
    YET,
    modality,
    words_before,
)
from bot.domain.textnorm import nfc
from bot.domain.vndates import parse_deadline


@dataclass(frozen=True, slots=True)
class ParsedReply:
    kind: ReportKind  # DONE, PROGRESS, BLOCKED, EXTENSION or NOTE
    percent: int | None  # 0..100, only when stated
    text: str  # NFC, trimmed, kept whole
    requested_deadline: date | None  # EXTENSION only
    reason: str | None  # BLOCKED / EXTENSION: the difficulty, as typed
    ambiguous: bool  # a NOTE that may be a status: the bot asks with buttons


# --- helpers ------------------------------------------------------------------------------------
def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _scan(pattern: re.Pattern[str], key: str, pos: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """Matches of `pattern` that start a word, in order, without overlaps; at most MAX_CUES."""
    end = len(key) if end is None else end
    found = tries = 0
    while found < MAX_CUES and tries < MAX_TRIES and (m := pattern.search(key, pos, end)) is not None:
        tries += 1
        start = m.start()
        if start and _is_word_char(key[start - 1]):
            pos = start + 1  # "xong" inside a longer word: look again just after its start
            continue
        found += 1
        yield m
        pos = max(m.end(), start + 1)


def _word_before(key: str, pos: int) -> str:
    """The word ending right before the space before `pos` ("tiến độ" -> "tien" for "do")."""
    if pos < 2 or not key[pos - 1].isspace():
        return ""
    i = pos - 1
    while i > 0 and _is_word_char(key[i - 1]) and pos - i < 16:
        i -= 1
    return key[i : pos - 1]


def _clamp(value: float) -> int:
    if value >= 100:
        return 100
    return max(0, min(99, round(value)))  # 99.6% is not done


def _percent(key: str) -> tuple[int | None, bool]:
    """The first stated percent, and whether any was seen; a 100 only hoped for ("chưa đạt 100%") is not."""
    found: list[tuple[int, int]] = []
    for m in _scan(PERCENT, key) if "%" in key or "phan" in key else ():
        if m.start() and key[m.start() - 1] in ".,/":
            continue
        found.append((m.start(), _clamp(float(f"{m.group('int')}.{m.group('frac') or 0}"))))
    if "/" in key:
        fractions = [*_scan(FRACTION_VERB, key)]
        fractions += [
            m
            for m in _scan(FRACTION_NOUN, key)
            if not (m.start() and key[m.start() - 1] in "/.") and _word_before(key, m.start()) not in DATE_WORDS
        ]
        for m in fractions:
            num, den = int(m.group("a")), int(m.group("b"))
            if den > 0 and num <= den:
                found.append((m.start("a"), _clamp(100 * num / den)))
    for pos, value in sorted(found):
        if value == 100 and modality(key, pos) not in ("", POS):
            continue
        return value, True
    return None, bool(found)


def _reason_marker(text: str, key: str, start: int, end: int) -> re.Match[str] | None:
    for m in _scan(REASON_MARK, key, start, end):
        word = m.group()
        if word in ("vi", "do", "boi") and (
            text[m.start() : m.end()].lower() not in MARK_SPELLINGS
            or _word_before(key, m.start()) in NOT_REASON_AFTER
        ):
            continue
        return m
    return None


def _span(text: str, key: str, start: int, end: int) -> str | None:
    """text[start:end] without leading connectors ("do", "về", ":") and trailing ones ("nên", ",")."""
    lead = LEAD.match(key, start, end)
    if lead is not None:
        start = lead.end()
    while start < end and not (key[start].isalnum() or key[start] in '("“'):
        start += 1
    changed = True
    while changed and end > start:
        changed = False
        while end > start and not (key[end - 1].isalnum() or key[end - 1] in '%)"”'):
            end -= 1
            changed = True
        for word in TRAIL_WORDS:
            cut = end - len(word)
            if cut >= start and key.startswith(word, cut) and (cut == start or not key[cut - 1].isalnum()):
                end = cut
                changed = True
                break
    return text[start:end] or None


def _reason_after(text: str, key: str, pos: int, limit: int | None = None) -> str | None:
    end = len(key) if limit is None or limit <= pos else limit
    if stop := SENTENCE_END.search(key, pos, end):
        end = stop.start()
    return _span(text, key, pos, end)


def _trouble(text: str, key: str, limit: int | None = None) -> tuple[bool, str | None]:
    """A difficulty that is not denied, and what it is (up to `limit` when it comes before it)."""
    for m in _scan(TROUBLE_RE, key):
        lo = max(0, m.start() - NO_TROUBLE_REACH)
        if any(a <= m.start() < b for a, b in (d.span() for d in islice(NO_TROUBLE.finditer(key, lo, m.end()), 8))):
            continue
        lack = m.group().startswith(LACK_HEADS)
        return True, _reason_after(text, key, m.start() if lack else m.end(), limit)
    return False, None


def _blocked(text: str, key: str, denied_done: int | None) -> tuple[bool, str | None]:
    after: int | None = denied_done
    for m in _scan(NOT_DONE, key):
        end = min(len(key), m.end() + REASON_GAP)
        if stop := SENTENCE_END.search(key, m.end(), end):
            end = stop.start()
        if marker := _reason_marker(text, key, m.end(), end):
            return True, _reason_after(text, key, marker.end())
        words = m.group().split()
        if after is None and (words[-1] == "duoc" or (words[0] != "chua" and words[1] in REFUSED_VERBS)):
            after = m.end()  # "chưa làm được", "không thực hiện"
    found, reason = _trouble(text, key)
    if found:
        return True, reason
    if after is None and (cannot := next(_scan(CANNOT, key), None)) is not None:
        after = cannot.end()
    if after is None:
        return False, None
    marker = _reason_marker(text, key, after, len(key))
    return True, None if marker is None else _reason_after(text, key, marker.end())


def _extension(key: str) -> tuple[int, int] | None:
    """(start, end) of the first request for more time that is not denied ("không cần gia hạn")."""
    for m in _scan(EXTENSION, key):
        start = m.start()
        lo = max(0, start - 40)
        if request := REQUEST_TAIL.search(key, lo, start):
            start = request.start()
        if not EXT_NEGATORS.intersection(words_before(key, start, 2)):
            return start, m.end()
    return None


def _requested_deadline(text: str, key: str, start: int, today: date) -> date | None:
    """The first date phrase in the clause after the keyword; vndates does the reading."""
    end = len(key)
    if stop := CLAUSE_END.search(key, start):
        end = stop.start()
    if marker := _reason_marker(text, key, start, end):
        end = marker.start()
    tokens = list(islice(TOKEN.finditer(key, start, end), MAX_TOKENS))
    words = [t.group().strip(".,:;") for t in tokens]
    core = [w[:1].isdigit() or w in DATE_CORE for w in words]
    for i, word in enumerate(words):
        if i and word not in DATE_ANCHORS and not core[i]:
            continue
        for j in range(min(i + MAX_SPAN, len(words)), i, -1):
            if not any(core[i:j]):
                break  # no day, month or unit word: vndates would say no anyway
            last = words[j - 1]
            if j - i == 1 and last in BARE_UNITS:
                continue  # "tháng" alone is not a date the unit asked for
            if last == "ngay" and not (words[j - 2][:1].isdigit() or words[j - 2] in NUMBER_WORDS):
                continue  # "đến ngày" with the day missing would read as today
            found = parse_deadline(key[tokens[i].start() : tokens[j - 1].end()], today)
            if found is not None:
                return found if isinstance(found, date) else None  # "thường xuyên" is no date
    return None


def _extension_reason(text: str, key: str, start: int, end: int) -> str | None:
    if marker := _reason_marker(text, key, end, len(key)):
        return _reason_after(text, key, marker.end())
    if marker := _reason_marker(text, key, 0, start):  # "Do thiếu vốn, xin gia hạn ..."
        stop = CLAUSE_END.search(key, marker.end(), start)
        return _span(text, key, marker.end(), start if stop is None else stop.start())
    found, reason = _trouble(text, key, start)  # "Vướng mặt bằng, xin gia hạn ...": stop at the request
    return reason if found else None


def _is_statusy(key: str, saw_percent: bool) -> bool:
    if saw_percent or next(_scan(STATUSY, key), None) is not None:
        return True
    words = WORD.findall(key[:40])
    return 0 < len(words) <= 3 and words[0] in SHORT_STATUS  # "Rồi ạ", "Chưa ạ"


# --- entry point --------------------------------------------------------------------------------
def parse_reply(text: str, *, today: date) -> ParsedReply:
    """Classify a unit's free-text answer to a reminder; never raises."""
    clean = nfc(text).strip()
    if not clean:
        return ParsedReply(ReportKind.NOTE, None, clean, None, None, False)
    key = clean.translate(FOLD)
    percent, saw_percent = _percent(key)

    if (ext := _extension(key)) is not None:
        deadline = _requested_deadline(clean, key, ext[1], today)
        reason = _extension_reason(clean, key, *ext)
        return ParsedReply(ReportKind.EXTENSION, percent, clean, deadline, reason, False)

    done = progress = question = False
    denied_done: int | None = None
    for m in _scan(DONE, key):
        tag = modality(key, m.start())
        if QUESTION_AFTER.match(key, m.end()):
            question = True
        elif tag == NEG:
            denied_done = m.end() if denied_done is None else denied_done
        elif tag == YET or (tag in ("", POS) and PARTIAL_AFTER.match(key, m.end())):
            progress = True
        elif tag != OTHER:
            done = True

    blocked, reason = _blocked(clean, key, denied_done)
    if blocked:
        return ParsedReply(ReportKind.BLOCKED, percent, clean, None, reason, False)
    if percent is not None and percent < 100:
        return ParsedReply(ReportKind.PROGRESS, percent, clean, None, None, False)
    progress = progress or any(next(_scan(p, key), None) is not None for p in (PROGRESS, PARTIAL_WORK))
    if progress:  # "đã xong khảo sát, đang thi công": not done yet; 100% of a part says little
        return ParsedReply(ReportKind.PROGRESS, None, clean, None, None, False)
    if done or percent == 100:
        return ParsedReply(ReportKind.DONE, percent, clean, None, None, False)
    return ParsedReply(ReportKind.NOTE, None, clean, None, None, question or _is_statusy(key, saw_percent))
