-- Nothing to bring into shape: an embedded SQLite database is always one of ours (the
-- PostgreSQL twin upgrades a database_postgresql install's insuree tables).
SELECT 1;
