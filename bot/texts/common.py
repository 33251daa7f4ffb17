"""Words used everywhere: escaping, roles, help, errors, dates."""


from __future__ import annotations

import html
import re


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


def strip_tags(value: str) -> str:
    """Plain text of a template, for places without HTML (button toasts)."""
    return html.unescape(re.sub(r"<[^>]+>", "", value))


# --- general ------------------------------------------------------------------------------
ERROR_GENERIC = "Xin lỗi, đã có lỗi khi xử lý yêu cầu; vui lòng thử lại sau ít phút."
# The database could not store it (disk full, locked, unreachable): kept in the local spool, or not.
STORE_DEFERRED = (
    "⚠️ Hệ thống đang gặp sự cố lưu trữ nên <b>chưa lưu được</b> tin này. Bot đã giữ lại và "
    "<b>sẽ tự lưu khi hệ thống hoạt động lại</b>; anh/chị không cần gửi lại."
)
STORE_DEFERRED_ALERT = "Chưa lưu được do sự cố lưu trữ. Bot sẽ tự lưu khi hệ thống hoạt động lại; không cần bấm lại."
STORE_FAILED_RESEND = (
    "⚠️ Hệ thống đang gặp sự cố lưu trữ nên <b>chưa lưu được</b> tin này. Vui lòng gửi lại sau ít phút."
)
STORE_FAILED_ALERT = "Chưa lưu được do sự cố lưu trữ. Vui lòng bấm lại sau ít phút."
# Appended to the first line of a notice, reminder or office message sent again after an uncertain send.
RESENT_MARK = "(nhắc lại)"
UNKNOWN_COMMAND = "Lệnh {command} không có. Gõ /help để xem các lệnh được hỗ trợ."
PRIVATE_ONLY = "Lệnh này chỉ dùng trong tin nhắn riêng với bot."
USE_PRIVATE = "Vui lòng dùng lệnh /{command} trong tin nhắn riêng với bot."
NEED_ROLE = (
    "Lệnh /{command} dành cho: {roles}.\n"
    "Vai trò hiện tại của anh/chị: <b>{mine}</b>. Nếu cần quyền này, vui lòng liên hệ quản trị viên "
    "và gửi mã số <code>{user_id}</code>."
)
TEXT_TOO_LONG = "Nội dung quá dài ({size} ký tự; tối đa {limit}). Vui lòng gửi tệp .docx/.pdf hoặc chia nhỏ."
BUTTON_STALE = "Nút này không còn hiệu lực. Vui lòng dùng tin nhắn mới nhất của bot."
UNSUPPORTED_MESSAGE = "Bot chưa hiểu loại tin nhắn này. Gõ /help để xem cách dùng."

ROLE_NAMES = {
    "admin": "Quản trị viên",
    "secretary": "Chuyên viên Văn phòng (thư ký)",
    "leader": "Lãnh đạo (chỉ xem)",
    "unit_contact": "Đầu mối đơn vị",
}
NO_ROLE = "chưa được phân quyền"

START_PRIVATE = (
    "Xin chào {name}!\n"
    "Tôi là <b>dondoc</b>, trợ lý theo dõi, đôn đốc việc thực hiện văn bản chỉ đạo "
    "(công văn, chỉ thị, thông báo kết luận) của Tỉnh ủy, UBND tỉnh.\n\n"
    "Vai trò của anh/chị: <b>{role}</b>.\n"
    "Gõ /help để xem các việc anh/chị có thể làm."
)
START_NO_ROLE_HINT = (
    "\n\nAnh/chị chưa được phân quyền. Vui lòng liên hệ quản trị viên và gửi mã số: <code>{user_id}</code>."
)

HELP_HEADER_PRIVATE = "<b>Hướng dẫn sử dụng dondoc</b>\nVai trò của anh/chị: <b>{role}</b>.\n"
HELP_ROLE_INTRO = {
    "admin": "Anh/chị quản lý danh mục đơn vị, phân quyền, cấp đường dẫn mời nhóm, và làm mọi việc của thư ký.",
    "secretary": (
        "Anh/chị đăng ký văn bản chỉ đạo, kiểm tra nhiệm vụ được tách tự động, đặt hạn và lịch nhắc, "
        "xác nhận kết quả và duyệt gia hạn."
    ),
    "leader": "Anh/chị xem báo cáo tổng hợp hằng tuần trên kênh, số liệu theo đơn vị và tải tệp Excel.",
    "unit_contact": (
        "Anh/chị nhận thông báo nhiệm vụ của đơn vị trong nhóm Telegram của đơn vị, "
        "và báo cáo tiến độ bằng nút bấm hoặc bằng cách trả lời (reply) tin nhắn của bot."
    ),
}
HELP_NO_ROLE = (
    "Anh/chị chưa được phân quyền. Vui lòng liên hệ quản trị viên và gửi mã số "
    "<code>{user_id}</code> để được cấp quyền."
)
HELP_COMMANDS_TITLE = "\n<b>Các lệnh:</b>"
HELP_COMMAND_LINE = "/{name} — {description}"
HELP_GROUP = (
    "<b>dondoc trong nhóm của đơn vị</b>\n"
    "Bot gửi vào nhóm thông báo nhiệm vụ mới và lời nhắc theo lịch.\n"
    "Để báo cáo, anh/chị <b>bấm nút</b> dưới tin nhắn của bot, hoặc <b>trả lời (reply)</b> "
    "đúng tin nhắn đó bằng một câu ngắn, ví dụ:\n"
    "• <i>đã hoàn thành</i>\n"
    "• <i>đang thực hiện 60%</i>\n"
    "• <i>vướng: thiếu kinh phí</i>\n"
    "• <i>xin gia hạn đến 30/6</i>\n"
    "Tin nhắc nhiều nhiệm vụ: bắt đầu câu trả lời bằng số thứ tự, ví dụ <i>[2] đã hoàn thành</i>.\n"
    "/mytasks — nhiệm vụ đang mở của đơn vị, kèm nút báo cáo\n"
    "/report &lt;mã&gt; &lt;nội dung&gt; — báo cáo một nhiệm vụ theo mã trong /mytasks\n"
    "Lưu ý: bot chỉ đọc được tin nhắn trả lời trực tiếp tin của bot và các lệnh."
)

# Command menu descriptions (shown by Telegram next to each command; max 256 characters).
CMD_START = "Bắt đầu, xem vai trò của anh/chị"
CMD_HELP = "Hướng dẫn sử dụng"


# --- the reference of a directive without a number (bot/refs.py) ---------------------------
REF_KIND_CODES = {
    "công văn": "CV", "chỉ thị": "CT", "thông báo": "TB", "kết luận": "KL", "kế hoạch": "KH",
    "nghị quyết": "NQ", "quyết định": "QĐ", "hướng dẫn": "HD", "công điện": "CĐ", "báo cáo": "BC",
    "quy định": "QĐi", "chương trình": "CTr",
}  # fmt: skip
REF_NO_KIND = "Văn bản"
REF_DATE = "ngày {date}"
REF_TITLE = "({title})"
REF_ID = "số thứ tự {id}"


# --- flood control ----------------------------------------------------------------------------
FLOOD_WARNING = "Anh/chị gửi quá nhanh. Bot tạm bỏ qua các tin nhắn trong ít giây; vui lòng chờ rồi gửi lại."
