"""Settings from the environment (SMUP_…) or a .env file; see .env.example."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SMUP_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Where the embedded default keeps its SQLite database and local maildir.
    data_dir: Path = Path("smup-data")
    # SQLAlchemy async URL; empty means SQLite in data_dir.
    database_url: str = ""
    redis_url: str = ""

    # The first recruitment stage, created on first start when the registry has none
    # (Zasady rekrutacji pkt 3: at least 30 days; pkt 2: the 577 JST target).
    first_stage_name: str = "Etap I"
    first_stage_opens_at: datetime | None = None  # default: the moment of first start
    first_stage_days: int = Field(default=30, ge=30)
    first_stage_capacity: int = Field(default=577, ge=1)

    telegram_token: str = ""
    # Another Bot API server (a local one, or the tests' fake server); empty = Telegram's.
    telegram_api_url: str = ""
    # Telegram user ids of organiser staff, as a JSON list: [11111111, 22222222].
    admin_ids: list[int] = Field(default_factory=list)
    # The organisers' Telegram chat for hand-overs and alerts (0 = none).
    admin_chat_id: int = 0
    # Webhook mode when set (e.g. https://bot.example.pl/telegram); polling otherwise.
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8080
    # Telegram's limits: about 30 messages/s for the bot and 1/s per chat.
    bot_messages_per_second: float = 25.0
    chat_messages_per_second: float = 1.0

    # Inbound mail gateway (SMTP).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    mail_domain: str = "smup.localhost"
    # Reply addresses are <reply_local_part>+<token>@<mail_domain>.
    reply_local_part: str = "zgloszenia"
    questions_local_part: str = "pytania"
    # The organisers' mailboxes for forwarded and unverified mail.
    zmp_email: str = ""
    zpp_email: str = ""
    max_message_bytes: int = 15 * 1024 * 1024
    max_smtp_connections: int = 100
    # STARTTLS for inbound mail when a certificate is given; required when set so.
    smtp_tls_cert: Path | None = None
    smtp_tls_key: Path | None = None
    smtp_require_tls: bool = False

    # Outbound mail: a relay when relay_host is set; otherwise a maildir in data_dir.
    relay_host: str = ""
    relay_port: int = 587
    relay_starttls: bool = True
    relay_tls: bool = False
    relay_username: str = ""
    relay_password: str = ""
    mail_from_name: str = "SMUP Assistant"
    # A notification not delivered after this many hours is given up (the organiser told).
    outbox_give_up_hours: float = 48.0

    # Umowa uczestnictwa pkt 3: days from qualification to sign (never after the day before
    # the first training), reminders that many days before, the declarations reminder.
    agreement_days: int = Field(default=14, ge=1)
    agreement_reminder_days: list[int] = Field(default_factory=lambda: [14, 7, 3, 1])
    declarations_reminder_days: int = Field(default=3, ge=0)

    @property
    def maildir(self) -> Path:
        return self.data_dir / "maildir"

    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'smup.db').resolve()}"
