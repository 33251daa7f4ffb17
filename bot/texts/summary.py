"""The weekly summary, /summary, /stats, /export: text, chart and workbook words."""

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


# --- summary and workbook ---
XLSX_HEADER_REPORT_PERCENT = "Tiến độ (%)"
