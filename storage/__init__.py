"""Storage: the only package that builds SQL. All tables in `models`, the engine, sessions and
migrations in `db`, and functions that take a Session and hold no business rules.

May import: SQLModel/SQLAlchemy/Alembic and the standard library; never anything of bot/ or handlers/."""
