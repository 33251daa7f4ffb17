"""What the operator reads: configuration, the dondoc command, production messages."""

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


# --- config validation ---
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
