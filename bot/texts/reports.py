"""Units' answers: buttons, replies, /mytasks, /report, decisions."""

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
