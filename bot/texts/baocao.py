"""The fixed phrases of the drafted báo cáo (.docx): every sentence is one of these, filled with
stored data. Plain text (python-docx escapes it)."""

from __future__ import annotations

PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_NUMBER = "Số      -BC/{code}"
GOV_NUMBER = "Số:      /BC-{code}"
PLACE_DATE = "{place}, ngày {d:02d} tháng {m:02d} năm {y}"
TITLE = "BÁO CÁO"
SUBJECT = "Kết quả thực hiện {kind}{number}{date}{issuer}{about}"
SUBJECT_NUMBER = " số {number}"
SUBJECT_DATE = " ngày {date}"
SUBJECT_ISSUER = " của {issuer}"
SUBJECT_ABOUT = " {title}"  # titles that begin "về …" / "V/v …" keep their own words
SUBJECT_ABOUT_PLAIN = " về {title}"
KIND_FALLBACK = "văn bản"
PERIOD = "(Kỳ báo cáo: từ ngày {start} đến ngày {end})"

H1 = "1. Tình hình triển khai"
H2 = "2. Kết quả thực hiện"
H3 = "3. Khó khăn, vướng mắc"
H4 = "4. Đơn vị chưa báo cáo"
H5 = "5. Đề xuất, kiến nghị"
HEADINGS = (H1, H2, H3, H4, H5)

DEPLOY_REGISTERED = "Văn bản được tiếp nhận và đăng ký theo dõi ngày {date}."
DEPLOY_SIZE = "Văn bản giao {duties} nhiệm vụ cho {units} đơn vị ({leads} lượt chủ trì, {supports} lượt phối hợp)."
DEPLOY_NOTICES = "Thông báo giao nhiệm vụ đã gửi đến nhóm Telegram của đơn vị cho {notified}/{total} lượt giao, {when}."
DEPLOY_NOTICE_DAY = "ngày {date}"
DEPLOY_NOTICE_RANGE = "từ ngày {first} đến ngày {last}"
DEPLOY_NO_NOTICES = "Chưa có thông báo giao nhiệm vụ nào được gửi đến đơn vị."
DEPLOY_FILES = "Các đơn vị đã gửi {n} tệp báo cáo (văn bản, ảnh chụp)."

DUTY_LABEL = "{label}. "
DUTY_DEADLINE = "Thời hạn: {deadline}."
DUTY_ONGOING = "Thời hạn: thường xuyên."
DUTY_LEADS = "Đơn vị chủ trì: {units}."
DUTY_SUPPORTS = "Đơn vị phối hợp: {units}."
DUTY_NO_UNITS = "Nhiệm vụ chưa giao cho đơn vị nào."
UNIT_LINE = "- {unit} ({role}): {status}{dated}{category}.{quote}{files}"
UNIT_DATED = ", báo cáo ngày {date}"
UNIT_CATEGORY = " - {category}"
UNIT_QUOTE = " Nội dung: “{text}”."
UNIT_FILES = " Tệp báo cáo: {names}."
UNIT_PERIOD = " Trong kỳ: {n} lần báo cáo."
UNIT_PERIOD_NONE = " Trong kỳ: chưa có báo cáo."
SILENT_LINE = "- Chưa có báo cáo: {units}."
ROLE_LEAD = "chủ trì"
ROLE_SUPPORT = "phối hợp"
STATUS = {
    "done": "đã hoàn thành",
    "reported_done": "đã báo cáo hoàn thành, chờ Văn phòng xác nhận",
    "in_progress": "đang thực hiện",
    "returned": "kết quả bị trả lại, đang thực hiện lại",
    "noted": "đã gửi báo cáo",
    "no_report": "chưa có báo cáo",
}
STATUS_PERCENT = " {percent}%"
STATUS_BLOCKED = ", có vướng mắc"

NO_DIFFICULTIES = "Trong kỳ, các đơn vị chưa báo cáo khó khăn, vướng mắc."
DIFFICULTY = "- {unit} (nhiệm vụ {label}, ngày {date}): “{text}”."
DIFFICULTY_NO_TEXT = "- {unit} (nhiệm vụ {label}, ngày {date}): báo có vướng mắc, chưa nêu nội dung."
NO_SILENT = "Trong kỳ, tất cả đơn vị được giao nhiệm vụ đều đã báo cáo."
SILENT = "- {unit}: nhiệm vụ {labels}."
NO_EXTENSIONS = "Trong kỳ, không có đơn vị đề nghị gia hạn."
EXTENSION = "- {unit} đề nghị gia hạn nhiệm vụ {label}{to} (ngày {date}){reason}: {decision}."
EXTENSION_TO = " đến ngày {date}"
EXTENSION_REASON = ", lý do: “{text}”"
DECISIONS = {"approved": "đã được chấp thuận", "rejected": "không được chấp thuận", "pending": "chưa xem xét"}
PROPOSAL_PLACEHOLDER = "[Văn phòng bổ sung đề xuất, kiến nghị.]"

RECIPIENTS = "Nơi nhận:"
RECIPIENT_PLACEHOLDER = "- …………;"
PARTY_ARCHIVE = "- Lưu Văn phòng."
GOV_ARCHIVE = "- Lưu: VT."
SIGN_NAME = "…………………"

ANNEX = "PHỤ LỤC"
ANNEX_SUBTITLE = "Tình hình thực hiện nhiệm vụ của từng đơn vị"
ANNEX_OF = "(Kèm theo Báo cáo {subject})"
ANNEX_HEADER = ("TT", "Nhiệm vụ", "Đơn vị", "Tình trạng", "Báo cáo gần nhất", "Tiến độ")
ANNEX_NONE = "Chưa báo cáo"
ANNEX_NO_ASSIGNMENTS = "Chưa giao nhiệm vụ cho đơn vị nào."
