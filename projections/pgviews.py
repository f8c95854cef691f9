"""The partnership views in a PostgreSQL schema (imported only for PostgreSQL stores: psycopg is slow to load)."""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresTrackingRecorder

from amity.ledger.records import bounded_lock
from amity.projections.views import VIEW_TABLES, PartnershipView


class PostgresPartnershipView(PartnershipView, PostgresTrackingRecorder):
    """The view in a PostgreSQL schema."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, tracking_table_name="amity_views_tracking", **kwargs)
        schema = self.datastore.schema
        self.tracking_table = f'"{schema}"."amity_views_tracking"'
        from psycopg.sql import SQL

        self.sql_create_statements += [SQL(self._sql(t.replace("BLOB", "BYTEA").replace(" WITHOUT ROWID", ""))) for t in VIEW_TABLES]  # type: ignore[arg-type]

    def lock_views(self, c: Any) -> None:
        """Serialise view writers with a table lock only roles that may write the views can take (bounded wait)."""
        with bounded_lock(c.connection, self.tracking_table, "the views' lock"):
            c.execute(f"LOCK TABLE {self.tracking_table} IN SHARE ROW EXCLUSIVE MODE")

    def _sql(self, text: str) -> str:
        schema = self.datastore.schema
        for table in ("amity_timelines", "amity_intervals", "amity_establishing", "amity_anniversary_events", "amity_networks", "amity_network_members", "amity_network_member_facts"):
            text = text.replace(f"ON {table} ", f'ON "{schema}".{table} ').replace(f"FROM {table}", f'FROM "{schema}".{table}')
            text = text.replace(f"INTO {table}", f'INTO "{schema}".{table}').replace(f"EXISTS {table} (", f'EXISTS "{schema}".{table} (')
            text = text.replace(f"DROP TABLE IF EXISTS {table}", f'DROP TABLE IF EXISTS "{schema}".{table}')
        return text.replace("?", "%s")


def open_store_view(datastore: Any, *, create: bool = False) -> PostgresPartnershipView:
    """PostgreSQL's views: their tables are created only by `amity init` (``create``), the schema owner's job."""
    view = PostgresPartnershipView(datastore)
    if create:
        view.create_table()  # type: ignore[attr-defined]
    return view
