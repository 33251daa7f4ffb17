"""Step 4, unit mentions: the units a paragraph names, as a list ("A, B và các C"), its subject and its partners."""

from __future__ import annotations

from bot.domain.parser.vocab import (
    ASSIGN_VERBS_IX,
    ELLIPSIS_HEADS,
    GENERIC_IX,
    NON_ASSIGNEE_IX,
    PREFIX_IX,
    QUALIFIER_IX,
    SUPPORT_FILLERS,
    TITLE_IX,
    TRIGGER_IX,
    UNIT_HEAD_IX,
    is_stop,
    match_any,
)
from bot.domain.tokens import Tokens
from bot.domain.units import TokenMention, UnitDirectory

Hit = TokenMention | str  # a directory unit, or the text of a unit-like name not in the directory
MAX_LIST_STEPS = 40
MAX_NAME_WORDS = 12
MAX_GENERIC_WORDS = 10
LEAD_IN_WORDS = 8


def _ellipsis_head(tokens: Tokens, mention: TokenMention) -> tuple[str, ...]:
    key = tokens.keys[mention.start]
    return (key,) if key in ELLIPSIS_HEADS and mention.end - mention.start > 1 else ()


class Segment:
    """One paragraph, bullet or item head, tokenised once, with the directory's matches."""

    def __init__(self, text: str, directory: UnitDirectory) -> None:
        self.text = text
        self.directory = directory
        self.tokens = Tokens(text)
        self.mention_at = {m.start: m for m in directory.scan(self.tokens)}

    def skip_prefix(self, i: int) -> tuple[int, bool]:
        """Skip "Giao", "Đề nghị", "Ban Thường vụ Tỉnh ủy giao"...; also says whether "giao" was there."""
        tokens, gave = self.tokens, False
        for _ in range(4):
            if n := match_any(tokens, i, PREFIX_IX):
                gave = gave or tokens.keys[i] == "giao"
                i += n
                continue
            body = 0 if i in self.mention_at else match_any(tokens, i, NON_ASSIGNEE_IX)  # a known unit is no issuer
            if body and (verb := match_any(tokens, i + body, ASSIGN_VERBS_IX)):
                gave = gave or tokens.keys[i + body] == "giao"
                i += body + verb
                continue
            break
        return i, gave

    def candidate_end(self, i: int) -> int:
        """End of a unit-like name starting at token i (i itself when there is none)."""
        tokens = self.tokens
        n = len(tokens)
        if i >= n or not tokens.caps[i] or not (head := match_any(tokens, i, UNIT_HEAD_IX)):
            return i
        j = i + head
        if j >= n or tokens.hard[j] or (head == 1 and not tokens.caps[j]):
            return i  # "Ban hành", "Hội nghị", "Báo cáo": a capitalised word, not a name
        while j < n and j - i < MAX_NAME_WORDS:
            if tokens.hard[j] or "," in tokens.gap(j) or j in self.mention_at or is_stop(tokens, j):
                break
            if tokens.keys[j] == "va" and not (j + 1 < n and tokens.caps[j + 1]):
                break
            j += 1
        return j

    def generic_end(self, i: int) -> int:
        tokens = self.tokens
        n = len(tokens)
        if not (head := match_any(tokens, i, GENERIC_IX)):
            return i
        j = i + head
        while j < n and j - i < MAX_GENERIC_WORDS:
            if tokens.hard[j] or "," in tokens.gap(j) or j in self.mention_at or is_stop(tokens, j):
                break
            if tokens.keys[j] == "va":
                break
            j += 1
        return j

    def skip_qualifiers(self, i: int) -> int:
        tokens = self.tokens
        n = len(tokens)
        for _ in range(4):
            if i >= n or tokens.hard[i] or tokens.gap(i).strip() or i in self.mention_at:
                return i
            if q := match_any(tokens, i, QUALIFIER_IX):
                i += q
                continue
            j = i
            while j < n and j - i < 3 and tokens.caps[j] and not tokens.hard[j] and j not in self.mention_at:
                j += 1  # a place name: "Hội Nông dân tỉnh Kiên Giang"
            if j == i or match_any(tokens, i, UNIT_HEAD_IX):
                return i
            i = j
        return i

    def unit_list(self, i: int) -> tuple[list[Hit], int]:
        """Parse "A, B và các C" starting at token i: the units named, and where the list ends."""
        tokens = self.tokens
        n = len(tokens)
        hits: list[Hit] = []
        after_generic = through_colon = False
        head: tuple[str, ...] = ()  # "Sở" of "Sở Y tế, Giáo dục và Đào tạo": later items share it
        for _ in range(MAX_LIST_STEPS):
            if i >= n:
                break
            mention = self.mention_at.get(i)
            if mention is None and head and (found := self.directory.match_headed(tokens, i, head)):
                mention = TokenMention(found[0], i, found[1])
            if title := match_any(tokens, i, TITLE_IX):
                # "Giám đốc Sở Y tế", "Chủ tịch UBND các huyện", "Giao Giám đốc: Sở …": the title stands for the unit
                i += title
                through_colon = True
                continue
            if mention is not None:
                hits.append(mention)
                head = head or _ellipsis_head(tokens, mention)
                i = self.skip_qualifiers(mention.end)
                after_generic = through_colon = False
            elif body := match_any(tokens, i, NON_ASSIGNEE_IX):
                i += body
                after_generic = False
            elif (j := self.candidate_end(i)) > i:
                hits.append(tokens.span_text(i, j))  # never dropped: the secretary maps it or adds it
                i, after_generic = j, False
            elif (j := self.generic_end(i)) > i:
                if tokens.keys[j - 1] in ELLIPSIS_HEADS and tokens.keys[i] == "cac":
                    head, through_colon = (tokens.keys[j - 1],), True  # "các Sở: Kế hoạch và Đầu tư, Xây dựng"
                i, after_generic = j, True
            elif head and hits and tokens.caps[i] and (j := self._list_item_end(i)) > i:
                hits.append(tokens.span_text(i, j))  # "…, Bưu điện, …" in an elliptical list: not in the directory
                i = j
            else:
                break
            if i < n and through_colon and tokens.gap(i).strip() == ":":
                through_colon = False
                continue
            if i >= n or tokens.hard[i]:
                break
            gap = tokens.gap(i)
            if any(c in gap for c in ",-/&+"):
                if is_stop(tokens, i):
                    break
                continue
            if tokens.keys[i] == "va" or (tokens.keys[i] == "cung" and not tokens.match(i, ("cung", "voi"))):
                i += 1
                continue
            if after_generic and i in self.mention_at:
                continue  # "Thủ trưởng các sở, ban, ngành": a generic head before a unit
            break
        return hits, i

    def unknown_names(self) -> list[str]:
        """Every unit-like name of the segment that the directory does not know, wherever it stands."""
        names: list[str] = []
        i = 0
        while i < len(self.tokens):
            if (m := self.mention_at.get(i)) is not None:
                i = m.end
            elif (j := self.candidate_end(i)) > i:
                names.append(self.tokens.span_text(i, j))
                i = j
            else:
                i += 1
        return names

    def _list_item_end(self, i: int) -> int:
        tokens = self.tokens
        j = i
        while j < len(tokens) and j - i < MAX_NAME_WORDS and not tokens.hard[j] and not is_stop(tokens, j):
            if j > i and ("," in tokens.gap(j) or tokens.keys[j] == "va"):
                break
            j += 1
        return j

    def _after_issuer_verb(self) -> tuple[list[Hit], int] | None:
        """ "…; Ủy ban nhân dân tỉnh yêu cầu Sở Y tế …": the subject after the issuer's verb, anywhere."""
        tokens = self.tokens
        for k in range(1, len(tokens)):
            body = match_any(tokens, k, NON_ASSIGNEE_IX)
            if body and match_any(tokens, k + body, ASSIGN_VERBS_IX):
                hits, end = self.unit_list(self.skip_prefix(k)[0])
                if hits:
                    return hits, end
        return None

    def subject(self, head: bool) -> tuple[list[Hit], int]:
        """The units the segment opens with (its grammatical subject), and the token after them.

        For an item's head, also after a short lead-in ("2.1. Về tuyên truyền: Ban Tuyên giáo ...")
        or at the start of a later sentence ("Thống nhất chủ trương. Đảng đoàn Hội Nông dân ...").
        """
        start, _ = self.skip_prefix(0)
        hits, end = self.unit_list(start)
        if hits or not head:
            return hits, end
        tokens = self.tokens
        for k in range(1, len(tokens)):
            gap = tokens.gap(k)
            if (k < 25 and ":" in gap) or (tokens.hard[k] and tokens.caps[k] and any(c in gap for c in ".!?")):
                hits, end = self.unit_list(self.skip_prefix(k)[0])
                if hits:
                    return hits, end
            elif k <= LEAD_IN_WORDS and "," in gap and k in self.mention_at:
                # "Trong thời gian tới, Sở Y tế ...": a short adverbial before a known unit
                hits, end = self.unit_list(k)
                return hits, end
        return self._after_issuer_verb() or ([], start)

    def supports(self, start: int) -> list[Hit]:
        """Units after "phối hợp với", "cùng với" ... in the segment (its clauses share the subject)."""
        tokens = self.tokens
        n = len(tokens)
        hits: list[Hit] = []
        i = start
        while i < n:
            if (t := match_any(tokens, i, TRIGGER_IX)) and not tokens.caps[i]:
                j = i + t
                while j < n and tokens.keys[j] in SUPPORT_FILLERS and not tokens.hard[j] and j - i < t + 3:
                    j += 1
                found, end = self.unit_list(j)
                hits.extend(found)
                i = max(end, j)
                continue
            i += 1
        return hits
