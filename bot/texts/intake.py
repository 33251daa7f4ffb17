"""Registering a directive: /newdirective, the parser's notes, the preview, directive views."""

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


# --- /newdirective unit picker -----------------------------------------------------------------
ND_BTN_PICK = "🏢 Chọn đơn vị"
ND_PICK_DUTY = "Chọn nhiệm vụ cần giao đơn vị:"
ND_PICK_KIND = "Nhiệm vụ {label} — chọn nhóm đơn vị:"
ND_PICK_UNITS = (
    "Nhiệm vụ {label} — {kind}.\nBấm một đơn vị để đổi vai trò: chưa giao → 👑 chủ trì → 🤝 phối hợp → chưa giao."
)
ND_BTN_BACK = "↩️ Nhóm khác"
ND_BTN_PICK_DONE = "✅ Xong, xem lại"


# --- directive intake: save confirmation ---
ND_SAVE_CONFIRM = (
    "⚠️ <b>Còn nhiệm vụ chưa xử lý xong:</b>\n{items}\n"
    "Nếu lưu bây giờ, các tên chưa nhận ra sẽ bị bỏ qua và nhiệm vụ chưa có đơn vị sẽ không được giao cho ai. "
    "Anh/chị vẫn muốn lưu?"
)
ND_SAVE_CONFIRM_UNRESOLVED = "• Nhiệm vụ {label}: chưa nhận ra {names}"
ND_SAVE_CONFIRM_NO_UNITS = "• Nhiệm vụ {label}: chưa có đơn vị thực hiện"
ND_BTN_SAVE_ANYWAY = "💾 Vẫn lưu"
ND_BTN_GO_BACK = "↩️ Quay lại"
