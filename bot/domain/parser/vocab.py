"""Word lists the steps share, folded (no accents), and the helpers that match them on tokens."""

from __future__ import annotations

from typing import Final

from bot.domain.tokens import Tokens


def seqs(words: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(w.split()) for w in words.split(";"))


KIND_WORDS: Final = {
    "cong van": "công văn", "chi thi": "chỉ thị", "thong bao": "thông báo", "ket luan": "kết luận",
    "ke hoach": "kế hoạch", "nghi quyet": "nghị quyết", "quyet dinh": "quyết định", "huong dan": "hướng dẫn",
    "cong dien": "công điện", "bao cao": "báo cáo", "quy dinh": "quy định", "chuong trinh": "chương trình",
}  # fmt: skip
KIND_CODES: Final = {
    "CV": "công văn", "CT": "chỉ thị", "TB": "thông báo", "KL": "kết luận", "KH": "kế hoạch",
    "NQ": "nghị quyết", "QĐ": "quyết định", "QD": "quyết định", "HD": "hướng dẫn", "CĐ": "công điện",
    "BC": "báo cáo", "QĐI": "quy định", "CTR": "chương trình",
}  # fmt: skip

# Words that open the subject of a duty without being part of it.
PREFIXES: Final = seqs("giao;giao cho;de nghi;yeu cau;doi voi;rieng;ve phia;dong thoi;trong do;tren co so do")
# Bodies that are named but never assigned: the issuer and central bodies.
NON_ASSIGNEES: Final = seqs(
    "ban thuong vu tinh uy;thuong truc tinh uy;ban chap hanh dang bo tinh;tinh uy;ban bi thu;bo chinh tri;"
    "ban chap hanh trung uong;chinh phu;thu tuong chinh phu;thu tuong;quoc hoi;trung uong;ban thuong vu;"
    "thuong truc;ban chi dao quoc gia;uy ban nhan dan tinh;ubnd tinh;chu tich uy ban nhan dan tinh;"
    "chu tich ubnd tinh;ubnd thanh pho;uy ban nhan dan thanh pho;thuong truc thanh uy;ban thuong vu thanh uy;"
    "thanh uy;van phong chinh phu"
)
ASSIGN_VERBS: Final = seqs("giao;de nghi;yeu cau;chi dao")
# Heads of unit names: a capitalised head followed by a name is "unit-like".
UNIT_HEADS: Final = seqs(
    "so;ban;uy ban;dang uy;dang doan;huyen uy;thanh uy;thi uy;hoi;hoi dong;lien doan;lien hiep;lien minh;cong an;"
    "bo chi huy;bo doi;van phong;trung tam;bao;dai;tinh doan;doan;cuc;chi cuc;kho bac;ngan hang;truong;"
    "benh vien;vien;thanh tra;bao hiem;toa an;cong ty;chi nhanh;khu bao ton;vuon quoc gia;tong cong ty"
)
# Openers of generic groups ("các cơ quan liên quan", "chính quyền địa phương") in a unit list.
GENERIC_HEADS: Final = seqs(
    "cac;moi;nhung;toan;co quan;don vi;dia phuong;chinh quyen;luc luong;nganh;cap uy;cap;nguoi dung dau;"
    "thu truong;bi thu;can bo;dang vien;chi bo;doanh nghiep;nhan dan;tap the;to chuc dang"
)
# Lower-case words that start the predicate: a unit list or an unknown name ends here.
# Multi-word only where a single folded syllable is ambiguous ("dang": đang/đảng, "co": có/cơ).
STOPS: Final = seqs(
    "chu tri;phoi hop;chi dao;lanh dao;tang cuong;tiep tuc;tap trung;thuc hien;to chuc;trien khai;co trach nhiem;"
    "chiu trach nhiem;khan truong;huong dan;ra soat;xay dung;theo doi;nghien cuu;tham muu;day manh;quan triet;"
    "kiem tra;chu dong;thuong xuyen;nam tinh hinh;nam chac;nam bat;lam tot;bao dam;dam bao;giup;ban hanh;"
    "bao cao;de xuat;truc tiep;can phai;quan ly;van dong;tuyen truyen;phat huy;nang cao;kip thoi;xu ly;tong hop;"
    "dong thoi;nghiem tuc;chuan bi;bo tri;dieu tra;giam sat;phan cong;tiep nhan;cung cap;ho tro;tao dieu kien;"
    "uu tien;hoan thanh;trinh;tham gia;vao cuoc;dinh ky;tap huan;cung voi;ket hop;sau khi;nham;tuyet doi;"
    "kien quyet;quyet liet;bam sat;chap hanh;huy dong;phu trach;dieu hanh;xac dinh;danh gia;so ket;tong ket;"
    "lam ro;nhat la;dac biet;trong do;bao gom;thong qua;khong de;khong duoc;phai;can tap trung;can chu dong;"
    "yeu cau;de nghi;giao;se;can;phe binh;ky;xem xet;quyet dinh;cap phep;khan cap"
)
# A person's title standing for the unit: "Giám đốc Sở Y tế", "Chủ tịch UBND các huyện".
TITLES: Final = seqs(
    "giam doc;pho giam doc;chu tich;pho chu tich;thu truong;truong ban;pho truong ban;chanh van phong;"
    "chi huy truong;tong bien tap;hieu truong;chanh an;vien truong;cuc truong;chi cuc truong;chanh thanh tra"
)
# Heads an elliptical list shares: "Sở Y tế, Giáo dục và Đào tạo", "các Sở: Xây dựng, Tài chính".
ELLIPSIS_HEADS: Final = frozenset({"so"})
QUALIFIERS: Final = seqs(
    "cac cap;cap tinh;tinh;trong tinh;co lien quan;lien quan;va tuong duong;tuong duong;cua tinh;chuc nang"
)
SUPPORT_TRIGGERS: Final = seqs("phoi hop;cung voi;ket hop voi;phoi ket hop voi")
SUPPORT_FILLERS: Final = frozenset({"chat", "che", "voi", "cung", "cua", "giua", "su", "thuong", "xuyen"})


def index(seqs: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for seq in seqs:
        by_first.setdefault(seq[0], []).append(seq)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_first.items()}


PREFIX_IX: Final = index(PREFIXES)
NON_ASSIGNEE_IX: Final = index(NON_ASSIGNEES)
UNIT_HEAD_IX: Final = index(UNIT_HEADS)
GENERIC_IX: Final = index(GENERIC_HEADS)
STOP_IX: Final = index(STOPS)
QUALIFIER_IX: Final = index(QUALIFIERS)
TRIGGER_IX: Final = index(SUPPORT_TRIGGERS)
TITLE_IX: Final = index(TITLES)
ASSIGN_VERBS_IX: Final = index(ASSIGN_VERBS)


def match_any(tokens: Tokens, i: int, ix: dict[str, tuple[tuple[str, ...], ...]]) -> int:
    """Length of the longest phrase of `ix` at token i (0 if none)."""
    if i >= len(tokens):
        return 0
    for seq in ix.get(tokens.keys[i], ()):
        if tokens.match(i, seq):
            return len(seq)
    return 0


def is_stop(tokens: Tokens, i: int) -> bool:
    return not tokens.caps[i] and match_any(tokens, i, STOP_IX) > 0
