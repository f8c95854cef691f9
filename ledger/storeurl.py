"""Where a ledger lives: the ``--store`` value (a file path, ``sqlite:///path`` or a PostgreSQL URL), parsed and checked.

Every option of a PostgreSQL URL is honoured or refused in one line: ``schema=`` is checked as an
identifier (and always quoted), libpq options (``sslmode``, ``sslrootcert``, ``application_name`` …) go to
the driver as given, and anything else is an error rather than silently ignored.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, unquote, urlparse

from amity.ledger.config import DEFAULT_STORE, store_text  # noqa: F401 - DEFAULT_STORE is part of this module's answer
from amity.ledger.errors import BadInput

# libpq connection options a store URL may carry (passed through to the driver as they are).
LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslcrl", "sslcompression", "sslsni",
                 "requiressl", "channel_binding", "gssencmode", "krbsrvname", "application_name", "options",
                 "target_session_attrs", "passfile", "keepalives", "keepalives_idle", "keepalives_interval",
                 "keepalives_count", "tcp_user_timeout", "service", "hostaddr", "ssl_min_protocol_version",
                 "ssl_max_protocol_version", "require_auth", "connect_timeout", "load_balance_hosts"}


@dataclass(frozen=True)
class StoreURL:
    """A parsed ``--store`` value."""

    kind: str  # "sqlite" or "postgresql"
    path: str = ""
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = ""
    options: dict[str, str] = field(default_factory=dict)  # libpq options, honoured as given

    @classmethod
    def parse(cls, text: str | None) -> StoreURL:
        text = text or store_text()
        if text.startswith(("postgresql://", "postgres://")):
            return cls._postgres(text)
        if text.startswith("sqlite:///"):
            text = text[len("sqlite:///"):]
        elif "://" in text:
            raise BadInput(f"unknown store {text!r}: use a file path, sqlite:///path or postgresql://user@host:port/db")
        if "\x00" in text:
            raise BadInput("a store path cannot contain a NUL character")
        return cls("sqlite", path=text)

    @classmethod
    def _postgres(cls, text: str) -> StoreURL:
        from amity.ledger.pgschema import identifier

        if "\x00" in unquote(text):
            raise BadInput("a store URL cannot contain a NUL character")
        try:
            u = urlparse(text)
            port = u.port
        except ValueError as exc:
            raise BadInput(f"store URL {text!r} is malformed: {exc}") from None
        query = parse_qs(u.query, keep_blank_values=True)
        if not u.path.strip("/"):
            raise BadInput(f"store {text!r} names no database: postgresql://user@host:port/db")
        unknown = sorted(set(query) - LIBPQ_OPTIONS - {"schema"})
        if unknown:
            raise BadInput(f"store URL option {unknown[0]!r} is not known; use schema= or a libpq option such as sslmode=")
        if any(len(v) > 1 for v in query.values()):
            raise BadInput("a store URL option is given twice")
        schema = (query.get("schema") or [""])[0]
        if schema:
            identifier(schema, "schema")
        options = {k: v[0] for k, v in query.items() if k != "schema"}
        return cls("postgresql", host=u.hostname or "127.0.0.1", port=port or 5432, user=unquote(u.username or "") or getpass.getuser(),
                   password=unquote(u.password or ""), dbname=unquote(u.path.strip("/")), schema=schema, options=options)

    def with_user(self, user: str) -> StoreURL:
        return replace(self, user=user, password="")

    def exists(self) -> bool:
        """Whether a SQLite store's file is there (an in-memory or URI store counts as there)."""
        if self.kind != "sqlite" or self.path == ":memory:":
            return True
        path = self.path
        if path.startswith("file:"):
            path = unquote(urlparse(path).path)
        return os.path.exists(path)

    def __str__(self) -> str:
        if self.kind == "sqlite":
            return self.path
        query = "&".join(f"{k}={v}" for k, v in (({"schema": self.schema} if self.schema else {}) | self.options).items())
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}" + (f"?{query}" if query else "")


