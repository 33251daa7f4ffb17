"""The unit directory, groups and their bindings."""

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


# --- groups and /whoami ---
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
