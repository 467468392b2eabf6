"""storage.prepared on both databases: a statement handed to the driver as SQLAlchemy compiled it
writes and reads what SQLAlchemy's own execution of it writes and reads (dates, times in UTC, JSON,
IN lists of any length, a LIMIT fixed in the statement)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import bindparam, insert, select, update

from storage.db import session_scope
from storage.models import Item, ItemKey
from storage.prepared import Prepared

_item, _key = Item.__table__, ItemKey.__table__
NOW = datetime(2023, 3, 14, 9, 30, tzinfo=UTC)


def _items(session, count: int) -> list[int]:
    rows = [{"created_at": NOW, "updated_at": NOW, "titles": {"en": f"t{n}"}, "profile": {"n": [n, 1.5]},
             "article_count": n, "disputed": False} for n in range(count)]
    return [session.execute(insert(_item).values(row)).inserted_primary_key[0] for row in rows]


def test_rows_written_through_the_driver_read_back_as_sqlalchemy_writes_them(engine):
    keys = Prepared(insert(_key).values(key=bindparam("key"), day=bindparam("day"), item_id=bindparam("item")))
    save = Prepared(update(_item).where(_item.c.id == bindparam("iid"))
                    .values(profile=bindparam("profile", type_=_item.c.profile.type),
                            updated_at=bindparam("at", type_=_item.c.updated_at.type)))
    with session_scope(engine) as session:
        first, second = _items(session, 2)
        keys.run(session.connection(), [{"key": f"p:town{n}", "day": date(2023, 3, 10 + n), "item": first}
                                        for n in range(3)])
        done = save.run(session.connection(), {"iid": second, "profile": {"a": [1, "b"]}, "at": NOW.replace(hour=11)})
        assert done.rowcount == 1
    with session_scope(engine) as session:
        assert sorted(session.execute(select(_key.c.key, _key.c.day)).all()) == [
            (f"p:town{n}", date(2023, 3, 10 + n)) for n in range(3)]
        item = session.get(Item, second)
        assert item.profile == {"a": [1, "b"]} and item.updated_at == NOW.replace(hour=11)


def test_an_in_list_of_any_length_and_a_fixed_limit_select_what_sqlalchemy_selects(engine):
    statement = (select(_item.c.id, _item.c.updated_at, _item.c.profile)
                 .where(_item.c.id.in_(bindparam("ids", expanding=True)), _item.c.article_count >= bindparam("least"))
                 .order_by(_item.c.id.desc()).limit(2))
    prepared = Prepared(statement)
    with session_scope(engine) as session:
        ids = _items(session, 5)
        for chosen in ([ids[0]], ids[1:4], ids, [ids[4], ids[2]]):
            values = {"ids": chosen, "least": 1}
            ours = prepared.rows(session.connection(), values)
            assert ours == [tuple(row) for row in session.execute(statement, values)]
            assert all(isinstance(at, datetime) and at == NOW for _, at, _ in ours)
