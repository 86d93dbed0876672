-- payer's tables under the original's names (SQLite types; PostgreSQL's file has the original's):
-- tblPayerType, tblPayer, tblFunding, its simple_history table and the link table.
CREATE TABLE IF NOT EXISTS "tblPayerType" (
  "Code" char(1) NOT NULL, "PayerType" varchar(50) NOT NULL PRIMARY KEY, "AltLanguage" varchar(50) NULL,
  "SortOrder" integer NULL);
CREATE TABLE IF NOT EXISTS "tblPayer" (
  "PayerID" INTEGER PRIMARY KEY AUTOINCREMENT, "PayerUUID" varchar(36) NOT NULL UNIQUE, "LegacyID" integer NULL,
  "PayerType" varchar(1) NOT NULL, "PayerName" varchar(100) NOT NULL, "PayerAddress" varchar(100) NULL,
  "Phone" varchar(50) NULL, "Fax" varchar(50) NULL, "eMail" varchar(50) NULL,
  "ValidityFrom" datetime NOT NULL, "ValidityTo" datetime NULL, "AuditUserID" integer NOT NULL,
  "LocationId" integer NULL REFERENCES "tblLocations" ("LocationId"), "RowID" text NULL);
CREATE INDEX IF NOT EXISTS "tblPayer_LocationId_240be842" ON "tblPayer" ("LocationId");
CREATE TABLE IF NOT EXISTS "tblFunding" (
  "UUID" varchar(36) PRIMARY KEY, "isDeleted" boolean NOT NULL, "Json_ext" text NULL,
  "DateCreated" datetime NULL, "DateUpdated" datetime NULL, "version" integer NOT NULL,
  "Amount" decimal(18, 2) NULL, "PaidDate" date NULL, "Status" varchar(1) NOT NULL, "Receipt" varchar(50) NOT NULL,
  "PayerID" integer NULL REFERENCES "tblPayer" ("PayerID"), "ProdID" integer NULL REFERENCES "tblProduct" ("ProdID"),
  "UserCreatedUUID" varchar(36) NOT NULL REFERENCES "core_User" ("id"), "UserUpdatedUUID" varchar(36) NOT NULL REFERENCES "core_User" ("id"));
CREATE INDEX IF NOT EXISTS "tblFunding_PayerID_f84821c5" ON "tblFunding" ("PayerID");
CREATE INDEX IF NOT EXISTS "tblFunding_ProdID_ba9959e7" ON "tblFunding" ("ProdID");
CREATE TABLE IF NOT EXISTS "payer_historicalfunding" (
  "UUID" varchar(36) NOT NULL, "isDeleted" boolean NOT NULL, "Json_ext" text NULL,
  "DateCreated" datetime NULL, "DateUpdated" datetime NULL, "version" integer NOT NULL,
  "Amount" decimal(18, 2) NULL, "PaidDate" date NULL, "Status" varchar(1) NOT NULL, "Receipt" varchar(50) NOT NULL,
  "history_id" INTEGER PRIMARY KEY AUTOINCREMENT, "history_date" datetime NOT NULL,
  "history_change_reason" varchar(100) NULL, "history_type" varchar(1) NOT NULL,
  "history_user_id" varchar(36) NULL REFERENCES "core_User" ("id"),
  "PayerID" integer NULL, "ProdID" integer NULL, "UserCreatedUUID" varchar(36) NULL, "UserUpdatedUUID" varchar(36) NULL);
CREATE INDEX IF NOT EXISTS "payer_historicalfunding_UUID_3dded164" ON "payer_historicalfunding" ("UUID");
CREATE TABLE IF NOT EXISTS "payer_PayerMutation" (
  "id" varchar(36) PRIMARY KEY, "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "payer_id" integer NOT NULL REFERENCES "tblPayer" ("PayerID"));
CREATE INDEX IF NOT EXISTS "payer_PayerMutation_payer_id_04036516" ON "payer_PayerMutation" ("payer_id");
-- The payer types every openIMIS database carries (the original demo database's rows), added
-- only where a code is missing: on an existing database nothing changes.
INSERT INTO "tblPayerType" ("Code", "PayerType") SELECT 'C', 'Co-operative' WHERE NOT EXISTS (SELECT 1 FROM "tblPayerType" WHERE "Code" = 'C');
INSERT INTO "tblPayerType" ("Code", "PayerType") SELECT 'D', 'Donor' WHERE NOT EXISTS (SELECT 1 FROM "tblPayerType" WHERE "Code" = 'D');
INSERT INTO "tblPayerType" ("Code", "PayerType") SELECT 'G', 'Government' WHERE NOT EXISTS (SELECT 1 FROM "tblPayerType" WHERE "Code" = 'G');
INSERT INTO "tblPayerType" ("Code", "PayerType") SELECT 'L', 'Local Authority' WHERE NOT EXISTS (SELECT 1 FROM "tblPayerType" WHERE "Code" = 'L');
INSERT INTO "tblPayerType" ("Code", "PayerType") SELECT 'O', 'Other' WHERE NOT EXISTS (SELECT 1 FROM "tblPayerType" WHERE "Code" = 'O');
INSERT INTO "tblPayerType" ("Code", "PayerType") SELECT 'P', 'Private Organization' WHERE NOT EXISTS (SELECT 1 FROM "tblPayerType" WHERE "Code" = 'P');
