"""Roles, /whoami and the audit log."""

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
