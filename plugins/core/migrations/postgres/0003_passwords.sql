-- core 0003: what the login lockout and the password mutations remember.
-- Failed logins per lowercased username, the last in Unix milliseconds (the original keeps them
-- in django-axes' table).
CREATE TABLE IF NOT EXISTS "core_LoginFailure" (
  "username" varchar(255) PRIMARY KEY, "failures" int NOT NULL, "last_failure" bigint NOT NULL);
-- Password reset tokens: only their SHA-256 is stored; one use, then deleted; expiry in Unix seconds.
CREATE TABLE IF NOT EXISTS "core_PasswordResetToken" (
  "token_hash" varchar(64) PRIMARY KEY, "username" varchar(50) NOT NULL, "expires" bigint NOT NULL);
CREATE INDEX IF NOT EXISTS "core_PasswordResetToken_username" ON "core_PasswordResetToken" ("username");
