"""Notices and reminders sent to units' groups, /remind, escalations."""

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
