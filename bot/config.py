"""Configuration: config.yaml, overridden by environment variables (pydantic-settings).

Secrets (the bot token, database passwords) come only from the environment.
"""

from __future__ import annotations

import json
import os
import re
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict, SettingsError

from bot import texts
from bot.domain.extract import Limits
from bot.settings import SECRET_RE
from bot.settings import QuietHours as QuietHours
from bot.settings import ReminderDefaults as ReminderDefaults
from bot.settings import SummarySettings as SummarySettings
from bot.settings import TelegramSettings as TelegramSettings
from bot.settings import UnitConfig as UnitConfig
from bot.settings import WebhookSettings as WebhookSettings
from bot.settings_files import AttachmentSettings, BaocaoSettings

DEFAULT_CONFIG = "config.yaml"
class ConfigError(Exception):
    """A configuration problem, phrased for the operator in one line."""


class _YamlSource(PydanticBaseSettingsSource):
    """Feeds the already-validated YAML mapping to pydantic-settings, below the environment."""

    def __init__(self, settings_cls: type[BaseSettings], data: dict[str, Any]) -> None:
        super().__init__(settings_cls)
        self._data = data

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._data)


_yaml_data: ContextVar[dict[str, Any] | None] = ContextVar("dondoc_yaml_data", default=None)


class Config(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DONDOC_",
        env_nested_delimiter="__",
        extra="forbid",
        populate_by_name=True,
    )

    timezone: str = "Asia/Ho_Chi_Minh"
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "DONDOC_DATABASE_URL", "database_url")
    )
    bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DONDOC_BOT_TOKEN", "bot_token"), exclude=True
    )
    webhook_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DONDOC_WEBHOOK_SECRET", "webhook_secret"), exclude=True
    )
    # NoDecode: the validator below reads DONDOC_ADMINS="123,456" as well as JSON.
    admins: Annotated[list[int], NoDecode] = Field(default_factory=list)
    language: Literal["vi"] = "vi"
    require_confirmation: bool = True
    max_text_chars: int = Field(default=60_000, ge=1000)
    max_file_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # An uploaded document is read in a child process under these limits (bot/extract_worker.py).
    max_expanded_bytes: int = Field(default=30 * 1024 * 1024, ge=1024)  # a .docx's parts, inflated
    max_zip_ratio: int = Field(default=100, ge=2)  # inflated/compressed, per part and overall
    max_pdf_pages: int = Field(default=200, ge=1)
    extract_timeout_s: float = Field(default=10.0, gt=0, le=300)
    extract_memory_mb: int = Field(default=768, ge=128)  # the child's address space (RLIMIT_AS)
    # How long a /newdirective conversation may sit idle; the draft is kept after it times out.
    conversation_timeout_s: int = Field(default=1800, ge=1)
    # A group invite link (t.me/<bot>?startgroup=<token>) is single-use and expires after this.
    invite_ttl_hours: int = Field(default=72, ge=1, le=24 * 30)
    # Telegram sends "bot added" before the "/start <token>" of an invite link: wait this long before
    # telling a group it has no link.
    # Per user: more updates than this within the window are dropped (see bot/handlers/flood.py).
    flood_max_updates: int = Field(default=30, ge=1)
    flood_window_s: float = Field(default=10.0, gt=0)
    bind_hint_delay_s: float = Field(default=10.0, ge=0, le=600)
    reminders: ReminderDefaults = Field(default_factory=ReminderDefaults)
    summary: SummarySettings = Field(default_factory=SummarySettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    attachments: AttachmentSettings = Field(default_factory=AttachmentSettings)
    baocao: BaocaoSettings = Field(default_factory=BaocaoSettings)
    units: list[UnitConfig] = Field(default_factory=list)

    # Where the file came from: relative paths (data_dir) are resolved against it.
    config_dir: Path = Field(default=Path("."), exclude=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _YamlSource(settings_cls, _yaml_data.get() or {}))

    @field_validator("admins", mode="before")
    @classmethod
    def _admins_as_typed(cls, v: object) -> object:
        """From the environment: "123", "123,456", "123 456" or JSON "[123, 456]"; YAML lists pass through."""
        if not isinstance(v, str):
            return v
        raw = v.strip()
        if raw.startswith("["):
            try:
                return json.loads(raw)
            except ValueError as exc:
                raise ValueError(texts.CONFIG_BAD_ADMINS.format(value=raw[:40])) from exc
        items = [item for item in re.split(r"[,;\s]+", raw) if item]
        if not all(item.isascii() and item.isdigit() for item in items):
            raise ValueError(texts.CONFIG_BAD_ADMINS.format(value=raw[:40]))
        return [int(item) for item in items]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(texts.CONFIG_BAD_ZONE.format(zone=v)) from exc
        return v

    @field_validator("units")
    @classmethod
    def _unique_codes(cls, v: list[UnitConfig]) -> list[UnitConfig]:
        seen: set[str] = set()
        for unit in v:
            if unit.code in seen:
                raise ValueError(texts.CONFIG_DUPLICATE_UNIT.format(code=unit.code))
            seen.add(unit.code)
        return v

    def extract_limits(self) -> Limits:
        return Limits(
            max_bytes=self.max_file_bytes,
            max_text_chars=self.max_text_chars,
            max_expanded_bytes=self.max_expanded_bytes,
            max_ratio=self.max_zip_ratio,
            max_pdf_pages=self.max_pdf_pages,
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir if self.data_dir.is_absolute() else self.config_dir / self.data_dir

    def db_url(self) -> str:
        """The database URL; the default is a SQLite file in the data directory (created if missing)."""
        if self.database_url:
            return self.database_url
        data_dir = self.resolved_data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{(data_dir / 'dondoc.sqlite3').resolve()}"

    def token(self) -> str:
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise ConfigError(texts.CONFIG_MISSING_TOKEN)
        return self.bot_token.get_secret_value().strip()

    def webhook_secret_token(self) -> str:
        """The secret Telegram sends in X-Telegram-Bot-Api-Secret-Token; webhook mode refuses to start without it."""
        secret = self.webhook_secret.get_secret_value().strip() if self.webhook_secret is not None else ""
        if not secret:
            raise ConfigError(texts.CONFIG_MISSING_WEBHOOK_SECRET)
        if not SECRET_RE.match(secret):
            raise ConfigError(texts.CONFIG_BAD_WEBHOOK_SECRET)
        return secret

    def webhook_public_url(self) -> str:
        url = (self.telegram.webhook.webhook_url or "").strip()
        if not url:
            raise ConfigError(texts.CONFIG_MISSING_WEBHOOK_URL)
        return url


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(texts.CONFIG_NOT_FOUND.format(path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(texts.CONFIG_UNREADABLE.format(path=path, error=exc)) from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError(texts.CONFIG_BAD_YAML.format(where=where, error=getattr(exc, "problem", exc))) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(texts.CONFIG_NOT_MAPPING.format(path=path))
    if "bot_token" in data:
        raise ConfigError(texts.CONFIG_TOKEN_IN_FILE)
    if "webhook_secret" in data:
        raise ConfigError(texts.CONFIG_SECRET_IN_FILE)
    return data


def _format_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"]) or "?"
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = texts.CONFIG_UNKNOWN_KEY
    if (env := _env_source(err["loc"])) is not None:
        key = texts.CONFIG_ENV_KEY.format(key=key, env=env)
    return texts.CONFIG_INVALID.format(key=key, error=msg)


_ENV_PREFIX = "DONDOC_"
_SETTINGS_FIELD_RE = re.compile(r'field "(\w+)"')


def _env_source(loc: tuple[int | str, ...]) -> str | None:
    """The DONDOC_ variable that set the value at `loc`; the environment wins over the file, so it is the culprit."""
    present = {name.upper() for name in os.environ}
    parts: list[str] = []
    found = None
    for part in loc:
        if not isinstance(part, str):
            break  # a list index: the variable holds the whole list
        parts.append(part.upper())
        if (name := _ENV_PREFIX + "__".join(parts)) in present:
            found = name
    return found


def _format_settings_error(exc: SettingsError) -> str:
    """pydantic-settings could not decode a complex (JSON) value from the environment."""
    match = _SETTINGS_FIELD_RE.search(str(exc))
    field = _ENV_PREFIX + (match.group(1).upper() if match else "*")
    names = sorted(n.upper() for n in os.environ if n.upper() == field or n.upper().startswith(field + "__")) or [field]
    keys = ", ".join(n.removeprefix(_ENV_PREFIX).replace("__", ".").lower() for n in names)
    cause = str(exc.__cause__ or exc).strip().splitlines()
    return texts.CONFIG_BAD_ENV.format(env=", ".join(names), key=keys, error=cause[0] if cause else "?")


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit or os.environ.get("DONDOC_CONFIG") or DEFAULT_CONFIG)


def load_config(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Config:
    """Read config.yaml (or DONDOC_CONFIG), apply environment overrides, and validate.

    Raises ConfigError with one line naming the offending key.
    """
    file = config_path(path)
    data = _read_yaml(file)
    token = _yaml_data.set(data)
    try:
        cfg = Config(config_dir=file.resolve().parent, **overrides)
    except ValidationError as exc:
        raise ConfigError(_format_error(exc)) from None
    except SettingsError as exc:
        raise ConfigError(_format_settings_error(exc)) from None
    finally:
        _yaml_data.reset(token)
    return cfg
