-- policy's tables under the original's names and column types (PostgreSQL). IF NOT EXISTS: on an
-- existing openIMIS database they are there already and are used as they are.
-- tblPolicyRenewalDetails is insuree's (its migrations create it).
CREATE TABLE IF NOT EXISTS "tblPolicy" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "PolicyID" serial PRIMARY KEY, "PolicyUUID" varchar(36) NOT NULL UNIQUE, "PolicyStage" varchar(1) NULL,
  "PolicyStatus" smallint NULL, "PolicyValue" numeric(18,2) NULL, "EnrollDate" date NOT NULL,
  "StartDate" date NOT NULL, "EffectiveDate" date NULL, "ExpiryDate" date NULL, "isOffline" boolean NULL,
  "AuditUserID" integer NOT NULL, "FamilyID" integer NOT NULL REFERENCES "tblFamilies" ("FamilyID"),
  "OfficerID" integer NULL REFERENCES "tblOfficer" ("OfficerID"),
  "ProdID" integer NOT NULL REFERENCES "tblProduct" ("ProdID"), "RowID" bytea NULL,
  "Source" varchar(50) NULL, "SourceVersion" varchar(15) NULL, "ContributionPlanID" uuid NULL,
  "creationDate" date NULL);
CREATE INDEX IF NOT EXISTS "tblPolicy_family" ON "tblPolicy" ("FamilyID");
CREATE INDEX IF NOT EXISTS "tblPolicy_product" ON "tblPolicy" ("ProdID");
CREATE TABLE IF NOT EXISTS "tblPolicyRenewals" (
  "RenewalID" serial PRIMARY KEY, "RenewalPromptDate" date NOT NULL, "RenewalDate" date NOT NULL,
  "NewOfficerID" integer NULL REFERENCES "tblOfficer" ("OfficerID"), "PhoneNumber" varchar(25) NULL,
  "SMSStatus" smallint NOT NULL DEFAULT 0, "InsureeID" integer NOT NULL REFERENCES "tblInsuree" ("InsureeID"),
  "PolicyID" integer NOT NULL REFERENCES "tblPolicy" ("PolicyID"),
  "NewProdID" integer NOT NULL REFERENCES "tblProduct" ("ProdID"), "RenewalWarnings" smallint NULL DEFAULT 0,
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "AuditCreateUser" integer NULL, "ResponseStatus" integer NULL DEFAULT 0, "ResponseDate" timestamptz NULL,
  "RenewalUUID" uuid NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS "policy_PolicyMutation" (
  "id" uuid PRIMARY KEY, "mutation_id" uuid NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "policy_id" integer NOT NULL REFERENCES "tblPolicy" ("PolicyID"));
CREATE TABLE IF NOT EXISTS "policy_renewal_PolicyMutation" (
  "id" uuid PRIMARY KEY, "mutation_id" uuid NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "policy_renewal_id" integer NOT NULL REFERENCES "tblPolicyRenewals" ("RenewalID"));
