"""The words of a unit's reply: folding, modality, vocabularies and the patterns parse_reply scans with."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Final

from bot.domain.textnorm import fold

# --- length-preserving fold ---------------------------------------------------------------------
FOLD_CACHE_MAX = 8192


class FoldTable(dict[int, str]):
    """str.translate table folding one character at a time, so positions never shift."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = fold(ch)
        if len(out) != 1:  # spaces fold to "", 'ß' to "ss": keep one character
            low = ch.lower()
            out = low if len(low) == 1 else ch
        if len(self) < FOLD_CACHE_MAX:  # arbitrary input must not grow the cache forever
            self[code] = out
        return out


FOLD: Final = FoldTable()


def alt(*phrases: str) -> str:
    """One non-capturing alternation, longest phrase first, spaces matching any whitespace."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?:" + "|".join(p.replace(" ", r"\s+") for p in ordered) + ")"


# --- modality: the words just before a cue ------------------------------------------------------
POS, YET, NEG, OTHER = "pos", "yet", "neg", "other"
WORD_MARKS: Final = {
    "da": POS, "roi": POS, "vua": POS, "moi": POS,
    "chua": YET, "sap": YET, "gan": YET, "se": YET, "dang": YET,
    "khong": NEG, "ko": NEG, "kg": NEG, "khg": NEG, "k": NEG, "chang": NEG,
    "de": OTHER, "nham": OTHER, "can": OTHER, "phai": OTHER, "neu": OTHER, "khi": OTHER,
    "han": OTHER, "mong": OTHER, "muon": OTHER,
}  # fmt: skip
PAIR_MARKS: Final = {
    "chua the": NEG, "khong the": NEG,
    "du kien": YET, "phan dau": YET, "co gang": YET, "chuan bi": YET, "tien toi": YET,
    "sap sua": YET,
    "bao gio": OTHER, "ke hoach": OTHER, "muc tieu": OTHER, "chi tieu": OTHER,
    "yeu cau": OTHER, "hy vong": OTHER, "hi vong": OTHER,
}  # fmt: skip
# "cơ bản đã hoàn thành" is still not done, whatever comes between.
OVERRIDE_PAIRS: Final = frozenset({"co ban", "gan nhu", "buoc dau"})
CLAUSE_BREAK = re.compile(r"[,.;:!?\n()\[\]\"“”]")
WORD = re.compile(r"\w+")
WINDOW = 80


def words_before(key: str, pos: int, count: int) -> list[str]:
    start = max(0, pos - WINDOW)
    clause = CLAUSE_BREAK.split(key[start:pos])[-1]
    words = WORD.findall(clause)
    if start > 0 and len(words) > count:
        words = words[1:]  # the first one may be cut in half
    return words[-count:]


def modality(key: str, pos: int) -> str:
    """What the (up to 4) words before `pos` in the same clause say about the cue: '' if nothing."""
    words = words_before(key, pos, 4)
    pairs = [f"{a} {b}" for a, b in pairwise(words)]
    if OVERRIDE_PAIRS.intersection(pairs):
        return YET
    for i in range(len(words) - 1, -1, -1):  # the nearest marker decides
        if i > 0 and (tag := PAIR_MARKS.get(pairs[i - 1])):
            return tag
        if tag := WORD_MARKS.get(words[i]):
            return tag
    return ""


# --- vocabularies -------------------------------------------------------------------------------
VERBS = alt(
    "thuc hien", "trien khai", "hoan thanh", "hoan tat", "lam", "xong", "tien hanh", "xu ly",
    "giai quyet", "thi cong", "dap ung", "bo tri", "giai ngan",
)  # fmt: skip
PROGRESS_VERBS = alt(
    "thuc hien", "trien khai", "lam", "tien hanh", "xu ly", "hoan thien", "hoan thanh", "chuan bi",
    "xay dung", "to chuc", "phoi hop", "tong hop", "soan", "soan thao", "ra soat", "thi cong",
    "giai quyet", "cap nhat", "tham muu", "lay y kien", "kiem tra", "tham dinh", "lap", "thu thap",
    "dieu tra", "chi dao", "day nhanh", "bo tri", "trinh", "thao go", "khac phuc", "giai ngan",
    "hoan tat", "chinh sua", "bo sung", "huong dan", "tuyen truyen", "van dong", "thanh tra", "dien",
    "nhap", "xac minh", "tiep nhan", "danh gia", "thuc thi", "cho y kien",
)  # fmt: skip
RESOURCES = alt(
    "kinh phi", "von", "nguon von", "nguon luc", "nhan luc", "nhan su", "can bo", "ngan sach",
    "huong dan", "mat bang", "thiet bi", "trang thiet bi", "phuong tien", "vat tu", "tai lieu",
    "ho so", "thong tin", "du lieu", "co so phap ly", "quy dinh", "chi dao", "dieu kien", "thoi gian",
)  # fmt: skip
LACK_ALTS = (
    r"thieu\s+" + RESOURCES,
    r"chua\s+(?:duoc\s+)?" + alt("co", "bo tri", "cap", "phan bo", "giao", "ban hanh") + r"\s+"
    + alt("kinh phi", "von", "nguon von", "ngan sach", "huong dan", "van ban huong dan", "mat bang"),
)  # fmt: skip
LACK_HEADS = ("thieu", "chua")
# Every alternation below starts each branch with a letter, never with a lookbehind: then re
# skips ahead to candidate letters in C, and _scan checks the word start (5-10x faster).
CUE = alt(
    "vuong mac", "vuong", "kho khan", "tro ngai", "bi tac", "ach tac", "un tac", "be tac", "tac nghen",
    "bi ket", "tam dung", "tam ngung", "dinh tre", "ngung tre", *LACK_ALTS,
)  # fmt: skip
E = r"(?!\w)"  # word end
NEGATORS = ("khong", "ko", "kg", "khg", "k", "chang")

# --- patterns -----------------------------------------------------------------------------------
PERCENT = re.compile(r"(?P<int>\d{1,6})(?:[.,](?P<frac>\d{1,3}))?\s*(?:%|phan\s+tram" + E + ")")
COUNT_NOUNS = alt(
    "chi tieu", "nhiem vu", "noi dung", "muc tieu", "cong viec", "viec", "hang muc", "phan viec",
    "tieu chi", "don vi", "xa", "phuong", "thon", "ho", "so", "cong trinh", "du an", "ho so",
    "danh muc", "chuong trinh",
)  # fmt: skip
# "đạt 3/5" and "3/5 chỉ tiêu" are fractions; "đến 30/6" is a date and matches neither.
FRACTION_VERB = re.compile(
    r"(?:dat|duoc)\s+(?:(?:khoang|gan|tren|hon|duoc)\s+)?(?P<a>\d{1,4})\s*/\s*(?P<b>\d{1,4})(?![\d%/])(?!\s*[/.-]\s*\d)"
)
FRACTION_NOUN = re.compile(r"(?P<a>\d{1,4})\s*/\s*(?P<b>\d{1,4})\s+" + COUNT_NOUNS + E)
DATE_WORDS: Final = frozenset({"ngay", "den", "toi", "tu", "truoc", "han"})
TERM = alt("thoi han", "han", "tien do", "thoi gian")
EXTENSION = re.compile(
    alt(
        "gia han", r"lui\s+(?:lai\s+)?" + alt("thoi han", "han", "tien do", "thoi gian", "ngay", "sang", "den", "toi"),
        "xin lui", "them thoi gian",
        *(verb + r"\s+" + TERM for verb in ("dieu chinh", "keo dai", "hoan", "doi")),
    ) + E
)  # fmt: skip
# The polite request before the keyword ("kính đề nghị cho"), so negation is looked for before it.
REQUEST_TAIL = re.compile(
    r"(?<!\w)(?:kinh\s+)?" + alt("xin", "de nghi", "de xuat", "kien nghi", "can", "mong", "muon")
    + r"\s+(?:(?:duoc|cho|phep)\s+){0,2}$"
)  # fmt: skip
EXT_NEGATORS: Final = frozenset({*NEGATORS, "chua", "duoc"})
DONE = re.compile(
    alt(
        "hoan thanh", "hoan tat", "xong", "da ket thuc",
        r"da\s+" + alt("thuc hien", "trien khai", "xu ly", "giai quyet", "lam")
        + r"\s+" + alt("day du", "toan bo", "het", "dut diem", "hoan chinh"),
    ) + E
)  # fmt: skip
QUESTION_AFTER = re.compile(
    r"\s*(?:(?:duoc|roi|het|xong|han|that)\s+){0,2}"
    r"(?:(?:chua|khong|ko|k|chu|nhi|hay\s+chua|hay\s+khong)(?:\s+(?:a|vay|nhi|ha|the|ta)){0,3}\s*(?:[?.!,;\n]|$)"
    r"|(?:(?:a|ha|nhi|sao|u)\s*)?\?)"
)
PARTIAL_AFTER = re.compile(
    r"\s*(?:duoc\s+)?(?:"
    + alt("mot phan", "phan lon", "mot so", "mot nua", "nua", "giai doan", "buoc", "dot", "co ban", "so bo")
    + E
    + r"|\d{1,4}\s*/\s*\d{1,4}(?!\s*[/.-]\s*\d))"
)
PROGRESS = re.compile(
    alt("van dang", "dang", "tiep tuc") + r"\s+(?:"
    + alt("duoc", "khan truong", "tich cuc", "tiep tuc", "gap rut", "dong thoi", "trong qua trinh")
    + r"\s+){0,2}(?:" + PROGRESS_VERBS + r"|trong\s+qua\s+trinh)" + E
)  # fmt: skip
PARTIAL_WORK = re.compile(
    alt("thuc hien", "trien khai", "lam", "xu ly", "giai quyet", "giai ngan", "dat")
    + r"\s+(?:duoc\s+)?" + alt("mot phan", "phan lon", "mot so noi dung", "mot nua") + E
)  # fmt: skip
TROUBLE_RE = re.compile(CUE + E)
# "không có khó khăn, vướng mắc", "đã tháo gỡ được vướng mắc": the trouble word is denied.
# Only run in a window before a trouble word, so its lookbehinds cost little.
NO_TROUBLE = re.compile(
    r"(?<!\w)(?:" + alt(*NEGATORS, "chua", "het") + r"\s+(?:"
    + alt("he", "co", "gap", "phat sinh", "con", "xay ra", "bi", "thay", "ghi nhan", "gi", "su", "cac", "nhung")
    + r"\s+){0,3}|(?<!chua\s)(?<!khong\s)(?<!ko\s)(?<!duoc\s)(?<!thao\s)(?:(?:da|duoc)\s+){0,2}"
    + alt("thao go", "giai quyet", "khac phuc", "xu ly", "go", "tranh", "vuot qua") + r"\s+(?:"
    + alt("xong", "het", "duoc", "cac", "moi", "nhung", "dut diem", "nhieu") + r"\s+){0,2})"
    + CUE + r"(?:\s*(?:,|va|hay|hoac|/|-)\s*" + CUE + ")*"
)  # fmt: skip
NO_TROUBLE_REACH = 160
# "chưa/không (thể) thực hiện (xong) (được)": blocked when it ends in "được" or has a reason.
NOT_DONE = re.compile(
    alt("chua", *NEGATORS) + r"\s+(?:(?:the|kip|duoc)\s+)?" + VERBS + r"(?:\s+(?:xong|duoc))*" + E
)
REFUSED_VERBS: Final = frozenset({"thuc", "trien", "hoan", "xong", "tien", "thi"})
CANNOT = re.compile(alt(*(w + r"\s+the" for w in ("chua", *NEGATORS)), "khong kip", "ko kip", "k kip") + E)
REASON_MARK = re.compile(
    alt("ly do", "nguyen nhan", "boi vi", "tai vi", "vi", "do", "boi")
    + r"(?!\w)(?!\s+(?:tri|pham|the|thi|dan|vay|do)(?!\w))"
)
# "đơn vị", "tiến độ", "sau đó" are no reasons; with diacritics typed, "đó", "độ", "vị" neither.
NOT_REASON_AFTER: Final = frozenset(
    {
        "don",
        "pham",
        "dia",
        "hanh",
        "sau",
        "tai",
        "muc",
        "tien",
        "che",
        "trinh",
        "thai",
        "cap",
        "toc",
        "ban",
        "thu",
        "mat",
    }
)
MARK_SPELLINGS: Final = frozenset({"vì", "vi", "do", "bởi", "boi"})
LEAD = re.compile(
    r"(?:[\s:,\-–—=>]|(?<!\w)"
    + alt("la", "ve", "do", "vi", "boi vi", "boi", "tai vi", "ly do", "nguyen nhan", "chu yeu", "nhu sau",
           "o", "tai", "sau", "mac", "la do", "do la", "vi ly do", "trong", "trong viec", "ve viec", "o khau")
    + r"(?!\w))*"
)  # fmt: skip
TRAIL_WORDS: Final = ("kinh de nghi", "de nghi", "vi vay", "vi the", "do do", "do vay", "nen", "va", "nhung", "xin")
SENTENCE_END = re.compile(r"[!?;\n]|\.(?=\s|$)")
CLAUSE_END = re.compile(r"[!?;\n,]|\.(?=\s|$)")
STATUSY = re.compile(
    alt("hoan thanh", "hoan tat", "xong", "thuc hien", "trien khai", "tien do", "tien hanh", "gia han",
         "vuong", "kho khan", "xu ly", "giai quyet", "da lam", "lui han", "them thoi gian",
         r"dang(?!\s+(?:ky|tai|nhap|ke|bai|tin)" + E + ")")
    + E
)  # fmt: skip
SHORT_STATUS: Final = frozenset({"chua", "roi", "dang"})

# Deadline search after an extension keyword.
TOKEN = re.compile(r"\S+")
NUMBER_WORDS: Final = frozenset({"mot", "hai", "ba", "bon", "tu", "nam", "sau", "bay", "tam", "chin", "muoi"})
DATE_ANCHORS: Final = NUMBER_WORDS | {
    "den", "toi", "truoc", "vao", "het", "trong", "cuoi", "ngay", "thang", "quy", "tuan", "thu",
    "chu", "cn", "mai", "hom", "thuong", "lien", "hang", "cham",
}  # fmt: skip
DATE_CORE: Final = NUMBER_WORDS | {
    "ngay", "thang", "quy", "nam", "tuan", "mai", "kia", "thu", "cn", "chu", "thuong", "lien", "hang",
    "hom", "cuoi", "i", "ii", "iii", "iv", "t2", "t3", "t4", "t5", "t6", "t7",
}  # fmt: skip
BARE_UNITS: Final = frozenset({"ngay", "thang", "tuan", "quy", "nam"})
MAX_TOKENS = 12
MAX_SPAN = 7
MAX_CUES = 16
MAX_TRIES = 64  # rejected in-word hits, bounded for adversarial input
REASON_GAP = 60
