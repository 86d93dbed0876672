-- Nothing to bring into shape: an embedded SQLite database is always one of ours (the
-- PostgreSQL twin adds the columns a database_postgresql install lacks).
SELECT 1;
