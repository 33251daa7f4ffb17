"""Every user-facing string, in Vietnamese. Values interpolated into HTML must be escaped by callers
through `esc()`; the templates themselves are trusted HTML."""

from __future__ import annotations

import html
import re


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


def strip_tags(value: str) -> str:
    """Plain text of a template, for places without HTML (button toasts)."""
    return html.unescape(re.sub(r"<[^>]+>", "", value))


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
CONFIG_BAD_ADMINS = (
    "{value!r} không phải danh sách mã người dùng Telegram; viết 123456789,987654321 hoặc dạng JSON [123456789]"
)
CONFIG_BAD_ZONE = "múi giờ {zone} không tồn tại (ví dụ đúng: Asia/Ho_Chi_Minh)"
CONFIG_DUPLICATE_UNIT = "mã đơn vị {code} bị trùng"
CONFIG_NEGATIVE_DAYS = "số ngày trước hạn phải lớn hơn hoặc bằng 0"
CONFIG_BAD_TIME = 'giờ phải có dạng "HH:MM", ví dụ "08:00"'

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

# --- command line ---------------------------------------------------------------------------
CLI_DESCRIPTION = "dondoc: bot Telegram theo dõi, đôn đốc thực hiện văn bản chỉ đạo."
CLI_DB_UPGRADED = "Cơ sở dữ liệu đã ở phiên bản mới nhất ({revision})."
CLI_DB_CURRENT = "Phiên bản cơ sở dữ liệu: {revision} (mới nhất: {head})."
CLI_DB_ERROR = "Lỗi cơ sở dữ liệu: không kết nối hoặc nâng cấp được ({error})."
CLI_STARTING = "dondoc đang khởi động (cơ sở dữ liệu: {db}); nhấn Ctrl+C để dừng."
# Start-up failures: one line each, with what to do; never the token, never a traceback.
START_BAD_TOKEN = (
    "Telegram từ chối mã bot (DONDOC_BOT_TOKEN): hãy kiểm tra lại mã do @BotFather cấp "
    "(dạng 123456789:ABC...), đặt lại biến môi trường rồi chạy lại."
)
START_NO_NETWORK = (
    "Chưa kết nối được tới Telegram (mạng hoặc telegram.base_url): bot sẽ tự thử lại, giãn dần tới 30 giây; "
    "nhấn Ctrl+C để dừng."
)
START_STOPPED_OFFLINE = "Đã dừng trước khi kết nối được tới Telegram."
START_TELEGRAM_ERROR = "Không khởi động được: Telegram trả lời “{error}”."
CLI_DB_UNREACHABLE = (
    "Không mở được cơ sở dữ liệu {db}: {error}. Hãy kiểm tra DATABASE_URL và máy chủ cơ sở dữ liệu, "
    "hoặc chạy “dondoc check”."
)
CLI_NO_ADMINS = (
    "CHÚ Ý: chưa có quản trị viên nào, nên không ai cấp được vai trò hay quản lý danh mục đơn vị. "
    "Hãy đặt DONDOC_ADMINS=<Telegram user id> (nhiều người: 123,456) hoặc thêm “admins: [<id>]” vào config.yaml "
    "(gửi /whoami cho bot để biết id)."
)
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


def csv_import_failed(error: str) -> str:
    # Unit errors are sentences ending in "."; the template adds its own.
    return CSV_IMPORT_FAILED.format(error=error.rstrip().removesuffix("."))


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
# The parser's notes, by code (bot.domain.parser.Note).
PARSE_NOTES = {
    "failed": "Không phân tích được văn bản; vui lòng kiểm tra và nhập các nhiệm vụ bằng tay.",
    "no_duties": "Không tìm thấy nhiệm vụ nào trong văn bản.",
    "no_number": "Không tìm thấy số, ký hiệu văn bản.",
    "no_date": "Không tìm thấy ngày ban hành.",
    "bad_date": "Ngày ban hành “{text}” không hợp lệ.",
    "kind_guessed": "Không ghi loại văn bản; tạm xác định là công văn (vì có “Kính gửi”).",
    "unresolved": "Nhiệm vụ {label}: chưa nhận ra đơn vị “{text}” trong danh mục.",
    "general_no_recipients": (
        "Nhiệm vụ {label} không nêu đơn vị thực hiện và không xác định được nơi nhận; vui lòng chọn đơn vị."
    ),
    "from_recipients": "Nhiệm vụ {label} không nêu đơn vị; tạm giao cho các nơi nhận ở “Kính gửi”, vui lòng kiểm tra.",
    "recipient_unknown": "Nơi nhận “{text}” chưa có trong danh mục đơn vị.",
    "recipients_from_distribution": "Văn bản không có “Kính gửi”; các đơn vị ở “Nơi nhận” được coi là nơi thực hiện.",
    "monitor_unknown": "Đơn vị theo dõi, đôn đốc “{name}” chưa có trong danh mục.",
    "skipped_section": "Bỏ qua phần “{heading}” (không phải nhiệm vụ).",
}

UPDATE_SET_ASIDE = (
    "⚠️ Một cập nhật đã làm bot dừng đột ngột {crashes} lần khi đang xử lý, nên được bỏ qua và không xử lý lại.\n"
    "update_id {update_id} · loại {kind} · chat {chat} · người gửi {user} · tệp {file}\n"
    "Vui lòng liên hệ người gửi; chi tiết có trong nhật ký (/audit)."
)
EXTRACT_ERRORS = {
    "unsupported": "Không hỗ trợ loại tệp này; vui lòng gửi tệp .docx, .pdf (có lớp chữ) hoặc .txt.",
    "too_large": "Tệp quá lớn (tối đa {limit} MB).",
    "no_text": "Tệp không có nội dung chữ (có thể là bản quét); vui lòng gửi bản .docx hoặc dán nội dung.",
    "corrupt": "Tệp bị hỏng hoặc không đọc được; vui lòng kiểm tra và gửi lại.",
    "expanded_too_large": (
        "Tệp .docx khi giải nén quá lớn ({size} MB; tối đa {limit} MB) nên không được đọc. "
        "Vui lòng lưu lại không kèm hình ảnh, hoặc dán nội dung."
    ),
    "ratio": (
        "Tệp .docx có tỷ lệ nén bất thường (gấp {ratio} lần; tối đa {limit} lần), có thể là tệp độc hại, "
        "nên không được đọc. Vui lòng mở bằng Word, lưu lại rồi gửi, hoặc dán nội dung."
    ),
    "too_many_pages": (
        "Tệp PDF có quá nhiều trang ({pages} trang; tối đa {limit} trang). Vui lòng gửi riêng phần văn bản chỉ đạo."
    ),
    "too_long": (
        "Văn bản trong tệp quá dài (hơn {limit} ký tự) nên không được đọc. Vui lòng gửi riêng phần văn bản chỉ đạo."
    ),
    "too_slow": (
        "Đọc tệp mất quá lâu (hơn {limit} giây) nên đã dừng. Vui lòng gửi bản .docx hoặc .txt, hoặc dán nội dung."
    ),
    "out_of_memory": (
        "Tệp cần quá nhiều bộ nhớ để đọc (hơn {limit} MB) nên đã dừng. Vui lòng gửi bản gọn hơn, hoặc dán nội dung."
    ),
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
# Unit names contain commas ("Ban Chỉ đạo phòng, chống dịch"): quote each, join with "hay".
SUGGEST_NAME = "“{name}”"
SUGGEST_JOIN = " hay "


def suggestion_hint(names: list[str]) -> str:
    """ " — có phải: “A” hay “B”?" (plain text), or "" without names."""
    return SUMMARY_SUGGEST.format(names=SUGGEST_JOIN.join(SUGGEST_NAME.format(name=n) for n in names)) if names else ""


SUMMARY_MONITOR = "Đơn vị theo dõi, đôn đốc: {name}"
SUMMARY_NO_MONITOR = "Đơn vị theo dõi, đôn đốc: (không nêu)"
SUMMARY_WARNINGS = "Lưu ý:"
SUMMARY_WARNING = "  ! {text}"
SUMMARY_MORE_UNITS = " và {n} đơn vị khác"

# --- directives: /newdirective, /directives, /directive -------------------------------------
CMD_NEWDIRECTIVE = "Đăng ký văn bản chỉ đạo mới"
CMD_DIRECTIVES = "Danh sách văn bản đang theo dõi"
CMD_DIRECTIVE = "Chi tiết một văn bản: /directive <số>"
CMD_CANCEL = "Huỷ thao tác đang làm"
NEED_STAFF = "Lệnh này dành cho chuyên viên Văn phòng (thư ký) hoặc quản trị viên. Vui lòng liên hệ quản trị viên."
ND_START = (
    "<b>Đăng ký văn bản mới</b>\n"
    "Dán nội dung văn bản (có thể gửi nhiều tin nhắn liên tiếp) hoặc gửi tệp .docx, .pdf, .txt.\n"
    "Dán xong bấm <b>Xong</b>. Hoặc chọn <b>Nhập tay</b> để nhập từng nhiệm vụ. Gõ /cancel để huỷ."
)
ND_RESUME = "Anh/chị còn một bản nháp chưa lưu ({what}). Tiếp tục bản nháp hay bắt đầu lại?"
ND_RESUME_DUTIES = "{n} nhiệm vụ"
ND_RESUME_PARTS = "{n} phần đã dán"
ND_BTN_DONE = "✅ Xong"
ND_BTN_MANUAL = "✍️ Nhập tay"
ND_BTN_CANCEL = "✖ Huỷ"
ND_BTN_SAVE = "💾 Lưu"
ND_BTN_PLAN = "⏰ Lịch nhắc"
ND_BTN_EDIT = "✏️ Cách sửa"
ND_BTN_RESUME = "↩️ Tiếp tục bản nháp"
ND_BTN_RESTART = "🆕 Bắt đầu lại"
ND_BTN_VIEW = "📄 Xem văn bản #{id}"
ND_BTN_SKIP = "Bỏ qua “{text}”"
ND_RECEIVED = "Đã nhận {parts} phần ({chars} ký tự). Gửi tiếp hoặc bấm <b>Xong</b>."
ND_NOTHING_YET = "Chưa có nội dung. Vui lòng dán văn bản hoặc gửi tệp."
ND_TOO_LONG = "Văn bản quá dài ({size} ký tự; tối đa {limit}). Phần vừa gửi không được thêm; vui lòng gửi tệp."
ND_FILE_TOO_LARGE = "Tệp quá lớn ({size} MB; tối đa {limit} MB)."
ND_FILE_READING = "Đang đọc tệp {name}…"
ND_NO_DUTIES = (
    "Không tìm thấy nhiệm vụ được đánh số (1., 2., 2.1. …) trong văn bản. "
    "Anh/chị có thể nhập tay từng nhiệm vụ, hoặc gửi lại văn bản khác."
)
ND_DUPLICATE_FILE = "Văn bản này đã được đăng ký: #{id} {number} — {title}. Không lưu lần hai."
ND_DUPLICATE_NUMBER = (
    "Đã có văn bản cùng số {number}: #{id} — {title}. Nếu đây là văn bản khác, anh/chị vẫn có thể kiểm tra và lưu."
)
ND_PREVIEW_HEADER = "<b>Xem trước — kiểm tra trước khi lưu</b>"
ND_FIELD = "{name}: {value}"
ND_FIELD_NUMBER = "Số, ký hiệu"
ND_FIELD_KIND = "Loại"
ND_FIELD_TITLE = "Trích yếu"
ND_FIELD_DATE = "Ngày ban hành"
ND_FIELD_SIGNER = "Người ký"
ND_FIELD_MONITOR = "Theo dõi, đôn đốc"
ND_FIELD_PLAN = "Lịch nhắc"
ND_MISSING = "(chưa có)"
ND_DUTIES_TITLE = "\n<b>Nhiệm vụ ({n}):</b>"
ND_DUTY = "<b>{label}.</b> {text}"
ND_DUTY_LEADS = "   Chủ trì: <b>{units}</b>"
ND_DUTY_SUPPORTS = "   Phối hợp: {units}"
ND_DUTY_GENERAL = "   (nhiệm vụ chung) Giao: {units}"
ND_DUTY_NO_UNITS = "   ⚠️ Chưa có đơn vị thực hiện"
ND_DUTY_COUNTED = "   {role} ({n} đơn vị): {units}"
ND_ROLE_LEADS = "Chủ trì"
ND_ROLE_SUPPORTS = "Phối hợp"
ND_DUTY_MANY = "   ⚠️ Giao cho {n} đơn vị — nhiều hơn {limit}, vui lòng kiểm tra."
ND_DUTY_FROM_RECIPIENTS = "   ⚠️ Đơn vị lấy từ “Kính gửi”, không từ nội dung nhiệm vụ hay mục trên — vui lòng kiểm tra."
ND_DUTY_MENTIONED = "   ⚠️ Nội dung có nêu {names} nhưng chưa được giao."
ND_TOTALS = "<b>Tổng cộng:</b> {duties} nhiệm vụ, {assignments} lượt giao cho {units} đơn vị{unbound}."
ND_TOTALS_UNBOUND = "; {n} đơn vị chưa có nhóm Telegram"
ND_BTN_UNITS = "👥 {label}: {n} đơn vị"
ND_UNITS_ALL = "<b>Nhiệm vụ {label}</b>\n{lines}"
ND_UNITS_ROLE = "<b>{role}</b> ({n}):\n{names}"
ND_DUTY_DEADLINE = "   Hạn: {deadline}"
ND_DUTY_UNRESOLVED = "   ❓ Chưa nhận ra: “{text}”{hint}"
ND_ONGOING = "thường xuyên"
ND_NO_DEADLINE = "chưa đặt (coi là thường xuyên)"
ND_WARNINGS = "\n<b>Lưu ý:</b>"
ND_WARNING = "• {text}"
ND_EDIT_HELP = (
    "<b>Sửa trước khi lưu</b> — gõ một dòng:\n"
    "• <code>hạn 30/6</code> — hạn chung cho mọi nhiệm vụ (cũng hiểu: 30/6/2026, cuối tháng, thứ Sáu tuần sau, "
    "thường xuyên)\n"
    "• <code>hạn 2 30/6</code> — hạn cho nhiệm vụ 2\n"
    "• <code>chủ trì 2: Sở Y tế, Công an tỉnh</code> — thay đơn vị chủ trì\n"
    "• <code>phối hợp 2: Sở Tài chính</code> — thay đơn vị phối hợp\n"
    "• <code>thêm chủ trì 2: …</code>, <code>thêm phối hợp 2: …</code> — thêm đơn vị\n"
    "• <code>xoá 3</code> — bỏ nhiệm vụ 3\n"
    "• <code>theo dõi: Văn phòng Tỉnh ủy</code> — đơn vị theo dõi, đôn đốc\n"
    "Xong thì bấm <b>Lưu</b>."
)
ND_EDIT_DONE = "Đã sửa. {what}"
ND_EDIT_WHAT = {
    "deadline": "Đã đặt hạn cho nhiệm vụ {labels}.",
    "remove": "Đã bỏ nhiệm vụ {labels}.",
    "leads": "Đã thay đơn vị chủ trì nhiệm vụ {labels}.",
    "supports": "Đã thay đơn vị phối hợp nhiệm vụ {labels}.",
    "add_lead": "Đã thêm đơn vị chủ trì nhiệm vụ {labels}.",
    "add_support": "Đã thêm đơn vị phối hợp nhiệm vụ {labels}.",
    "monitor": "Đã đặt đơn vị theo dõi, đôn đốc.",
}
EDIT_ERRORS = {
    "not_understood": "Chưa hiểu yêu cầu sửa. Bấm “Cách sửa” để xem các mẫu câu.",
    "no_such_duty": "Không có nhiệm vụ {label}.",
    "bad_date": "Chưa hiểu thời hạn “{text}”. Ví dụ: 30/6, 30/6/2026, cuối tháng, thứ Sáu tuần sau, thường xuyên.",
    "unknown_unit": "Không có đơn vị “{name}” trong danh mục.{hints}",
    "ambiguous_unit": "Chưa rõ đơn vị “{name}”: có nhiều đơn vị khớp.{hints}",
    "no_units": "Chưa nêu đơn vị nào.",
}
# Names contain commas ("Ban Chỉ đạo phòng, chống dịch"), so suggestions go one per line.
EDIT_HINTS = "\nCó phải một trong các đơn vị sau?\n{names}"
EDIT_HINT_LINE = "• {name}"
ND_PLAN_TITLE = "Chọn lịch nhắc cho các đơn vị:"
ND_PLANS = {
    "weekly": "Thứ Hai hằng tuần 08:00 + trước hạn 3 và 1 ngày",
    "deadline": "Chỉ trước hạn 7, 3, 1 ngày và đúng ngày",
    "daily": "Mỗi ngày làm việc 08:00 + trước hạn 1 ngày",
    "monthly": "Ngày 1 hằng tháng 08:00 + trước hạn 7 và 1 ngày",
}
ND_PLAN_SET = "Lịch nhắc: {plan}."
ND_PICKED = "Đã thêm {unit} vào nhiệm vụ {label}."
ND_SKIPPED = "Đã bỏ qua “{text}”."
ND_SAVE_BLOCKED = {
    "no_duties": "Chưa có nhiệm vụ nào để lưu.",
    "no_units": "Chưa nhiệm vụ nào có đơn vị thực hiện; vui lòng giao đơn vị trước khi lưu.",
    "unknown_codes": "Đơn vị {codes} không còn trong danh mục; vui lòng chọn lại.",
    "duplicate_file": "Văn bản này đã được đăng ký; không lưu lần hai.",
}
ND_SAVED = (
    "✅ <b>Đã lưu văn bản #{id}</b> {number}\n{title}\n"
    "{duties} nhiệm vụ, {assignments} lượt giao cho {units} đơn vị. Thông báo giao việc đã được xếp lịch gửi."
)
ND_UNBOUND = "\n⚠️ {n} đơn vị chưa có nhóm Telegram (sẽ nhận thông báo khi nhóm được gắn): {names}"
ND_ALL_BOUND = "\nMọi đơn vị đều đã có nhóm Telegram."
ND_CANCELLED = "Đã huỷ. Chưa có gì được lưu."
ND_NOTHING_TO_CANCEL = "Không có thao tác nào đang làm."
ND_TIMEOUT = (
    "Phiên đăng ký văn bản đã hết thời gian chờ ({minutes} phút). Bản nháp được giữ lại: gõ /newdirective để tiếp tục."
)
ND_STALE_BUTTON = "Nút này thuộc bản nháp cũ hoặc đã hết hạn."
ND_UNEXPECTED = "Trong lúc đăng ký văn bản, vui lòng gửi văn bản/tệp, dòng sửa, hoặc bấm nút; /cancel để huỷ."
ND_MANUAL_START = (
    "<b>Nhập tay</b>. Gửi số, ký hiệu ở dòng đầu và trích yếu ở dòng sau, ví dụ:\n"
    "<code>1046-CV/TU\nTăng cường phòng, chống dịch Covid-19</code>"
)
ND_MANUAL_HEADER_BAD = "Vui lòng gửi hai dòng: số, ký hiệu rồi trích yếu."
ND_MANUAL_DUTY = (
    "Gửi từng nhiệm vụ, mỗi tin nhắn một nhiệm vụ, nêu rõ đơn vị, ví dụ:\n"
    "<code>Sở Y tế chủ trì, phối hợp với Công an tỉnh kiểm tra …</code>\n"
    "Xong bấm <b>Xong</b>."
)
ND_MANUAL_ADDED = "Đã thêm nhiệm vụ {label}: chủ trì {leads}."
ND_MANUAL_ADDED_NO_UNIT = "Đã thêm nhiệm vụ {label} — chưa nhận ra đơn vị; có thể sửa ở bước xem trước."
LIST_TITLE = "<b>Văn bản đang theo dõi ({n})</b>"
LIST_TITLE_ALL = "<b>Tất cả văn bản ({n})</b>"
LIST_EMPTY = "Chưa có văn bản nào đang theo dõi. Thư ký dùng /newdirective để đăng ký."
LIST_ROW = "#{id} {ref} — {title}\n   {done}/{total} nhiệm vụ xong · {adone}/{atotal} lượt giao đã báo xong{status}"
LIST_HINT = "\nXem chi tiết: /directive &lt;số&gt;"
STATUS_NAMES = {"active": "đang theo dõi", "closed": "đã kết thúc", "archived": "đã lưu trữ"}
DETAIL_USAGE = "Cách dùng: /directive &lt;số thứ tự&gt;, ví dụ /directive 3. Xem danh sách: /directives"
DETAIL_NOT_FOUND = "Không có văn bản #{id}. Xem danh sách: /directives"
DETAIL_HEADER = "<b>#{id} {ref}</b> — {title}\nTrạng thái: {status}"
DETAIL_DUTY = "\n<b>{label}.</b> {text}\n   Hạn: {deadline}"
DETAIL_UNIT = "   {mark} {role}: {unit} — {status}"
DETAIL_MANY_UNITS = "   Giao {n} đơn vị: {summary}"
ROLE_LEAD = "Chủ trì"
ROLE_SUPPORT = "Phối hợp"
ASSIGNMENT_STATUS_NAMES = {
    "assigned": "đã giao",
    "in_progress": "đang thực hiện",
    "reported_done": "báo hoàn thành",
    "confirmed": "đã xác nhận hoàn thành",
    "returned": "bị trả lại",
}
DETAIL_BTN_CLOSE = "🔒 Kết thúc theo dõi"
DETAIL_BTN_ARCHIVE = "🗄 Lưu trữ"
DETAIL_BTN_REOPEN = "🔓 Mở lại"
DIRECTIVE_STATUS_SET = "Văn bản #{id}: {status}."
DIRECTIVE_SAME_STATUS = "Văn bản đã ở trạng thái này."

# --- units admin (chat) ---------------------------------------------------------------------
CMD_UNITS = "Danh mục đơn vị và nhóm Telegram của từng đơn vị"
CMD_UNIT = "Quản lý danh mục đơn vị: thêm, đổi tên, tên gọi khác, ngừng hoạt động"
UNITS_READERS_ONLY = (
    "Rất tiếc, danh mục đơn vị chỉ dành cho quản trị viên, thư ký và lãnh đạo. "
    "Nếu anh/chị cần xem, vui lòng liên hệ quản trị viên."
)
UNIT_ADMIN_ONLY = (
    "Rất tiếc, việc quản lý danh mục đơn vị cần quyền <b>quản trị viên</b>. "
    "Nếu cần thay đổi, vui lòng liên hệ quản trị viên."
)
UNITS_USE_PRIVATE = "Vui lòng dùng lệnh /{command} trong tin nhắn riêng với bot."
UNITS_ARG_TOO_LONG = "Nội dung quá dài ({size} ký tự; tối đa {limit})."
UNITS_HEADER = "<b>Danh mục đơn vị</b>: {n} đơn vị"
UNITS_HEADER_INACTIVE = ", trong đó {inactive} ngừng hoạt động"
UNITS_HEADER_QUERY = " khớp “{query}”"
UNITS_EMPTY = "Danh mục đơn vị đang trống. Quản trị viên có thể thêm đơn vị bằng lệnh /unit add."
UNITS_NONE_MATCH = "Không có đơn vị nào khớp “{query}”. Gõ /units để xem toàn bộ danh mục."
UNITS_KIND_HEADER = "\n<b>{label}</b> ({n})"
UNITS_LINE = "• <code>{code}</code> {name}{aliases}{inactive} — {chat}"
UNITS_LINE_ALIASES = " <i>({aliases})</i>"
UNITS_MORE = " +{n}"
UNITS_CHAT = "nhóm “{title}”"
UNITS_CHAT_ACTIVITY = "nhóm “{title}”, hoạt động {when}"
UNITS_MORE_CHATS = " (và {n} nhóm khác)"
UNITS_NO_CHAT = "chưa có nhóm"
UNITS_UNTITLED_CHAT = "không tên"
UNITS_FOOTER = "\nGõ /unit &lt;mã&gt; để xem chi tiết; /units all để xem cả đơn vị ngừng hoạt động."
# Group headings of /units; an unlisted kind is shown by its code.
UNIT_KIND_NAMES = {
    "ban_tu": "Các ban, văn phòng Tỉnh ủy",
    "bao_chi": "Báo chí",
    "bcd": "Ban chỉ đạo",
    "chinh_quyen": "Chính quyền",
    "collective": "Nhóm đơn vị (giao chung)",
    "dang_doan": "Đảng đoàn, ban cán sự đảng",
    "dang_uy_khoi": "Đảng ủy khối",
    "doan_the": "Mặt trận, đoàn thể",
    "huyen_uy": "Huyện ủy, thành ủy",
    "llvt": "Lực lượng vũ trang",
    "mttq": "Mặt trận Tổ quốc",
    "nganh": "Ngành dọc",
    "noi_chinh": "Khối nội chính",
    "so": "Sở, ban, ngành",
    "unit": "Đơn vị khác",
    "y_te": "Y tế",
}

UNIT_DETAIL_TITLE = "<b>{name}</b>"
UNIT_DETAIL_CODE = "Mã: <code>{code}</code>"
UNIT_DETAIL_KIND = "Loại: {label} ({kind})"
UNIT_DETAIL_STATUS = "Trạng thái: {status}"
UNIT_DETAIL_ALIASES = "Tên gọi khác: {aliases}"
UNIT_DETAIL_MEMBERS = "Gồm: {members}"
UNIT_DETAIL_CHAT = "Nhóm Telegram: “{title}” (gắn từ {bound}; hoạt động gần nhất: {activity})"
UNIT_DETAIL_NO_CHAT = "Nhóm Telegram: chưa có nhóm"
UNIT_DETAIL_UPDATED = "Cập nhật lần cuối: {when}"
UNIT_STATUS_ACTIVE = "đang hoạt động"
UNIT_STATUS_INACTIVE = "ngừng hoạt động"
UNIT_NONE = "(không có)"
UNIT_NO_ACTIVITY = "chưa có"

UNIT_SUGGEST_TITLE = "Có phải anh/chị muốn nói:"
# Several units fit a typed name: the bot lists them (one per line) and asks, never guesses.
UNIT_CHOOSE = "Chưa rõ đơn vị “{name}”. Có phải một trong các đơn vị sau? Bấm để chọn:"
UNIT_CHOICE_LINE = "• {name}"
UNIT_PICK_GONE = "Đơn vị này không còn trong danh mục."
UNIT_SUGGEST_LINE = "• <code>{code}</code> {name}"
UNIT_SEE_USAGE = "Gõ /unit để xem hướng dẫn."
UNIT_BAD_SYNTAX = "Lệnh chưa đúng cú pháp. Cách dùng:\n{usage}"
UNIT_USAGE_LINES = {
    "show": "/unit &lt;mã&gt; — xem chi tiết một đơn vị",
    "add": (
        "/unit add &lt;mã&gt; | &lt;tên&gt; | &lt;tên gọi khác 1&gt;, &lt;tên gọi khác 2&gt; — thêm đơn vị "
        "(phần tên gọi khác có thể bỏ; nếu một tên gọi khác có dấu phẩy, hãy phân cách bằng dấu chấm phẩy)"
    ),
    "rename": "/unit rename &lt;mã hoặc tên&gt; | &lt;tên mới&gt; — đổi tên (tên cũ được giữ làm tên gọi khác)",
    "alias": "/unit alias &lt;mã&gt; | &lt;tên gọi khác&gt; — thêm tên gọi khác",
    "unalias": "/unit unalias &lt;mã&gt; | &lt;tên gọi khác&gt; — bỏ một tên gọi khác",
    "off": "/unit off &lt;mã&gt; — ngừng hoạt động (không giao nhiệm vụ mới)",
    "on": "/unit on &lt;mã&gt; — hoạt động lại",
}
UNIT_USAGE_TITLE = "<b>Quản lý danh mục đơn vị</b> (quản trị viên, trong tin nhắn riêng với bot):"
UNIT_USAGE_FOOTER = (
    "Ví dụ: /unit add so_tttt | Sở Thông tin và Truyền thông | Sở TT&amp;TT, STTTT\n"
    "Mã đơn vị: chữ thường không dấu, chữ số và dấu gạch dưới.\n"
    "Xem danh mục: /units; cả đơn vị ngừng hoạt động: /units all; tìm: /units &lt;từ khóa&gt;."
)

UNIT_ADDED = "Đã thêm đơn vị <b>{name}</b> (mã <code>{code}</code>)."
UNIT_ADDED_ALIASES = "Tên gọi khác: {aliases}."
UNIT_RENAMED = "Đã đổi tên đơn vị <code>{code}</code> thành <b>{name}</b>."
UNIT_RENAMED_OLD_KEPT = "Tên cũ “{old}” được giữ làm tên gọi khác, để văn bản cũ vẫn nhận ra đơn vị."
UNIT_RENAME_SAME = "Đơn vị <code>{code}</code> đã có tên <b>{name}</b>; không có thay đổi."
UNIT_ALIAS_ADDED = "Đã thêm tên gọi khác “{alias}” cho đơn vị <b>{name}</b> (<code>{code}</code>)."
UNIT_ALIAS_REMOVED = "Đã bỏ tên gọi khác “{alias}” của đơn vị <b>{name}</b> (<code>{code}</code>)."
UNIT_DEACTIVATED = (
    "Đơn vị <b>{name}</b> (<code>{code}</code>) đã ngừng hoạt động: không giao nhiệm vụ mới cho đơn vị này; "
    "nhiệm vụ cũ vẫn được giữ nguyên. Gõ /unit on {code} để cho hoạt động lại."
)
UNIT_REACTIVATED = "Đơn vị <b>{name}</b> (<code>{code}</code>) đã hoạt động trở lại."

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

# --- assignment notices (sent to a unit's group) ---------------------------------------------
NOTICE = (
    "📌 <b>Giao nhiệm vụ</b> — {directive}\n<i>{title}</i>\n\n"
    "<b>[{code}] Nhiệm vụ {label}.</b> {text}\n\n"
    "Vai trò của đơn vị: <b>{role}</b>\nThời hạn: <b>{deadline}</b>\n\n"
    "Bấm nút bên dưới, hoặc trả lời (reply) tin nhắn này để báo cáo tiến độ, ví dụ: “đã hoàn thành”, "
    "“đang thực hiện 60%”, “vướng: thiếu kinh phí”, “xin gia hạn đến 30/6”."
)
NOTICE_ROLE = {"lead": "chủ trì", "support": "phối hợp"}

# --- reminders (sent to a unit's group) ------------------------------------------------------
REMIND_HEADLINES = {
    "notice": "📌 Giao nhiệm vụ",
    "routine": "⏰ Nhắc việc định kỳ",
    "pre_deadline": "⏳ Còn {days} ngày đến hạn",
    "overdue": "⚠️ Đã quá hạn {days} ngày",
    "escalation": "🚨 Quá hạn {days} ngày, đã báo Văn phòng",
    "manual": "📣 Văn phòng nhắc",
}
REMIND_HEADLINE_SILENT = "🚨 Đơn vị chưa báo cáo lần nào, đã báo Văn phòng"
REMINDER = (
    "<b>{headline}</b> — {number}\n<i>{title}</i>\n\n"
    "<b>[{code}] Nhiệm vụ {label}.</b> {text}\n\n"
    "Vai trò của đơn vị: <b>{role}</b>\nThời hạn: <b>{deadline}</b>\n\n"
    "Bấm nút bên dưới, hoặc trả lời (reply) tin nhắn này để báo cáo, ví dụ: “đã hoàn thành”, "
    "“đang thực hiện 60%”."
)
REMIND_LIST_HEADER = "⏰ <b>{unit}</b>: {n} nhiệm vụ cần báo cáo"
NOTICE_LIST_HEADER = "📌 <b>{unit}</b>: giao {n} nhiệm vụ mới"
REMIND_LIST_LINE = "\n<b>[{n}]</b> {headline} — {number}, nhiệm vụ {label} ({role}, hạn {deadline})\n{text}"
REMIND_LIST_FOOTER = (
    "\nSố trong ngoặc vuông là mã của nhiệm vụ, giữ nguyên trong mọi tin nhắc và trong /mytasks. "
    "Bấm nút theo mã, hoặc trả lời (reply) tin nhắn này, bắt đầu bằng mã, "
    "ví dụ: “[{first}] đã hoàn thành” hoặc “{second} đang thực hiện 60%”."
)
ADMIN_ALERT_FORBIDDEN = (
    "⚠️ Bot không còn gửi được tin vào nhóm của {units} (bị chặn hoặc bị xoá khỏi nhóm). "
    "Đơn vị sẽ không nhận được nhắc việc cho đến khi có nhóm mới (/invite)."
)

# --- dondoc demo ------------------------------------------------------------------------------
DEMO_INTRO = (
    "dondoc demo — một kịch bản chạy trên Telegram giả lập trong máy (không cần token, không cần mạng).\n"
    "Lan (Văn phòng Tỉnh ủy) là quản trị viên; ba đơn vị gắn nhóm Telegram của mình qua đường dẫn mời.\n"
)
DEMO_SCENE_START = "1. Bắt đầu: /start và /help"
DEMO_SCENE_GROUPS = "1b. Gắn nhóm Telegram của ba đơn vị bằng đường dẫn mời; phân quyền đầu mối; một lệnh bị từ chối"
DEMO_SCENE_NEWDIRECTIVE = "2. Đăng ký công văn 1046-CV/TU: dán văn bản thành hai phần, bấm Xong, xem trước"
DEMO_SCENE_EDIT = "3. Sửa thời hạn rồi lưu; nhóm đã gắn nhận thông báo giao việc ngay"
DEMO_SCENE_REMINDER = "3b. Một tuần sau (thứ Hai 30/11, 08:00): nhắc việc định kỳ tới nhóm các đơn vị"
DEMO_SCENE_ANSWERS = (
    "3c. Ba đơn vị trả lời ba cách: bấm ✅; trả lời “[mã] đang thực hiện, đạt 60%” cho một nhiệm vụ "
    "thường xuyên; bấm ⚠️ rồi ghi vướng mắc"
)
DEMO_SCENE_CONFIRM = "3d. Vướng mắc và báo hoàn thành tới thư ký; thư ký xác nhận bằng một chạm, đơn vị được báo"
DEMO_SCENE_LIST = "4. Danh sách và chi tiết văn bản"
DEMO_SCENE_SUMMARY = "5. Thứ Sáu 04/12, 16:00: bản tổng hợp tuần tự động đăng lên kênh, kèm biểu đồ và tệp Excel"
DEMO_FILES = "Biểu đồ và tệp Excel của bản tổng hợp đã được ghi vào: {path}"
DEMO_END = "Hết kịch bản."

# --- /newdirective unit picker -----------------------------------------------------------------
ND_BTN_PICK = "🏢 Chọn đơn vị"
ND_PICK_DUTY = "Chọn nhiệm vụ cần giao đơn vị:"
ND_PICK_KIND = "Nhiệm vụ {label} — chọn nhóm đơn vị:"
ND_PICK_UNITS = (
    "Nhiệm vụ {label} — {kind}.\nBấm một đơn vị để đổi vai trò: chưa giao → 👑 chủ trì → 🤝 phối hợp → chưa giao."
)
ND_BTN_BACK = "↩️ Nhóm khác"
ND_BTN_PICK_DONE = "✅ Xong, xem lại"

# --- groups: invite links and bindings ---------------------------------------------------------
CMD_INVITE = "Tạo đường dẫn mời nhóm của đơn vị: /invite <đơn vị>"
INVITE_USAGE = "Cách dùng: /invite &lt;mã hoặc tên đơn vị&gt;, ví dụ /invite so_yte hoặc /invite Sở Y tế."
INVITE_UNKNOWN_UNIT = "Không có đơn vị “{name}” trong danh mục.{hints}"
INVITE_LINK = (
    "Đường dẫn mời nhóm cho <b>{unit}</b> (dùng một lần, hết hạn lúc {expires}):\n{link}\n\n"
    "Gửi đường dẫn cho đầu mối của đơn vị: mở đường dẫn, chọn nhóm Telegram của đơn vị để thêm bot. "
    "Nhóm sẽ được gắn với đơn vị ngay."
)
BIND_WELCOME = (
    "👋 Xin chào! Nhóm này đã được gắn với <b>{unit}</b>.\n"
    "dondoc sẽ gửi vào đây thông báo giao nhiệm vụ và nhắc việc theo lịch.\n"
    "<b>Cách báo cáo:</b> bấm nút dưới tin nhắn của bot, hoặc <b>trả lời (reply)</b> tin nhắn của bot, ví dụ "
    "“đã hoàn thành”, “đang thực hiện 60%”, “vướng: thiếu kinh phí”, “xin gia hạn đến 30/6”. "
    "Bot không đọc các tin nhắn khác trong nhóm."
)
BIND_MOVED = "\n(Đơn vị trước đây dùng một nhóm khác; từ nay bot chỉ gửi vào nhóm này.)"
BIND_ERRORS = {
    "unknown": "Đường dẫn mời không hợp lệ. Vui lòng xin quản trị viên đường dẫn mới (/invite).",
    "used": "Đường dẫn mời này đã được dùng. Vui lòng xin quản trị viên đường dẫn mới.",
    "expired": "Đường dẫn mời đã hết hạn. Vui lòng xin quản trị viên đường dẫn mới.",
    "inactive_unit": "Đơn vị của đường dẫn này đã ngừng hoạt động. Vui lòng liên hệ quản trị viên.",
}
ADMIN_ALERT_REMOVED = (
    "⚠️ Bot đã bị xoá khỏi nhóm “{title}” của {units}. "
    "Đơn vị sẽ không nhận được nhắc việc cho đến khi có nhóm mới (/invite)."
)

# --- /whoami --------------------------------------------------------------------------------
CMD_WHOAMI = "Xem vai trò và đơn vị của anh/chị"
WHOAMI = "Mã số Telegram: <code>{user_id}</code>\nVai trò: <b>{role}</b>\nĐơn vị: {unit}"
WHOAMI_NO_UNIT = "(không gắn đơn vị)"

# --- roles (admin) ----------------------------------------------------------------------------
CMD_GRANT = "Phân quyền: /grant <mã số hoặc @tên> <thư ký|lãnh đạo|đầu mối> [đơn vị]"
CMD_REVOKE = "Thu hồi quyền: /revoke <mã số hoặc @tên>"
CMD_PEOPLE = "Danh sách người được phân quyền"
GRANT_USAGE = (
    "Cách dùng: /grant &lt;mã số Telegram hoặc @tên&gt; &lt;vai trò&gt; [đơn vị]\n"
    "Vai trò: <code>thu_ky</code> (thư ký), <code>lanh_dao</code> (lãnh đạo, chỉ xem), "
    "<code>dau_moi</code> (đầu mối đơn vị, cần ghi đơn vị).\n"
    "Ví dụ: /grant 123456789 dau_moi Sở Y tế · /grant @lan_vptu thu_ky\n"
    "Người được phân quyền xem mã số của mình bằng lệnh /whoami."
)
REVOKE_USAGE = "Cách dùng: /revoke &lt;mã số Telegram hoặc @tên&gt;, ví dụ /revoke 123456789."
ROLE_UNKNOWN_PERSON = (
    "Bot chưa biết người dùng “{ref}”. Hãy nhờ họ nhắn /start cho bot rồi thử lại, "
    "hoặc dùng mã số Telegram của họ (họ xem bằng /whoami)."
)
ROLE_ERRORS = {
    "config_admin": "Người này là quản trị viên theo tệp cấu hình; quyền của họ không đổi được trong chat.",
    "needs_unit": "Đầu mối phải gắn với một đơn vị, ví dụ: /grant 123456789 dau_moi Sở Y tế.",
    "unit_inactive": "Đơn vị này đã ngừng hoạt động; hãy chọn đơn vị khác.",
    "no_role": "Người này hiện không có vai trò nào để thu hồi.",
    "unknown_person": "Người này chưa từng được phân quyền.",
}
ROLE_GRANTED = "✅ Đã cấp vai trò <b>{role}</b>{unit} cho {person}."
ROLE_GRANTED_UNIT = " của <b>{unit}</b>"
ROLE_REVOKED = "✅ Đã thu hồi vai trò <b>{role}</b> của {person}."
ROLE_NOTIFY_GRANTED = "Anh/chị vừa được cấp vai trò <b>{role}</b>{unit}. Gõ /help để xem các việc có thể làm."
ROLE_NOTIFY_REVOKED = "Vai trò <b>{role}</b> của anh/chị trên dondoc đã được thu hồi."
PEOPLE_HEADER = "<b>Người được phân quyền</b> ({n}):"
PEOPLE_EMPTY = "Chưa có ai được phân quyền ngoài quản trị viên trong tệp cấu hình."
PEOPLE_LINE = "• {person} — {role}{unit}"
PEOPLE_ADMINS = "\nQuản trị viên (tệp cấu hình): {ids}"

# --- unbind ----------------------------------------------------------------------------------
CMD_UNBIND = "Gỡ nhóm khỏi đơn vị: /unbind <đơn vị> (hoặc /unbind trong nhóm)"
UNBIND_USAGE = "Cách dùng: /unbind &lt;mã hoặc tên đơn vị&gt; trong tin nhắn riêng, hoặc /unbind ngay trong nhóm."
UNBIND_NOT_BOUND = "{unit} hiện chưa gắn với nhóm Telegram nào."
UNBIND_GROUP_NOT_BOUND = "Nhóm này chưa gắn với đơn vị nào."
UNBIND_DONE = "✅ Đã gỡ nhóm “{title}” khỏi {unit}. Đơn vị sẽ không nhận nhắc việc cho đến khi gắn nhóm mới (/invite)."
UNBIND_GROUP_NOTICE = "Nhóm này không còn gắn với {unit} trên dondoc. Bot sẽ không gửi nhắc việc vào đây nữa."

# --- bot added to a group without a link -------------------------------------------------------
ADDED_WITHOUT_LINK = (
    "Xin chào! Bot chưa được gắn nhóm này với đơn vị nào, nên sẽ không làm gì ở đây.\n"
    "Để gắn nhóm, quản trị viên dondoc dùng lệnh /invite &lt;đơn vị&gt; trong tin nhắn riêng với bot, "
    "rồi mở đường dẫn nhận được và chọn nhóm này."
)
BIND_RESTORED = "\n(Nhóm đã được gắn lại với đơn vị; lịch sử báo cáo trước đây vẫn được giữ nguyên.)"
GROUP_NOT_BOUND = "Nhóm này chưa gắn với đơn vị nào trên dondoc. Quản trị viên cần tạo đường dẫn mời bằng /invite."

# --- audit log -------------------------------------------------------------------------------
CMD_AUDIT = "Nhật ký thay đổi: /audit [vb <số>|đv <đơn vị>]"
AUDIT_USAGE = (
    "Cách dùng: /audit (20 thay đổi gần nhất), /audit vb 12 (theo văn bản #12), /audit dv Sở Y tế (theo đơn vị)."
)
AUDIT_HEADER = "<b>Nhật ký thay đổi</b>{scope} — trang {page}/{pages} ({n} mục, mới nhất trước)"
AUDIT_SCOPE_DIRECTIVE = " · văn bản {ref}"
AUDIT_SCOPE_DIRECTIVE_GONE = " · văn bản #{id}"
AUDIT_SCOPE_UNIT = " · {unit}"
AUDIT_EMPTY = "Chưa có thay đổi nào được ghi."
AUDIT_ENTRY = "\n🕘 {at} · {actor}\n<b>{verb}</b>{where}{change}"
AUDIT_SYSTEM = "Hệ thống (tự động hoặc lệnh dondoc)"
AUDIT_ACTOR = "{name} ({role})"
AUDIT_ACTOR_UNIT = "{role}, {unit}"
AUDIT_NO_NAME = "Người dùng chưa rõ tên, mã {id}"
AUDIT_WHERE = " — {parts}"
AUDIT_WHERE_DIRECTIVE = "văn bản {ref}"
AUDIT_WHERE_DUTY = "nhiệm vụ {label} [{code}]"
AUDIT_WHERE_UNIT = "{unit}"
AUDIT_WHERE_CHAT = "nhóm “{title}”"
AUDIT_WHERE_PERSON = "cho {person}"
AUDIT_CHANGE = "\n   {parts}"
AUDIT_FIELD_CHANGED = "{field}: {before} → {after}"
AUDIT_FIELD_SET = "{field}: {value}"
AUDIT_LIST_ADDED = "thêm {items}"
AUDIT_LIST_REMOVED = "bỏ {items}"
# One verb per action code written by audit(...) anywhere in bot/; an unknown code is shown as is.
AUDIT_VERBS = {
    "assignment.approve": "Duyệt gia hạn",
    "assignment.confirm": "Xác nhận hoàn thành",
    "assignment.reject": "Không duyệt gia hạn",
    "assignment.report": "Đơn vị báo cáo, trạng thái đổi",
    "assignment.return": "Trả lại kết quả",
    "binding.create": "Gắn nhóm Telegram với đơn vị",
    "binding.lost": "Bot bị xoá khỏi nhóm, nhóm không còn gắn",
    "binding.migrate": "Nhóm nâng cấp thành siêu nhóm, đã theo mã mới",
    "binding.moved_away": "Nhóm chuyển sang đơn vị khác",
    "binding.remove": "Gỡ nhóm khỏi đơn vị",
    "directive.active": "Mở lại theo dõi văn bản",
    "directive.archived": "Lưu trữ văn bản",
    "directive.closed": "Kết thúc theo dõi văn bản",
    "directive.create": "Đăng ký văn bản",
    "invite.create": "Tạo liên kết mời nhóm",
    "role.grant": "Giao vai trò",
    "role.revoke": "Thu hồi vai trò",
    "unit.add": "Thêm đơn vị",
    "unit.alias_add": "Thêm tên gọi khác cho đơn vị",
    "unit.alias_remove": "Bỏ tên gọi khác của đơn vị",
    "unit.deactivate": "Ngừng theo dõi đơn vị",
    "unit.reactivate": "Theo dõi lại đơn vị",
    "unit.rename": "Đổi tên đơn vị",
    "unit.seed": "Nạp đơn vị từ config.yaml",
    "unit.update": "Cập nhật đơn vị (nhập CSV)",
    "update.set_aside": "Gác lại một cập nhật làm bot dừng nhiều lần",
}
AUDIT_VERB_UNKNOWN = "Thay đổi “{code}”"
AUDIT_FIELDS = {
    "active": "Đang hoạt động",
    "aliases": "Tên gọi khác",
    "assignments": "Số lượt giao",
    "blocked": "Vướng mắc",
    "chat_id": "Mã nhóm Telegram",
    "code": "Mã",
    "crashes": "Số lần làm bot dừng",
    "deadline": "Hạn",
    "directive.title": "Trích yếu",
    "duties": "Số nhiệm vụ",
    "extension_status": "Gia hạn",
    "file_name": "Tệp",
    "file_size": "Dung lượng (byte)",
    "kind": "Loại",
    "members": "Gồm",
    "name": "Tên",
    "number": "Số hiệu",
    "plan": "Lịch nhắc",
    "reason": "Lý do",
    "role": "Vai trò",
    "status": "Trạng thái",
    "title": "Tên",
    "unit_id": "Đơn vị",
}
AUDIT_MEMBERS_OF_KIND = "mọi đơn vị nhóm {kind}"
AUDIT_YES = "có"
AUDIT_NO = "không"
AUDIT_NONE = "không có"
AUDIT_NO_DEADLINE = "không hạn (thường xuyên)"
AUDIT_EXTENSION_NAMES = {"requested": "đang xin", "approved": "đã duyệt", "rejected": "không duyệt"}
AUDIT_UPDATE_KINDS = {
    "message": "tin nhắn",
    "edited_message": "tin nhắn sửa",
    "callback_query": "bấm nút",
    "my_chat_member": "thay đổi thành viên nhóm",
}
AUDIT_BTN_NEWER = "◀️ Mới hơn"
AUDIT_BTN_OLDER = "Cũ hơn ▶️"
AUDIT_PAGE_STALE = "Trang nhật ký này không còn hợp lệ. Gõ /audit để xem lại từ trang đầu."

# --- flood control ----------------------------------------------------------------------------
FLOOD_WARNING = "Anh/chị gửi quá nhanh. Bot tạm bỏ qua các tin nhắn trong ít giây; vui lòng chờ rồi gửi lại."

# --- /remind ----------------------------------------------------------------------------------
CMD_REMIND = "Gửi nhắc việc ngay: /remind <số văn bản | all>"
REMIND_USAGE = "Cách dùng: /remind &lt;số văn bản&gt; (ví dụ /remind 12) hoặc /remind all cho mọi văn bản."
REMIND_NO_DIRECTIVE = "Không có văn bản #{id} đang theo dõi."
REMIND_NOTHING = (
    "Không có nhiệm vụ nào cần nhắc: các đơn vị đã báo cáo gần đây, đã hoàn thành, hoặc chưa có nhóm Telegram."
)
REMIND_DONE = "✅ Đã nhắc {n} nhiệm vụ ({messages} tin nhắn đã gửi; {waiting} đang chờ gửi lại)."

# --- escalation digest (monitor unit's group and secretaries) --------------------------------
ESCALATION_HEADER = (
    "🚨 <b>Cảnh báo quá hạn</b> — {number}\n<i>{title}</i>\n"
    "Các đơn vị sau quá hạn từ {after} ngày mà chưa hoàn thành, hoặc chưa báo cáo lần nào ({n}):"
)
ESCALATION_LINE = "• <b>{unit}</b> ({role}) — nhiệm vụ {label}, hạn {deadline}, quá {days} ngày — {last}"
ESCALATION_LINE_SILENT = "• <b>{unit}</b> ({role}) — nhiệm vụ {label}, hạn {deadline}, giao đã {days} ngày — {last}"
ESCALATION_NEVER = "<b>chưa báo cáo lần nào</b>"
ESCALATION_LAST = "báo cáo gần nhất {at}: {status}"
ESCALATION_NO_GROUP = " (chưa có nhóm Telegram)"
ESCALATION_FOOTER = "\nXem chi tiết: /directive {id}"

# --- answer buttons on notices and reminders -----------------------------------------------------
BTN_DONE = "✅ Hoàn thành"
BTN_PROGRESS = "⏳ Đang thực hiện"
BTN_BLOCKED = "⚠️ Vướng mắc"
BTN_EXTEND = "📅 Xin gia hạn"
BTN_FULL = "📄 Xem đầy đủ"
BTN_SHORT = {"d": "✅", "p": "⏳", "b": "⚠️", "e": "📅"}
BTN_CONFIRM = "✔️ Xác nhận hoàn thành"
BTN_RETURN = "↩️ Trả lại"
BTN_APPROVE = "✔️ Duyệt gia hạn"
BTN_REJECT = "✖️ Không duyệt"

# --- status replies --------------------------------------------------------------------------
REPORT_KIND_NAMES = {
    "done": "✅ báo hoàn thành",
    "progress": "⏳ đang thực hiện",
    "blocked": "⚠️ vướng mắc",
    "extension": "📅 xin gia hạn",
    "note": "📝 ghi chú",
    "confirmed": "✔️ đã xác nhận hoàn thành",
    "returned": "↩️ bị trả lại",
}
STATUS_LINE = "\n\n📝 <b>Trạng thái</b>: {status}"
STATUS_LINE_ITEM = "\n   📝 {status}"
STATUS_BY = " — {who}, {at}"
STATUS_AWAITING = " (chờ Văn phòng xác nhận)"
STATUS_BLOCKED_FLAG = " · ⚠️ có vướng mắc"
STATUS_EXTENSION_ASKED = " · 📅 xin gia hạn đến {to}"
STATUS_EXTENSION_ASKED_NO_DATE = " · 📅 xin gia hạn"
STATUS_PERCENT = " {percent}%"
SEEN_REACTION = "👍"  # a follow-up note is acknowledged with a reaction, not another message
REPORT_SAVED = "✅ Đã ghi nhận cho nhiệm vụ {label} ({number}): {status}{extra}"
# Several answers acknowledged in one message while the group's send budget is used up.
REPORT_SAVED_BATCH = "📋 Đã ghi nhận {n} phản hồi:"
REPORT_SAVED_EXTRA_PERCENT = ", {percent}%"
REPORT_SAVED_EXTRA_DATE = ", đến {date}"
REPORT_SAVED_AWAITING = "\nVăn phòng sẽ xác nhận kết quả."
REPORT_EDITED = "✏️ Đã cập nhật báo cáo nhiệm vụ {label} ({number}): {status} (bản trước vẫn được lưu)."
REPORT_AMBIGUOUS = (
    "📝 Đã lưu nội dung này làm ghi chú cho nhiệm vụ {label} ({number}).\n"
    "Bot chưa chắc về trạng thái: vui lòng bấm nút để xác nhận."
)
REPORT_WHICH = (
    "Tin nhắn nhắc việc này có {n} nhiệm vụ. Báo cáo của anh/chị thuộc nhiệm vụ nào? "
    "Bấm mã tương ứng (hoặc trả lời lại, bắt đầu bằng mã, ví dụ “[{code}] đã hoàn thành”)."
)
REPORT_WHICH_GONE = "Không tìm thấy nội dung báo cáo gốc; vui lòng trả lời lại tin nhắn nhắc việc."
REPORT_UNKNOWN_MESSAGE = (
    "Tin nhắn này không gắn với nhiệm vụ nào nên bot chưa lưu gì. "
    "Hãy trả lời (reply) tin nhắn giao việc hoặc nhắc việc, hoặc gõ /mytasks để xem nhiệm vụ của đơn vị."
)
REPORT_BAD_NUMBER = "Tin nhắn nhắc việc này không có nhiệm vụ mã {n}; các mã trong tin: {codes}."
REPORT_CLOSED = "Nhiệm vụ {label} ({number}) đã được xác nhận hoàn thành; bot không ghi thêm báo cáo."
REPORT_ERRORS = {
    "closed": "Nhiệm vụ này đã được xác nhận hoàn thành; không cần báo cáo thêm.",
    "awaiting_confirmation": (
        "Đơn vị đã báo hoàn thành và đang chờ Văn phòng xác nhận; không thể xin gia hạn lúc này."
    ),
    "no_deadline": "Nhiệm vụ thường xuyên không có thời hạn nên không cần xin gia hạn.",
    "not_later": "Ngày xin gia hạn phải sau thời hạn hiện tại ({deadline}).",
    "no_date": "Cần ghi rõ ngày xin gia hạn, ví dụ “xin gia hạn đến 30/6 vì chờ kinh phí”.",
}
REPORT_WRONG_CHAT = (
    "Nút này thuộc nhiệm vụ của đơn vị khác (hoặc nhóm này không còn gắn với đơn vị đó); không có gì được ghi."
)
REPORT_STALE = {
    "confirmed": "Nhiệm vụ này đã được xác nhận hoàn thành; không cần báo cáo thêm.",
    "duty_done": "Nhiệm vụ này đã hoàn thành (các đơn vị chủ trì đã được xác nhận); không cần báo cáo thêm.",
    "duty_cancelled": "Nhiệm vụ này đã được huỷ; không cần báo cáo.",
    "closed": "Văn bản này đã kết thúc theo dõi; không cần báo cáo thêm.",
    "archived": "Văn bản này đã được lưu trữ; không cần báo cáo thêm.",
}
REPORT_TAP_SAVED = "Đã ghi nhận: {status}"
REPORT_TAP_REPEAT = "Đã ghi nhận trước đó: {status}"
PROMPT_PROGRESS = (
    "⏳ Nhiệm vụ {label} ({number}): đã ghi nhận “đang thực hiện”. "
    "Nếu muốn, trả lời tin nhắn này với tỷ lệ hoàn thành hoặc ghi chú ngắn, ví dụ “60%” hoặc “đã xong 3/5 xã”."
)
PROMPT_BLOCKED = (
    "⚠️ Nhiệm vụ {label} ({number}): vướng mắc là gì? Trả lời tin nhắn này bằng một câu ngắn, "
    "ví dụ “thiếu kinh phí, chờ Sở Tài chính”."
)
PROMPT_EXTEND = (
    "📅 Nhiệm vụ {label} ({number}), hạn hiện tại {deadline}: xin gia hạn đến ngày nào, vì sao? "
    "Trả lời tin nhắn này, ví dụ “30/6 vì chờ số liệu”."
)
PROMPT_RETURN = "↩️ Trả lại kết quả nhiệm vụ {label} của {unit}: lý do là gì? Trả lời tin nhắn này."
PROMPT_BAD_DATE = "Chưa đọc được ngày. Vui lòng trả lời lại với ngày cụ thể, ví dụ “30/6 vì chờ số liệu”."
FULL_TEXT = "📄 <b>Nhiệm vụ {label}</b> — {number}\n\n{text}"

# --- /mytasks and /report ------------------------------------------------------------------------
CMD_MYTASKS = "Nhiệm vụ đang mở của đơn vị, kèm nút báo cáo"
CMD_REPORT = "Báo cáo một nhiệm vụ: /report <mã nhiệm vụ> <nội dung>"
MYTASKS_HEADER = "📋 <b>{unit}</b>: {n} nhiệm vụ đang mở"
MYTASKS_LINE = "\n<b>[{id}]</b> {number}, nhiệm vụ {label} ({role}, hạn {deadline}{overdue})\n{text}\n   📝 {status}"
MYTASKS_OVERDUE = ", <b>quá hạn {days} ngày</b>"
MYTASKS_FOOTER = (
    "\nSố trong ngoặc vuông là mã nhiệm vụ, như trong tin giao việc và tin nhắc. "
    "Bấm nút theo mã, hoặc gõ /report &lt;mã&gt; &lt;nội dung&gt;, ví dụ /report {id} đang thực hiện 60%."
)
MYTASKS_EMPTY = "🎉 {unit} không còn nhiệm vụ nào đang mở."
MYTASKS_NO_UNIT = (
    "Lệnh /mytasks dùng trong nhóm Telegram của đơn vị, hoặc trong tin nhắn riêng nếu anh/chị là đầu mối "
    "của một đơn vị (quản trị viên cấp quyền bằng /grant)."
)
MYTASKS_MORE = "\n… và {n} nhiệm vụ khác. Xem theo văn bản: /directive &lt;số&gt;."
REPORT_USAGE = (
    "Cách dùng: /report &lt;mã nhiệm vụ&gt; &lt;nội dung&gt;, ví dụ /report 12 đang thực hiện 60%. "
    "Mã nhiệm vụ (#…) có trong /mytasks."
)
REPORT_NOT_YOURS = "Nhiệm vụ #{id} không phải của {unit}, hoặc không còn mở. Xem danh sách: /mytasks"

# --- confirmation, return and extension decisions ---------------------------------------------
CONFIRM_REQUEST = (
    "✅ <b>{unit}</b> báo hoàn thành nhiệm vụ {label} — {number}\n<i>{text}</i>\nHạn: {deadline} · báo lúc {at}{note}"
)
EXTENSION_REQUEST = (
    "📅 <b>{unit}</b> xin gia hạn nhiệm vụ {label} — {number}\n<i>{text}</i>\n"
    "Hạn hiện tại: {deadline} → xin đến: <b>{to}</b>{note}"
)
DIFFICULTY_REPORT = "⚠️ <b>{unit}</b> báo vướng mắc ở nhiệm vụ {label} — {number}\n<i>{text}</i>{note}"
QUOTE_NOTE = "\n“{note}”"
DECISION_CONFIRMED = "✔️ Văn phòng đã xác nhận hoàn thành nhiệm vụ {label} ({number}). Cảm ơn đơn vị!"
DECISION_RETURNED = (
    "↩️ Văn phòng trả lại kết quả nhiệm vụ {label} ({number}). Lý do: {reason}\n"
    "Đề nghị đơn vị tiếp tục thực hiện và báo cáo lại."
)
DECISION_APPROVED = "📅 Văn phòng đồng ý gia hạn nhiệm vụ {label} ({number}) đến <b>{to}</b>."
DECISION_REJECTED = "📅 Văn phòng không đồng ý gia hạn nhiệm vụ {label} ({number}); thời hạn vẫn là <b>{deadline}</b>."
DECIDED = "Đã lưu: {what} — {who}, {at}"
DECIDE_ERRORS = {
    "already_confirmed": "Nhiệm vụ này đã được xác nhận trước đó.",
    "not_reported": "Đơn vị chưa báo hoàn thành (hoặc báo cáo đã được xử lý); không có gì để xác nhận.",
    "closed": "Nhiệm vụ đã được xác nhận hoàn thành.",
    "no_extension": "Không còn đề nghị gia hạn nào chờ duyệt.",
    "no_date": "Đề nghị không có ngày cụ thể: dùng nút Không duyệt, hoặc yêu cầu đơn vị gửi lại kèm ngày.",
}
DECIDE_NOT_ALLOWED = "Chỉ thư ký (hoặc thành viên nhóm đơn vị theo dõi) được xác nhận, trả lại hoặc duyệt gia hạn."
DECISION_WHAT = {
    "confirm": "✔️ đã xác nhận hoàn thành",
    "return": "↩️ đã trả lại kết quả",
    "approve": "📅 đã duyệt gia hạn",
    "reject": "✖️ không duyệt gia hạn",
}

# --- weekly summary, /summary, /stats, /export -------------------------------------------------
CMD_SUMMARY = "Tổng hợp tình hình: /summary [số văn bản] [kỳ: tuần này, tháng 6, quý 2, 01/06-30/06]"
CMD_STATS = "Kết quả của một đơn vị: /stats <đơn vị>"
CMD_EXPORT = "Xuất Excel: /export [kỳ]"
WEEKLY_TITLE = "📊 <b>Tổng hợp tình hình thực hiện nhiệm vụ</b> — {period}{scope}"
SUMMARY_SCOPE = " (văn bản {number})"
SUMMARY_AS_OF = "<i>Số liệu đến hết ngày {date}.</i>"
SUMMARY_NOTHING_NEW = "Không có thay đổi trong kỳ: không có báo cáo mới, không có vướng mắc hay đề nghị gia hạn mới."
SUMMARY_HEADLINE = (
    "\n<b>1. Số liệu chung</b>\n"
    "• Nhiệm vụ đang theo dõi: <b>{in_force}</b>{d_in_force}\n"
    "• Đến hạn trong kỳ: {due_in_period} · đến hạn tính đến nay: {due_overall}\n"
    "• Hoàn thành đúng hạn: <b>{done_on_time}</b>{d_done_on_time}\n"
    "• Hoàn thành quá hạn: <b>{done_late}</b>{d_done_late}\n"
    "• Đang thực hiện trong hạn: <b>{in_progress}</b>{d_in_progress}\n"
    "• Quá hạn chưa hoàn thành: <b>{overdue}</b>{d_overdue}\n"
    "• Chưa đến hạn: {not_due} · thường xuyên: {ongoing}\n"
    "• Tỷ lệ hoàn thành: <b>{completion}</b>{d_completion} · tỷ lệ đúng hạn: <b>{on_time}</b>{d_on_time}"
)
SUMMARY_DELTA = " ({sign}{value} so với tuần trước)"
SUMMARY_NO_RATE = "–"
SUMMARY_POINTS = "{n} điểm"  # a change of a rate, in percentage points
PERIOD_WEEK = "tuần {start}–{end}"
PERIOD_MONTH = "tháng {month}/{year}"
PERIOD_QUARTER = "quý {quarter}/{year}"
PERIOD_FIRST_HALF = "6 tháng đầu năm {year}"
PERIOD_SECOND_HALF = "6 tháng cuối năm {year}"
PERIOD_YEAR = "năm {year}"
SUMMARY_DIRECTIVES = "\n<b>2. Theo văn bản</b>"
SUMMARY_DIRECTIVE_LINE = "• {number}: {done}/{duties} nhiệm vụ hoàn thành{overdue} — <i>{title}</i>"
SUMMARY_DIRECTIVE_OVERDUE = ", <b>{n} quá hạn</b>"
SUMMARY_UNITS = "\n<b>3. Theo đơn vị</b> (xếp theo tỷ lệ hoàn thành, rồi đúng hạn)"
SUMMARY_UNIT_LINE = "{n}. {unit}: hoàn thành {completion}, đúng hạn {on_time}, phản hồi nhắc việc {response}"
SUMMARY_MORE = "… và {n} mục khác (xem tệp Excel)."
SUMMARY_UNITS_MORE = "… và {n} đơn vị khác (xem tệp Excel)."
SUMMARY_OVERDUE = "\n<b>4. Nhiệm vụ quá hạn</b> ({n})"
SUMMARY_OVERDUE_LINE = "• {number} nv {label}: quá {days} ngày (hạn {deadline}) — {units}"
SUMMARY_OVERDUE_NONE = "Không có nhiệm vụ quá hạn."
SUMMARY_SILENT = "<b>Chưa báo cáo trong kỳ</b> ({n}): {units}"
SUMMARY_QUOTES = "\n<b>5. Vướng mắc và đề nghị gia hạn mới</b> ({n})"
SUMMARY_QUOTE_BLOCKED = "• ⚠️ {unit} — {number} nv {label} ({on}): “{text}”"
SUMMARY_QUOTE_EXTENSION = "• 📅 {unit} — {number} nv {label} ({on}): xin đến {to}. “{text}”"
SUMMARY_QUOTES_NONE = "Không có vướng mắc hay đề nghị gia hạn mới."
SUMMARY_FAILED = "\n⚠️ {n} tin nhắc việc không gửi được trong kỳ (nhóm bị xoá hoặc chặn bot)."
# Ongoing duties (no deadline): what each unit did in the period, not a deadline category.
ONGOING_STATE_NAMES = {
    "confirmed": "đã xác nhận hoàn thành",
    "awaiting": "báo hoàn thành, chờ xác nhận",
    "reported": "đã báo cáo trong kỳ",
    "silent": "chưa báo cáo trong kỳ",
}
SUMMARY_ONGOING = (
    "\n<b>Nhiệm vụ thường xuyên</b> ({n} lượt giao, không có hạn): đã báo cáo trong kỳ <b>{reported}</b> · "
    "báo hoàn thành, chờ xác nhận <b>{awaiting}</b> · đã xác nhận hoàn thành <b>{confirmed}</b> · "
    "chưa báo cáo <b>{silent}</b> · tỷ lệ phản hồi <b>{rate}</b>"
)
ONGOING_LINE = "• {number} nv {label} — {unit}: {state}"
ONGOING_REPORTED = "đã báo cáo ngày {on}"
ONGOING_PERCENT = ", đạt {percent}%"
ONGOING_AWAITING = "báo hoàn thành, chờ Văn phòng xác nhận"
ONGOING_CONFIRMED = "đã xác nhận hoàn thành"
ONGOING_SILENT = "<b>chưa báo cáo {days} ngày</b> (lần cuối {on})"
ONGOING_NEVER = "<b>chưa báo cáo lần nào</b> (đã giao {days} ngày)"
SUMMARY_UNIT_ONGOING = "; thường xuyên {n}: {parts}, phản hồi {rate}"
SUMMARY_UNIT_ONGOING_PART = "{n} {state}"
STATS_ONGOING = (
    "Thường xuyên (không có hạn): {n} lượt · đã báo cáo trong kỳ {reported} · chờ xác nhận {awaiting} · "
    "đã xác nhận {confirmed} · chưa báo cáo {silent} · tỷ lệ phản hồi {rate}"
)
SUMMARY_USAGE = (
    "Cách dùng: /summary [số văn bản] [kỳ], ví dụ /summary, /summary tháng 6, /summary 3 quý 2, /summary 01/06-30/06."
)
SUMMARY_BAD_PERIOD = "Chưa hiểu kỳ báo cáo “{text}”. Ví dụ: tuần này, tuần trước, tháng 6, quý 2/2026, 01/06-30/06."
SUMMARY_BTN_POST = "📢 Đăng lên kênh"
SUMMARY_NO_CHANNEL = "Chưa cấu hình kênh tổng hợp (summary.channel_id trong config.yaml)."
SUMMARY_POSTED = "✅ Đã đăng bản tổng hợp {period} lên kênh."
SUMMARY_ALREADY_POSTED = "Bản tổng hợp {period} đã được đăng lên kênh trước đó."
SUMMARY_CHART_CAPTION = "Biểu đồ tình hình thực hiện — {period}"
SUMMARY_XLSX_CAPTION = "Số liệu chi tiết — {period}"
STATS_USAGE = "Cách dùng: /stats &lt;mã hoặc tên đơn vị&gt;, ví dụ /stats Sở Y tế."
STATS_TITLE = "📈 <b>{unit}</b> — {period}"
STATS_LINE = (
    "Được giao: {n} lượt · hoàn thành đúng hạn {on_time} · quá hạn {late} · đang thực hiện {in_progress} · "
    "quá hạn chưa xong {overdue}\nTỷ lệ hoàn thành {completion} · đúng hạn {on_time_rate} · "
    "phản hồi nhắc việc {response} ({answered}/{reminders})"
)
STATS_NONE = "{unit} chưa được giao nhiệm vụ nào trong các văn bản đang theo dõi."
STATS_OPEN = "\n<b>Nhiệm vụ đang mở</b>:"
EXPORT_CAPTION = "📎 Số liệu {period} (Excel)."
CLI_EXPORT_WRITTEN = "Đã ghi {path} (số liệu {period})."
CLI_BAD_PERIOD = "Kỳ báo cáo không hợp lệ: dùng --from/--to dạng dd/mm/yyyy (ngày đầu không sau ngày cuối)."

# --- summary chart ---------------------------------------------------------------------------
CHART_TITLE = "Tình hình thực hiện nhiệm vụ — {period}"
CHART_MORE_UNITS = "{shown} đơn vị đầu bảng; … và {more} đơn vị khác"
CHART_MORE_DIRECTIVES = "{shown} văn bản đầu; … và {more} văn bản khác"
CHART_AXIS_UNITS = "Số lượt giao nhiệm vụ (chủ trì và phối hợp)"
CHART_AXIS_DIRECTIVES = "Số nhiệm vụ"
CHART_NO_DATA = "Chưa có số liệu"
# The chart splits "Thường xuyên" by what the unit did in the period (bot/domain/ongoing.py).
CHART_ONGOING_LABELS = {
    "awaiting": "Thường xuyên: báo xong, chờ xác nhận",
    "reported": "Thường xuyên: đã báo cáo trong kỳ",
    "silent": "Thường xuyên: chưa báo cáo",
}

# --- summary workbook (.xlsx) ------------------------------------------------------------------
XLSX_SHEET_SUMMARY = "Tổng hợp"
XLSX_SHEET_UNITS = "Đơn vị"
XLSX_SHEET_DIRECTIVES = "Văn bản"
XLSX_SHEET_DUTIES = "Nhiệm vụ"
XLSX_SHEET_ASSIGNMENTS = "Giao việc"
XLSX_SHEET_REPORTS = "Báo cáo"

XLSX_HEADERS_SUMMARY = ("Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi")
XLSX_HEADERS_DUTIES = (
    "Số hiệu văn bản",
    "Mục",
    "Nội dung nhiệm vụ",
    "Hạn",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Ngày hoàn thành",
    "Phân loại",
)
XLSX_HEADERS_ASSIGNMENTS = (
    "Số hiệu văn bản",
    "Mục",
    "Đơn vị",
    "Vai trò",
    "Trạng thái",
    "Hạn hiện hành",
    "Hạn ban đầu",
    "Ngày hoàn thành",
    "Tiến độ (%)",
    "Vướng mắc",
    "Gia hạn",
    "Gia hạn đến",
    "Phân loại",
)
XLSX_HEADERS_REPORTS = (
    "Thời điểm nhận",
    "Đơn vị",
    "Số hiệu văn bản",
    "Mục",
    "Loại báo cáo",
    "Nội dung",
    "Hạn đề nghị",
)

XLSX_ROW_PERIOD = "Kỳ báo cáo"
XLSX_ROW_START = "Từ ngày"
XLSX_ROW_END = "Đến ngày"
XLSX_ROW_AS_OF = "Số liệu tính đến ngày"
XLSX_ROW_REPORTS = "Báo cáo nhận trong kỳ"
XLSX_ROW_FAILED_PINGS = "Lượt nhắc không gửi được trong kỳ"
XLSX_HEADERS_UNITS_FIRST = ("Hạng", "Đơn vị", "Số lượt giao")
XLSX_HEADERS_UNITS_LAST = ("Tỷ lệ hoàn thành", "Tỷ lệ đúng hạn", "Lượt nhắc", "Có phản hồi", "Tỷ lệ phản hồi")
XLSX_HEADERS_DIRECTIVES_FIRST = ("Số hiệu", "Trích yếu", "Số nhiệm vụ", "Đã hoàn thành", "Quá hạn")
XLSX_HEADLINE_LABELS = {
    "in_force": "Nhiệm vụ đang theo dõi",
    "due_in_period": "Nhiệm vụ đến hạn trong kỳ",
    "due_overall": "Nhiệm vụ đã đến hạn (lũy kế)",
    "completion_rate": "Tỷ lệ hoàn thành",
    "on_time_rate": "Tỷ lệ hoàn thành đúng hạn",
}
XLSX_EXTENSION_NAMES = {"requested": "Chờ duyệt", "approved": "Đã duyệt", "rejected": "Không duyệt"}
XLSX_REPORT_KIND_NAMES = {
    "done": "Hoàn thành",
    "progress": "Đang thực hiện",
    "blocked": "Vướng mắc",
    "extension": "Xin gia hạn",
    "note": "Ghi chú",
    "confirmed": "Xác nhận",
    "returned": "Trả lại",
}
XLSX_YES = "Có"
XLSX_NO = "Không"

# --- production operations (webhook, health, backup) ---
CONFIG_SECRET_IN_FILE = (
    "Lỗi cấu hình: khóa webhook_secret không được để trong config.yaml; hãy đặt biến môi trường DONDOC_WEBHOOK_SECRET."
)
CONFIG_MISSING_WEBHOOK_SECRET = (
    "Lỗi cấu hình: chế độ webhook cần mã bí mật; hãy đặt biến môi trường DONDOC_WEBHOOK_SECRET "
    "(1-256 ký tự A-Z, a-z, 0-9, _ hoặc -)."
)
CONFIG_BAD_WEBHOOK_SECRET = "Lỗi cấu hình: DONDOC_WEBHOOK_SECRET chỉ được gồm 1-256 ký tự A-Z, a-z, 0-9, _ hoặc -."
CONFIG_MISSING_WEBHOOK_URL = (
    "Lỗi cấu hình: chế độ webhook cần địa chỉ công khai telegram.webhook.webhook_url "
    "(ví dụ https://bot.example.vn/telegram)."
)
CONFIG_BAD_URL_PATH = "đường dẫn chỉ gồm chữ không dấu, số và các ký tự / _ - ."
CLI_STARTING_WEBHOOK = (
    "dondoc đang khởi động ở chế độ webhook (cơ sở dữ liệu: {db}; nhận cập nhật tại http://{listen}:{port}/{path}, "
    "Telegram gửi tới {url}; /health: {health}); nhấn Ctrl+C để dừng."
)
CLI_HEALTH_OFF = "tắt"
CLI_WEBHOOK_NO_TORNADO = "Lỗi: chế độ webhook cần gói python-telegram-bot[webhooks] (tornado); hãy cài đặt lại dondoc."
CHECK_WEBHOOK = "chế độ webhook: Telegram gửi tới {url}, bot nghe tại {listen}:{port}/{path}"
CHECK_WEBHOOK_NOT_HTTPS = "webhook_url {url} không dùng https: Telegram chỉ gửi tới địa chỉ https"
CHECK_POLLING = "chế độ nhận cập nhật: long polling"
CHECK_LIVE_DB = "cơ sở dữ liệu trả lời sau {ms} ms"
CHECK_LIVE_DB_FAIL = "cơ sở dữ liệu không trả lời: {error}"
CHECK_LIVE_TICK = "bộ lập lịch chạy lần cuối {age} giây trước ({at})"
CHECK_LIVE_TICK_STALE = "bộ lập lịch chạy lần cuối {age} giây trước ({at}), quá {limit} giây: bot có đang chạy không?"
CHECK_LIVE_TICK_NEVER = "bộ lập lịch chưa chạy lần nào: bot có đang chạy không?"
CHECK_LIVE_TELEGRAM = "Telegram trả lời getMe: @{username} sau {ms} ms ({api})"
CHECK_LIVE_TELEGRAM_FAIL = "không gọi được Telegram getMe qua {api}: {error}"
CHECK_LIVE_NO_TOKEN = "không kiểm tra được Telegram: chưa đặt DONDOC_BOT_TOKEN"
CLI_BACKUP_WRITTEN = "Đã sao lưu {db} vào {out} ({size} byte, kiểm tra toàn vẹn: ok)."
CLI_BACKUP_ERROR = "Lỗi sao lưu: {error}"
CLI_BACKUP_POSTGRES = (
    "Lỗi sao lưu: 'dondoc backup' chỉ sao lưu SQLite; với PostgreSQL hãy dùng pg_dump "
    "(mật khẩu đặt trong PGPASSWORD hoặc ~/.pgpass):\n  {command}"
)
BACKUP_NO_FILE = "không có tệp cơ sở dữ liệu {path}"
BACKUP_IN_MEMORY = "cơ sở dữ liệu trong bộ nhớ không sao lưu được"
BACKUP_SAME_FILE = "tệp đích {path} chính là cơ sở dữ liệu đang chạy"
BACKUP_NO_DIR = "thư mục {path} không tồn tại"
BACKUP_BAD_COPY = "bản sao không qua được kiểm tra toàn vẹn: {result}"

# --- summary and workbook (issue 7 follow-up) ---
XLSX_HEADER_REPORT_PERCENT = "Tiến độ (%)"

# --- config validation (foundation audit) ---
CONFIG_BAD_CRON_DAYS = (
    "ngày trong tuần phải dùng tên ngày của APScheduler (mon, tue, wed, thu, fri, sat, sun), "
    'ví dụ "mon", "mon,thu" hoặc "mon-fri"; không dùng số; giá trị hiện tại: {value!r}'
)
CONFIG_BAD_DAY = "phải là đúng một ngày trong tuần: mon, tue, wed, thu, fri, sat hoặc sun; giá trị hiện tại: {value!r}"
CONFIG_ENV_KEY = "{key} (biến môi trường {env})"
CONFIG_BAD_ENV = (
    "Lỗi cấu hình: biến môi trường {env} (khóa {key}) không đọc được: {error}. "
    "Giá trị danh sách hay bảng phải viết dạng JSON, ví dụ DONDOC_REMINDERS__BEFORE_DEADLINE_DAYS='[7, 3, 1]'."
)

# --- directive intake: save confirmation (issue 3 audit) ---
ND_SAVE_CONFIRM = (
    "⚠️ <b>Còn nhiệm vụ chưa xử lý xong:</b>\n{items}\n"
    "Nếu lưu bây giờ, các tên chưa nhận ra sẽ bị bỏ qua và nhiệm vụ chưa có đơn vị sẽ không được giao cho ai. "
    "Anh/chị vẫn muốn lưu?"
)
ND_SAVE_CONFIRM_UNRESOLVED = "• Nhiệm vụ {label}: chưa nhận ra {names}"
ND_SAVE_CONFIRM_NO_UNITS = "• Nhiệm vụ {label}: chưa có đơn vị thực hiện"
ND_BTN_SAVE_ANYWAY = "💾 Vẫn lưu"
ND_BTN_GO_BACK = "↩️ Quay lại"

# --- groups and /whoami (issue 4 follow-up) ---
BIND_ERRORS["bound_elsewhere"] = (
    "Nhóm này đang gắn với một đơn vị khác, nên đường dẫn mời này không dùng được ở đây. "
    "Chỉ quản trị viên dondoc mới chuyển được nhóm sang đơn vị khác."
)
BIND_TAKEN_OVER = "\n(Nhóm này trước đây gắn với {unit}; {unit} cần được gắn nhóm mới bằng /invite.)"
WHOAMI_GROUP_UNIT = "\nTrong nhóm này, anh/chị báo cáo cho: <b>{unit}</b>"

# The categories of QĐ 42/2014 (bot.domain.classify.Category values), as leaders read them.
CATEGORY_LABELS: dict[str, str] = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "in_progress": "Đang thực hiện trong hạn",
    "overdue": "Quá hạn chưa hoàn thành",
    "not_due": "Chưa đến hạn",
    "ongoing": "Thường xuyên",
}
