-- django-simple-history's shadow tables for tblUsers and core_User (core 1.11.0): one row per
-- save, `history_type` '+' (created), '~' (changed) or '-' (deleted).
CREATE TABLE IF NOT EXISTS "core_historicalinteractiveuser" (
  "history_id" serial PRIMARY KEY, "history_date" timestamptz NOT NULL, "history_change_reason" varchar(100) NULL,
  "history_type" varchar(1) NOT NULL, "history_user_id" uuid NULL,
  "id" bigint NOT NULL, "version" int NOT NULL, "UUID" uuid NOT NULL, "active" boolean NOT NULL, "Json_ext" jsonb NULL,
  "date_deactivated" timestamptz NULL, "ValidityFrom" timestamptz NULL, "ValidityTo" timestamptz NULL,
  "LanguageID" varchar(5) NULL, "LastName" varchar(100) NOT NULL, "OtherNames" varchar(100) NOT NULL, "Phone" varchar(50) NULL,
  "LoginName" varchar(25) NOT NULL, "LastLogin" timestamp NULL, "HFID" int NULL, "EmailId" varchar(200) NULL,
  "PrivateKey" varchar(256) NULL, "StoredPassword" varchar(256) NULL, "PasswordValidity" timestamptz NULL,
  "IsAssociated" boolean NULL, "RoleID" int NULL);
CREATE INDEX IF NOT EXISTS "core_historicalinteractiveuser_id" ON "core_historicalinteractiveuser" ("id");
CREATE TABLE IF NOT EXISTS "core_historicaluser" (
  "history_id" serial PRIMARY KEY, "history_date" timestamptz NOT NULL, "history_change_reason" varchar(100) NULL,
  "history_type" varchar(1) NOT NULL, "history_user_id" uuid NULL,
  "id" uuid NOT NULL, "version" int NOT NULL, "username" varchar(50) NOT NULL, "t_user_id" uuid NULL, "i_user_id" bigint NULL,
  "officer_id" int NULL, "claim_admin_id" int NULL);
CREATE INDEX IF NOT EXISTS "core_historicaluser_id" ON "core_historicaluser" ("id");
