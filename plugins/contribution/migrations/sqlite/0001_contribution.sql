-- contribution's tables under the original's names (SQLite types; PostgreSQL's file has the
-- original's).
CREATE TABLE IF NOT EXISTS "tblPremium" (
  "PremiumId" INTEGER PRIMARY KEY AUTOINCREMENT, "PremiumUUID" varchar(36) NOT NULL UNIQUE, "LegacyID" integer NULL,
  "Amount" decimal(18, 2) NOT NULL, "Receipt" varchar(50) NOT NULL, "PayDate" date NOT NULL,
  "PayType" varchar(1) NOT NULL, "isPhotoFee" boolean NULL, "isOffline" boolean NULL,
  "ReportingId" integer NULL, "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "ValidityTo" datetime NULL, "AuditUserID" integer NOT NULL, "PayerID" integer NULL REFERENCES "tblPayer" ("PayerID"),
  "PolicyID" integer NOT NULL REFERENCES "tblPolicy" ("PolicyID"),
  "CreatedDate" date NOT NULL DEFAULT CURRENT_DATE, "Source" varchar(50) NULL,
  "SourceVersion" varchar(15) NULL, "AllDetailsCommissionReport" datetime NULL,
  "OverviewCommissionReport" datetime NULL, "ReportingCommissionID" integer NULL);
CREATE INDEX IF NOT EXISTS "tblPremium_PolicyID_5d8a7e70" ON "tblPremium" ("PolicyID");
CREATE INDEX IF NOT EXISTS "tblPremium_PayerID_01ec1db8" ON "tblPremium" ("PayerID");
CREATE TABLE IF NOT EXISTS "contribution_PremiumMutation" (
  "id" varchar(36) PRIMARY KEY, "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "premium_id" integer NOT NULL REFERENCES "tblPremium" ("PremiumId"));
CREATE INDEX IF NOT EXISTS "contribution_PremiumMutation_mutation_id_cc6e4af5" ON "contribution_PremiumMutation" ("mutation_id");
CREATE INDEX IF NOT EXISTS "contribution_PremiumMutation_premium_id_3457b571" ON "contribution_PremiumMutation" ("premium_id");
