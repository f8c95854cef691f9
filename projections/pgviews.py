"""The partnership views in a PostgreSQL schema (imported only for PostgreSQL stores: psycopg is slow to load)."""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresTrackingRecorder

from amity.ledger.records import bounded_lock
from amity.projections.views import TABLE_NAMES, VIEW_NAME, VIEW_TABLES, PartnershipView


# `amity init` on a schema whose views an earlier Amity made (views-4: timelines without their last step); the writers'
# grants stay, and the new view name refills the rows on the next read
UPGRADES = ["ALTER TABLE amity_timelines ADD COLUMN IF NOT EXISTS last_from TEXT",
            "ALTER TABLE amity_timelines ADD COLUMN IF NOT EXISTS last_step BLOB"]


class PostgresPartnershipView(PartnershipView, PostgresTrackingRecorder):
    """The view in a PostgreSQL schema."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, tracking_table_name="amity_views_tracking", **kwargs)
        schema = self.datastore.schema
        self.tracking_table = f'"{schema}"."amity_views_tracking"'
        from psycopg.sql import SQL

        self.sql_create_statements += [SQL(self._sql(t.replace("BLOB", "BYTEA").replace(" WITHOUT ROWID", ""))) for t in VIEW_TABLES + UPGRADES]  # type: ignore[arg-type]

    def lock_views(self, c: Any) -> None:
        """Serialise view writers with a table lock only roles that may write the views can take (bounded wait)."""
        with bounded_lock(c.connection, self.tracking_table, "the views' lock"):
            c.execute(f"LOCK TABLE {self.tracking_table} IN SHARE ROW EXCLUSIVE MODE")

    def _sql(self, text: str) -> str:
        schema = self.datastore.schema
        for table in ("amity_intervals", "amity_establishing", *TABLE_NAMES):  # every view table, and the earlier layouts' (dropped)
            text = text.replace(f"ON {table} ", f'ON "{schema}".{table} ').replace(f"FROM {table}", f'FROM "{schema}".{table}')
            text = text.replace(f"INTO {table}", f'INTO "{schema}".{table}').replace(f"EXISTS {table} (", f'EXISTS "{schema}".{table} (')
            text = text.replace(f"DROP TABLE IF EXISTS {table}", f'DROP TABLE IF EXISTS "{schema}".{table}')
            text = text.replace(f"ALTER TABLE {table} ", f'ALTER TABLE "{schema}".{table} ')
        return text.replace("?", "%s")


def open_store_view(datastore: Any, *, create: bool = False) -> PostgresPartnershipView:
    """PostgreSQL's views: their tables are created only by `amity init` (``create``), the schema owner's job; a table
    it adds to an earlier Amity's schema starts empty, so the views' tracking position is forgotten and they refill."""
    view = PostgresPartnershipView(datastore)
    if create:
        with datastore.transaction(commit=False) as c:
            c.execute("SELECT count(*) AS n FROM pg_tables WHERE schemaname = %s AND tablename = ANY(%s)", (datastore.schema, list(TABLE_NAMES)))
            complete = c.fetchone()["n"] == len(TABLE_NAMES)
        view.create_table()  # type: ignore[attr-defined]
        if not complete:
            with datastore.transaction(commit=True) as c:
                c.execute(f"DELETE FROM {view.tracking_table} WHERE application_name = %s", (VIEW_NAME,))
    return view
