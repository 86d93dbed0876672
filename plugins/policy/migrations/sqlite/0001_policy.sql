-- policy's tables under the original's names (SQLite types; PostgreSQL's file has the original's).
CREATE TABLE IF NOT EXISTS "tblPolicy" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "PolicyID" INTEGER PRIMARY KEY AUTOINCREMENT, "PolicyUUID" varchar(36) NOT NULL UNIQUE, "PolicyStage" varchar(1) NULL,
  "PolicyStatus" smallint NULL, "PolicyValue" decimal(18, 2) NULL, "EnrollDate" date NOT NULL,
  "StartDate" date NOT NULL, "EffectiveDate" date NULL, "ExpiryDate" date NULL, "isOffline" boolean NULL,
  "AuditUserID" integer NOT NULL, "FamilyID" integer NOT NULL REFERENCES "tblFamilies" ("FamilyID"),
  "OfficerID" integer NULL REFERENCES "tblOfficer" ("OfficerID"),
  "ProdID" integer NOT NULL REFERENCES "tblProduct" ("ProdID"), "RowID" BLOB NULL,
  "Source" varchar(50) NULL, "SourceVersion" varchar(15) NULL, "ContributionPlanID" varchar(36) NULL,
  "creationDate" date NULL);
CREATE INDEX IF NOT EXISTS "tblPolicy_family" ON "tblPolicy" ("FamilyID");
CREATE INDEX IF NOT EXISTS "tblPolicy_product" ON "tblPolicy" ("ProdID");
CREATE TABLE IF NOT EXISTS "tblPolicyRenewals" (
  "RenewalID" INTEGER PRIMARY KEY AUTOINCREMENT, "RenewalPromptDate" date NOT NULL, "RenewalDate" date NOT NULL,
  "NewOfficerID" integer NULL REFERENCES "tblOfficer" ("OfficerID"), "PhoneNumber" varchar(25) NULL,
  "SMSStatus" smallint NOT NULL DEFAULT 0, "InsureeID" integer NOT NULL REFERENCES "tblInsuree" ("InsureeID"),
  "PolicyID" integer NOT NULL REFERENCES "tblPolicy" ("PolicyID"),
  "NewProdID" integer NOT NULL REFERENCES "tblProduct" ("ProdID"), "RenewalWarnings" smallint NULL DEFAULT 0,
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "AuditCreateUser" integer NULL, "ResponseStatus" integer NULL DEFAULT 0, "ResponseDate" datetime NULL,
  "RenewalUUID" varchar(36) NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS "policy_PolicyMutation" (
  "id" varchar(36) PRIMARY KEY, "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "policy_id" integer NOT NULL REFERENCES "tblPolicy" ("PolicyID"));
CREATE TABLE IF NOT EXISTS "policy_renewal_PolicyMutation" (
  "id" varchar(36) PRIMARY KEY, "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "policy_renewal_id" integer NOT NULL REFERENCES "tblPolicyRenewals" ("RenewalID"));
