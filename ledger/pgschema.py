"""The PostgreSQL ledger's schema as its owner creates it once (`amity init`): tables, guards, grants.

Writers never touch the events or the index directly. They append through ``amity_append``, a function
the owner defines (SECURITY DEFINER, fixed ``search_path``) that takes the writers' lock, stamps each
row with ``session_user`` and the database clock, computes the hash-chain link itself and refuses an
index entry that does not describe its event. Triggers refuse UPDATE, DELETE and TRUNCATE of events,
index and the record of moves for every role. Writers may read everything and write the views (derived
data: `amity verify` compares them with a rebuild). Only members of the owner role may append rows that
carry custody fields of their own: that is restoring a verified export or a copy (`amity copy`).
"""

from __future__ import annotations

import re

from psycopg.sql import SQL, Identifier, Literal

from amity.ledger.errors import BadInput

STAMP = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"  # the clock when the lock is held, not when a transaction began
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_$]{0,62}")
RECENT = "1 day"  # how far back a new (not restored) event's record time may lie


def identifier(text: str, what: str) -> str:
    """A schema or role name, checked (it is always quoted as an identifier, so case is kept)."""
    if not IDENTIFIER.fullmatch(text):
        raise BadInput(f"{what} {text!r} is not a valid name: use letters, digits and _ (at most 63, not starting with a digit)")
    return text


def facts_table(schema: str) -> list[SQL]:
    f = Identifier(schema, "amity_facts")
    m = Identifier(schema, "amity_moves")
    return [
        SQL("CREATE TABLE IF NOT EXISTS {} ("
            "position bigint PRIMARY KEY, event_id text NOT NULL UNIQUE, content_hash text NOT NULL, "
            "stream text NOT NULL, version bigint NOT NULL, type text NOT NULL, recorded_at text NOT NULL, "
            "recorded_by text NOT NULL, stored_at text NOT NULL, stored_by text NOT NULL, "
            "seq bigint NOT NULL UNIQUE, hash text NOT NULL, UNIQUE (stream, version))").format(f),
        SQL("CREATE INDEX IF NOT EXISTS amity_facts_recorded_at ON {} (recorded_at)").format(f),
        SQL("CREATE INDEX IF NOT EXISTS amity_facts_disputes ON {} (stream) WHERE type = 'ClaimDisputed'").format(f),  # #19
        SQL("CREATE TABLE IF NOT EXISTS {} (at text NOT NULL, by text NOT NULL, source text NOT NULL, "
            "first_seq bigint NOT NULL, last_seq bigint NOT NULL, digest text NOT NULL)").format(m),
    ]


def append_only(schema: str, tables: list[str]) -> list[SQL]:
    fn = Identifier(schema, "amity_refuse_change")
    out = [SQL("CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "RAISE EXCEPTION 'amity: % on %.% refused: the ledger is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME; "
               "END $$").format(fn=fn)]
    for table in tables:
        tbl = Identifier(schema, table)
        out += [
            SQL("CREATE OR REPLACE TRIGGER {t} BEFORE UPDATE OR DELETE ON {tbl} FOR EACH ROW EXECUTE FUNCTION {fn}()").format(
                t=Identifier(f"{table}_no_change"), tbl=tbl, fn=fn),
            SQL("CREATE OR REPLACE TRIGGER {t} BEFORE TRUNCATE ON {tbl} FOR EACH STATEMENT EXECUTE FUNCTION {fn}()").format(
                t=Identifier(f"{table}_no_truncate"), tbl=tbl, fn=fn),
        ]
    return out


# The link is sha256(previous hash ‖ JSON array of the row), the JSON written exactly as the Python side
# writes it with orjson (no spaces; strings escaped as to_json escapes them): see ledger/integrity.py.
_APPEND = r"""
CREATE OR REPLACE FUNCTION {fn}(
    p_stream uuid[], p_version bigint[], p_topic text[], p_state bytea[], p_event_id text[], p_content_hash text[],
    p_type text[], p_recorded_at text[], p_recorded_by text[],
    p_stored_at text[] DEFAULT NULL, p_stored_by text[] DEFAULT NULL, p_hash text[] DEFAULT NULL)
RETURNS TABLE(out_position bigint, out_seq bigint, out_hash text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    head_seq bigint; head_hash text; head_at text; pos bigint; at text; who text; body text; doc json; link text;
    restoring boolean := p_stored_at IS NOT NULL;
    now_text text;
BEGIN
    LOCK TABLE {events} IN EXCLUSIVE MODE;
    now_text := {stamp};
    IF restoring AND NOT pg_has_role(session_user, {owner}, 'MEMBER') THEN
        RAISE EXCEPTION 'amity: only the ledger''s owner ({owner_name}) may restore events with their custody fields';
    END IF;
    SELECT f.seq, f.hash, f.stored_at INTO head_seq, head_hash, head_at FROM {facts} f ORDER BY f.seq DESC LIMIT 1;
    now_text := greatest(now_text, head_at);  -- store times never run backwards along the chain
    head_seq := coalesce(head_seq, 0); head_hash := coalesce(head_hash, repeat('0', 64));
    FOR i IN 1 .. coalesce(array_length(p_stream, 1), 0) LOOP
        doc := convert_from(p_state[i], 'UTF8')::json;
        IF doc->>'id' IS DISTINCT FROM p_event_id[i] OR doc->>'type' IS DISTINCT FROM p_type[i]
           OR doc->>'recorded_at' IS DISTINCT FROM p_recorded_at[i] OR doc->>'recorded_by' IS DISTINCT FROM p_recorded_by[i]
           OR p_topic[i] IS DISTINCT FROM 'amity.events:' || p_type[i] THEN
            RAISE EXCEPTION 'amity: index entry % does not describe its event', p_event_id[i];
        END IF;
        IF p_recorded_at[i] !~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}\.[0-9]{{6}}Z$'
           OR (restoring AND (p_stored_at[i] !~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}\.[0-9]{{6}}Z$' OR p_stored_at[i] > now_text)) THEN
            RAISE EXCEPTION 'amity: event % has a record or store time that is not an instant Amity writes, or is later than now', p_event_id[i];
        END IF;
        IF p_recorded_at[i] > to_char((clock_timestamp() + interval {skew}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') THEN
            RAISE EXCEPTION 'amity: event % is recorded at %, later than now', p_event_id[i], p_recorded_at[i];
        END IF;
        IF NOT restoring AND p_recorded_at[i] < to_char((clock_timestamp() - interval {recent}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') THEN
            RAISE EXCEPTION 'amity: event % is recorded at %, in the past: only a restore keeps old record times', p_event_id[i], p_recorded_at[i];
        END IF;
        at := CASE WHEN restoring THEN p_stored_at[i] ELSE now_text END;
        IF at < coalesce(head_at, '') THEN
            RAISE EXCEPTION 'amity: event % would be stored at %, before the event before it (%)', p_event_id[i], at, head_at;
        END IF;
        head_at := at;
        who := CASE WHEN restoring THEN p_stored_by[i] ELSE session_user::text END;
        INSERT INTO {events} (originator_id, originator_version, topic, state)
            VALUES (p_stream[i], p_version[i], p_topic[i], p_state[i]) RETURNING notification_id INTO pos;
        head_seq := head_seq + 1;
        body := '[' || head_seq || ',' || to_json(p_event_id[i])::text || ',' || to_json(p_content_hash[i])::text || ','
             || to_json(replace(p_stream[i]::text, '-', ''))::text || ',' || p_version[i] || ',' || to_json(p_type[i])::text || ','
             || to_json(p_recorded_at[i])::text || ',' || to_json(p_recorded_by[i])::text || ',' || to_json(at)::text || ','
             || to_json(who)::text || ',' || to_json(p_topic[i])::text || ',' || to_json(encode(sha256(p_state[i]), 'hex'))::text || ']';
        link := encode(sha256(convert_to(head_hash || body, 'UTF8')), 'hex');
        IF p_hash IS NOT NULL AND p_hash[i] IS DISTINCT FROM link THEN
            RAISE EXCEPTION 'amity: restored event % does not follow the chain (link % expected, % computed)', p_event_id[i], p_hash[i], link;
        END IF;
        INSERT INTO {facts} (position, event_id, content_hash, stream, version, type, recorded_at, recorded_by, stored_at, stored_by, seq, hash)
            VALUES (pos, p_event_id[i], p_content_hash[i], replace(p_stream[i]::text, '-', ''), p_version[i], p_type[i],
                    p_recorded_at[i], p_recorded_by[i], at, who, head_seq, link);
        head_hash := link;
        out_position := pos; out_seq := head_seq; out_hash := link;
        RETURN NEXT;
    END LOOP;
END $$
"""

_BEGIN = """
CREATE OR REPLACE FUNCTION {fn}() RETURNS TABLE(head_seq bigint, head_hash text, stamp text, who text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    LOCK TABLE {events} IN EXCLUSIVE MODE;
    RETURN QUERY SELECT coalesce(max(f.seq), 0)::bigint,
        coalesce((SELECT g.hash FROM {facts} g ORDER BY g.seq DESC LIMIT 1), repeat('0', 64)), {stamp}, session_user::text
        FROM {facts} f;
END $$
"""

_MOVE = """
CREATE OR REPLACE FUNCTION {fn}(p_source text, p_first bigint, p_at text DEFAULT NULL, p_by text DEFAULT NULL, p_last bigint DEFAULT NULL)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT pg_has_role(session_user, {owner}, 'MEMBER') THEN
        RAISE EXCEPTION 'amity: only the ledger''s owner ({owner_name}) may record a move';
    END IF;
    IF p_last IS NULL THEN  -- this move: up to the chain's head, now, by this session
        INSERT INTO {moves} SELECT {stamp}, session_user::text, p_source, p_first, f.seq, f.hash FROM {facts} f ORDER BY f.seq DESC LIMIT 1;
    ELSE  -- an earlier move, carried over from the source: its digest is the chain's own link at its last position
        INSERT INTO {moves} SELECT p_at, p_by, p_source, p_first, f.seq, f.hash FROM {facts} f WHERE f.seq = p_last;
    END IF;
END $$
"""

APPEND_ARGS = "uuid[], bigint[], text[], bytea[], text[], text[], text[], text[], text[], text[], text[], text[]"


def functions(schema: str, events_table: str, owner: str) -> list[SQL]:
    from amity.ledger.recording import CLOCK_SKEW  # how far a writer's clock may run ahead of the database's

    names = {"events": Identifier(schema, events_table), "facts": Identifier(schema, "amity_facts"),
             "moves": Identifier(schema, "amity_moves"), "owner": Literal(owner), "owner_name": SQL(owner.replace("'", "")),
             "stamp": SQL(STAMP), "skew": Literal(f"{int(CLOCK_SKEW.total_seconds())} seconds"), "recent": Literal(RECENT)}
    return [SQL(_APPEND).format(fn=Identifier(schema, "amity_append"), **names),
            SQL(_BEGIN).format(fn=Identifier(schema, "amity_begin_write"), **names),
            SQL(_MOVE).format(fn=Identifier(schema, "amity_record_move"), **names)]


# The views' tables (projections/views.py TABLE_NAMES, and the tracking table), which writers keep.
VIEW_TABLES = ("amity_views_tracking", "amity_timelines", "amity_anniversary_events", "amity_networks", "amity_network_members",
               "amity_network_member_facts", "amity_network_days")


def grants(schema: str, events_table: str, writer: str) -> list[SQL]:
    s, w = Identifier(schema), Identifier(writer)
    views = SQL(", ").join(Identifier(schema, t) for t in VIEW_TABLES)
    ledger = SQL(", ").join(Identifier(schema, t) for t in (events_table, "amity_facts", "amity_moves"))
    return [
        SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, w),
        SQL("GRANT SELECT ON {} TO {}").format(ledger, w),
        SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(views, w),
        SQL("GRANT EXECUTE ON FUNCTION {}() TO {}").format(Identifier(schema, "amity_begin_write"), w),
        SQL("GRANT EXECUTE ON FUNCTION {}(" + APPEND_ARGS + ") TO {}").format(Identifier(schema, "amity_append"), w),
    ]


def revoke_public(schema: str) -> list[SQL]:
    """Functions are executable by PUBLIC by default: only the roles `amity init --writer` names may call ours."""
    return [SQL("REVOKE ALL ON FUNCTION {}() FROM PUBLIC").format(Identifier(schema, "amity_begin_write")),
            SQL("REVOKE ALL ON FUNCTION {}(" + APPEND_ARGS + ") FROM PUBLIC").format(Identifier(schema, "amity_append")),
            SQL("REVOKE ALL ON FUNCTION {}(text, bigint, text, text, bigint) FROM PUBLIC").format(Identifier(schema, "amity_record_move"))]
