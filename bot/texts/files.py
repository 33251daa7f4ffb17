"""Vietnamese strings of units' files and of the drafted báo cáo (kept apart from bot/texts.py so
the feature stays in its own modules). Telegram texts are HTML: callers escape their values."""

from __future__ import annotations

# --- units' files ----------------------------------------------------------------------------
FILE_NOTE = "đã gửi báo cáo"  # a file without a caption: a note, never "done"
FILE_PHOTO_STEM = "anh-bao-cao-{id}"
FILE_SAVED = "📎 Đã nhận tệp “{name}” ({size}) cho nhiệm vụ <b>{label}</b> của {number} ({unit}): {status}."
FILE_SAVED_STALE = "📎 Đã lưu tệp “{name}” cho nhiệm vụ {label} của {number} ({unit}). {why}"
FILE_REFUSED = {
    "type": (
        "❌ Bot không nhận loại tệp này nên chưa lưu gì. Đơn vị gửi báo cáo dạng PDF, Word (DOC, DOCX), "
        "Excel (XLS, XLSX) hoặc ảnh (JPG, PNG)."
    ),
    "size": "❌ Tệp lớn hơn {limit} MB nên bot chưa lưu gì. Đơn vị gửi bản nhẹ hơn (ví dụ PDF nén) hoặc chia nhỏ.",
    "unknown": (
        "Tệp này chưa gắn với nhiệm vụ nào nên bot chưa lưu gì. Hãy gửi tệp bằng cách trả lời (reply) tin nhắn "
        "giao việc hoặc nhắc việc, hoặc ghi chú thích “/report &lt;mã&gt;” (mã xem bằng /mytasks)."
    ),
    "usage": "Ghi chú thích của tệp theo mẫu: /report &lt;mã nhiệm vụ&gt; [nội dung]. Mã xem bằng /mytasks.",
    "which": (
        "Tin nhắn này có nhiều nhiệm vụ ({codes}) nên bot chưa lưu tệp. Gửi lại tệp, ghi mã nhiệm vụ ở đầu "
        "chú thích, ví dụ “[{code}] báo cáo kết quả”."
    ),
    "bad_code": "Mã nhiệm vụ trong chú thích không có trong tin nhắn này (các mã: {codes}); bot chưa lưu tệp.",
    "wrong_chat": "Tệp này trả lời nhiệm vụ của đơn vị khác (hoặc nhóm không còn gắn với đơn vị); bot không lưu.",
    "not_yours": "Nhiệm vụ #{code} không phải của đơn vị này; bot không lưu tệp. Xem danh sách: /mytasks",
    "no_unit": (
        "Tệp báo cáo gửi trong nhóm Telegram của đơn vị, hoặc trong tin nhắn riêng nếu anh/chị là đầu mối "
        "của một đơn vị; bot chưa lưu gì."
    ),
}
SUMMARY_FILES = (
    "📎 Tệp báo cáo các đơn vị gửi trong kỳ: <b>{n}</b> "
    "(danh sách trong tệp Excel; nhận lại tệp: /directive &lt;số&gt;)"
)
SHEET_FILES = "Tệp báo cáo"
HEADERS_FILES = ("Thời điểm nhận", "Đơn vị", "Văn bản", "Nhiệm vụ", "Tên tệp", "Loại", "Dung lượng (byte)")
FILE_KINDS = {"document": "Tệp", "photo": "Ảnh"}
FILES_TITLE = "📎 <b>Tệp báo cáo của các đơn vị</b> ({n} tệp) — bấm nút để nhận lại tệp:"
FILES_LINE = "{n}. NV {label} · {unit}: {name} ({size}, {date})"
FILES_MORE = "… và {n} tệp khác (xem trang “Tệp báo cáo” trong tệp Excel: /export)."
FILE_BUTTON = "📎 {n}"
FILE_NOT_ALLOWED = "Chỉ lãnh đạo, chuyên viên Văn phòng và quản trị viên nhận lại được tệp báo cáo của đơn vị."
FILE_GONE = "Tệp này không còn trong cơ sở dữ liệu."
FILE_CAPTION = "📎 {name} — NV {label} của {number}, {date}"
SIZE_KB = "{n} KB"
SIZE_MB = "{n:.1f} MB"

# --- /baocao and `dondoc report` ---------------------------------------------------------------
CMD_BAOCAO = "Dự thảo báo cáo kết quả thực hiện (.docx): /baocao <số VB> [kỳ]"
BAOCAO_USAGE = (
    "Cách dùng: /baocao &lt;số thứ tự văn bản&gt; [kỳ], ví dụ /baocao 3 hoặc /baocao 3 tháng 11. "
    "Không ghi kỳ: từ ngày đăng ký văn bản đến hôm nay. Số thứ tự xem bằng /directives."
)
BAOCAO_CAPTION = "📄 Dự thảo báo cáo kết quả thực hiện {ref} ({period}). Mở bằng Word, kiểm tra, ghi số và ký."
BAOCAO_FILE = "bao-cao-ket-qua-vb{id}.docx"
CLI_BACKUP_COPIES = "Đã sao lưu {n} tệp báo cáo của đơn vị vào {out}."
CLI_BAOCAO_WRITTEN = "Đã ghi {path}: báo cáo kết quả thực hiện {ref} ({period})."
CLI_BAOCAO_NOT_FOUND = "Không có văn bản số thứ tự {id} trong cơ sở dữ liệu (xem: dondoc summary, /directives)."
CLI_BAOCAO_BAD_PERIOD = 'Kỳ báo cáo không hợp lệ: {text} (ví dụ: "tháng 11", "quý 4/2026", "01/10-30/11").'

# --- dondoc demo ---------------------------------------------------------------------------------
DEMO_SCENE_BAOCAO = (
    "6. Công an tỉnh gửi báo cáo có dấu (PDF) bằng cách trả lời nhắc việc; thư ký nhận lại tệp từ /directive 1 "
    "và lấy dự thảo báo cáo kết quả thực hiện: /baocao 1"
)
DEMO_BAOCAO_SAVED = "Dự thảo báo cáo (.docx) đã được ghi vào: {path}"
