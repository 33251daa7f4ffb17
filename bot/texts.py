"""Every user-facing string, in Vietnamese. Values interpolated into HTML must be escaped by callers
through `esc()`; the templates themselves are trusted HTML."""

from __future__ import annotations

import html


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


# --- configuration and command line (operator-facing) -------------------------------------
CONFIG_NOT_FOUND = "Lỗi cấu hình: không tìm thấy tệp {path} (đặt --config hoặc DONDOC_CONFIG)."
CONFIG_UNREADABLE = "Lỗi cấu hình: không đọc được tệp {path}: {error}"
CONFIG_BAD_YAML = "Lỗi cấu hình: {where}: YAML không hợp lệ ({error})."
CONFIG_NOT_MAPPING = "Lỗi cấu hình: {path} phải là một bảng khóa: giá trị."
CONFIG_TOKEN_IN_FILE = (
    "Lỗi cấu hình: khóa bot_token không được để trong config.yaml; hãy đặt biến môi trường DONDOC_BOT_TOKEN."
)
CONFIG_MISSING_TOKEN = "Lỗi cấu hình: thiếu mã bot; hãy đặt biến môi trường DONDOC_BOT_TOKEN."
CONFIG_INVALID = "Lỗi cấu hình: khóa {key}: {error}"
CONFIG_UNKNOWN_KEY = "khóa không được hỗ trợ"
CONFIG_UNQUOTED_TIME = 'giờ phải đặt trong ngoặc kép, ví dụ "18:30" (YAML đọc 18:30 không ngoặc thành một số)'
CONFIG_BAD_ZONE = "múi giờ {zone} không tồn tại (ví dụ đúng: Asia/Ho_Chi_Minh)"
CONFIG_DUPLICATE_UNIT = "mã đơn vị {code} bị trùng"
CONFIG_NEGATIVE_DAYS = "số ngày trước hạn phải lớn hơn hoặc bằng 0"
CONFIG_BAD_TIME = 'giờ phải có dạng "HH:MM", ví dụ "08:00"'

# --- general ------------------------------------------------------------------------------
ERROR_GENERIC = "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Dữ liệu của anh/chị vẫn an toàn; vui lòng thử lại sau ít phút."
UNKNOWN_COMMAND = "Lệnh {command} không có. Gõ /help để xem các lệnh được hỗ trợ."
PRIVATE_ONLY = "Lệnh này chỉ dùng trong tin nhắn riêng với bot."
TEXT_TOO_LONG = "Nội dung quá dài ({size} ký tự; tối đa {limit}). Vui lòng gửi tệp .docx/.pdf hoặc chia nhỏ."
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
    "Lưu ý: bot chỉ đọc được tin nhắn trả lời trực tiếp tin của bot và các lệnh."
)

# Command menu descriptions (shown by Telegram next to each command; max 256 characters).
CMD_START = "Bắt đầu, xem vai trò của anh/chị"
CMD_HELP = "Hướng dẫn sử dụng"

# --- command line ---------------------------------------------------------------------------
CLI_DESCRIPTION = "dondoc: bot Telegram theo dõi, đôn đốc thực hiện văn bản chỉ đạo."
CLI_DB_UPGRADED = "Cơ sở dữ liệu đã ở phiên bản mới nhất ({revision})."
CLI_DB_CURRENT = "Phiên bản cơ sở dữ liệu: {revision} (mới nhất: {head})."
CLI_DB_ERROR = "Lỗi cơ sở dữ liệu: không kết nối hoặc nâng cấp được ({error})."
CLI_STARTING = "dondoc đang khởi động (cơ sở dữ liệu: {db}); nhấn Ctrl+C để dừng."
CHECK_OK = "OK   {what}"
CHECK_WARN = "CHÚ Ý {what}"
CHECK_FAIL = "LỖI {what}"
CHECK_CONFIG = "cấu hình {path}"
CHECK_TIMEZONE = "múi giờ {tz}"
CHECK_DB = "cơ sở dữ liệu {db} ở phiên bản {revision}"
CHECK_DB_BEHIND = "cơ sở dữ liệu {db} ở phiên bản {revision}, cần {head}: chạy 'dondoc db upgrade'"
CHECK_DB_UNREACHABLE = "không kết nối được cơ sở dữ liệu {db}: {error}"
CHECK_TOKEN = "có mã bot (DONDOC_BOT_TOKEN)"
CHECK_NO_TOKEN = "chưa đặt DONDOC_BOT_TOKEN: 'dondoc run' sẽ không chạy được"
CHECK_NO_ADMINS = "chưa khai báo quản trị viên (admins) trong cấu hình"
CHECK_ADMINS = "{n} quản trị viên"
CHECK_NO_CHANNEL = "chưa khai báo kênh tổng hợp (summary.channel_id): báo cáo tuần sẽ không được đăng"
CHECK_CHANNEL = "kênh tổng hợp {channel}"
CHECK_UNITS = "danh mục {n} đơn vị"
CHECK_NO_UNITS = "danh mục đơn vị trống (units)"
CHECK_SUMMARY = "Kết quả: {fails} lỗi, {warns} chú ý."

# --- units directory & dates ---------------------------------------------------------------
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
ONGOING_LABEL = "Thường xuyên"

UNIT_BAD_CODE = (
    "Mã đơn vị “{code}” không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch dưới "
    "(tối đa 48 ký tự), ví dụ so_tttt."
)
UNIT_CODE_TAKEN = "Mã đơn vị {code} đã được dùng cho “{name}”."
UNIT_EMPTY_NAME = "Tên đơn vị không được để trống."
UNIT_NAME_TOO_LONG = "Tên “{name}” quá dài (tối đa 255 ký tự)."
UNIT_NAME_TAKEN = "“{name}” đã là tên hoặc tên gọi khác của đơn vị “{other}” ({code})."
UNIT_NOT_FOUND = "Không tìm thấy đơn vị “{ref}” (hãy nhập mã, tên hoặc tên gọi khác của đơn vị)."
UNIT_BAD_KIND = "Loại đơn vị “{kind}” không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch dưới."
UNIT_BAD_MEMBER = (
    "Thành viên “{member}” không hợp lệ: hãy ghi mã đơn vị (ví dụ so_tttt) hoặc kind:loại (ví dụ kind:so)."
)
UNIT_ALIAS_EMPTY = "Tên gọi khác không được để trống."
UNIT_ALIAS_EXISTS = "“{alias}” đã là tên hoặc tên gọi khác của đơn vị “{name}”."
UNIT_ALIAS_MISSING = "Đơn vị “{name}” không có tên gọi khác “{alias}”."
UNIT_ALREADY_INACTIVE = "Đơn vị “{name}” đã ngừng hoạt động từ trước."
UNIT_ALREADY_ACTIVE = "Đơn vị “{name}” đang hoạt động."

CSV_LINE = "Dòng {line}: {error}"
CSV_EMPTY = "tệp CSV trống (cần dòng tiêu đề code,name,kind,aliases,members,active)"
CSV_MISSING_COLUMNS = "thiếu cột {columns} ở dòng tiêu đề"
CSV_UNKNOWN_COLUMN = "cột “{column}” không được hỗ trợ (các cột: code,name,kind,aliases,members,active)"
CSV_MISSING_CODE = "thiếu mã đơn vị (cột code)"
CSV_MISSING_NAME = "thiếu tên đơn vị (cột name)"
CSV_DUPLICATE_CODE = "mã {code} bị lặp lại (đã có ở dòng {first})"
CSV_BAD_ACTIVE = "giá trị active “{value}” không hợp lệ (dùng 1 hoặc 0)"
CSV_UNKNOWN_MEMBER = "thành viên {member} không phải mã của đơn vị nào trong danh mục"
CSV_BAD_FORMAT = "tệp CSV không hợp lệ ({error})"
CSV_NOT_UTF8 = "tệp {path} không phải UTF-8; trong Excel hãy lưu dạng “CSV UTF-8 (Comma delimited)”"
CSV_UNREADABLE = "không đọc được tệp {path}: {error}"
CSV_NOT_FOUND = "không tìm thấy tệp {path}"
CSV_IMPORT_FAILED = "Lỗi nhập danh mục đơn vị: {error}. Không có thay đổi nào được ghi."
CSV_IMPORT_SUMMARY = (
    "Đã nhập danh mục đơn vị: thêm mới {added}, đổi tên {renamed}, thêm tên gọi khác {aliases}, "
    "cập nhật {updated}, ngừng hoạt động {deactivated}, hoạt động lại {reactivated}, không đổi {unchanged}."
)
CSV_EXPORTED = "Đã xuất {n} đơn vị ra tệp {path}."
CLI_UNITS_ERROR = "Lỗi danh mục đơn vị: {error}"
UNITS_LIST_EMPTY = "Danh mục đơn vị trống."
UNITS_LIST_INACTIVE = " (ngừng hoạt động)"
UNITS_LIST_TOTAL = "Tổng: {n} đơn vị, trong đó {inactive} ngừng hoạt động."
UNITS_LIST_LINE = "{code} — {name} [{kind}]{inactive}"

# --- parser ---------------------------------------------------------------------------------
PARSE_FAILED = "Không phân tích được văn bản; vui lòng kiểm tra và nhập các nhiệm vụ bằng tay."
PARSE_NO_DUTIES = "Không tìm thấy nhiệm vụ được đánh số (1., 2., 2.1. ...) trong văn bản."
PARSE_NO_NUMBER = "Không tìm thấy số, ký hiệu văn bản."
PARSE_NO_DATE = "Không tìm thấy ngày ban hành."
PARSE_BAD_DATE = "Ngày ban hành “{text}” không hợp lệ."
PARSE_KIND_GUESSED = "Không ghi loại văn bản; tạm xác định là công văn (vì có “Kính gửi”)."
PARSE_UNRESOLVED = "Nhiệm vụ {label}: chưa nhận ra đơn vị “{text}” trong danh mục."
PARSE_GENERAL_NO_RECIPIENTS = (
    "Nhiệm vụ {label} không nêu đơn vị thực hiện và không xác định được nơi nhận; vui lòng chọn đơn vị."
)
PARSE_RECIPIENT_UNKNOWN = "Nơi nhận “{text}” chưa có trong danh mục đơn vị."
PARSE_RECIPIENTS_FROM_DISTRIBUTION = "Văn bản không có “Kính gửi”; các đơn vị ở “Nơi nhận” được coi là nơi thực hiện."
PARSE_MONITOR_UNKNOWN = "Đơn vị theo dõi, đôn đốc “{name}” chưa có trong danh mục."
PARSE_SKIPPED_SECTION = "Bỏ qua phần “{heading}” (không phải nhiệm vụ)."

EXTRACT_ERRORS = {
    "unsupported": "Không hỗ trợ loại tệp này; vui lòng gửi tệp .docx, .pdf (có lớp chữ) hoặc .txt.",
    "too_large": "Tệp quá lớn (tối đa {limit} MB).",
    "no_text": "Tệp không có nội dung chữ (có thể là bản quét); vui lòng gửi bản .docx hoặc dán nội dung.",
    "corrupt": "Tệp bị hỏng hoặc không đọc được; vui lòng kiểm tra và gửi lại.",
}
CLI_PARSE_HELP = "phân tích một văn bản chỉ đạo (.docx/.pdf/.txt) và in kết quả"
CLI_PARSE_NOT_FOUND = "Không tìm thấy tệp {path}."
CLI_PARSE_UNREADABLE = "Không đọc được tệp {path}: {error}"
CLI_PARSE_ERROR = "Lỗi đọc tệp {path}: {error}"
SUMMARY_NUMBER = "Số, ký hiệu: {value}"
SUMMARY_KIND = "Loại văn bản: {value}"
SUMMARY_TITLE = "Trích yếu: {value}"
SUMMARY_PLACE_DATE = "Nơi, ngày ban hành: {place}, {date}"
SUMMARY_ISSUER = "Cơ quan ban hành: {value}"
SUMMARY_SIGNER = "Người ký: {name} ({title})"
SUMMARY_MISSING = "(chưa xác định)"
SUMMARY_RECIPIENTS = "Kính gửi:"
SUMMARY_RECIPIENT = "  - {text}{units}"
SUMMARY_DUTIES = "Nhiệm vụ ({n}):"
SUMMARY_DUTY = "  {label}. {text}"
SUMMARY_LEADS = "      Chủ trì: {units}"
SUMMARY_SUPPORTS = "      Phối hợp: {units}"
SUMMARY_GENERAL = "      Nhiệm vụ chung, giao các nơi nhận: {units}"
SUMMARY_GROUP = "      (đề mục, gồm các nhiệm vụ con)"
SUMMARY_UNRESOLVED = "      Chưa nhận ra: “{text}”{hint}"
SUMMARY_SUGGEST = " — có phải: {names}?"
SUMMARY_MONITOR = "Đơn vị theo dõi, đôn đốc: {name}"
SUMMARY_NO_MONITOR = "Đơn vị theo dõi, đôn đốc: (không nêu)"
SUMMARY_WARNINGS = "Lưu ý:"
SUMMARY_WARNING = "  ! {text}"
SUMMARY_MORE_UNITS = " và {n} đơn vị khác"
