-- insuree's tables under the original's names and column types (SQLite). IF NOT EXISTS: on an
-- existing openIMIS database they are there already and are used as they are.
CREATE TABLE IF NOT EXISTS "tblGender" ("Code" varchar(1) PRIMARY KEY, "Gender" varchar(50) NULL,
  "AltLanguage" varchar(50) NULL, "SortOrder" integer NULL);
CREATE TABLE IF NOT EXISTS "tblFamilyTypes" ("FamilyTypeCode" varchar(2) PRIMARY KEY,
  "FamilyType" varchar(50) NOT NULL, "SortOrder" integer NULL, "AltLanguage" varchar(50) NULL);
CREATE TABLE IF NOT EXISTS "tblConfirmationTypes" ("ConfirmationTypeCode" varchar(3) PRIMARY KEY,
  "ConfirmationType" varchar(50) NOT NULL, "SortOrder" integer NULL, "AltLanguage" varchar(50) NULL,
  "is_confirmation_number_required" boolean NOT NULL DEFAULT false);
CREATE TABLE IF NOT EXISTS "tblProfessions" ("ProfessionId" smallint PRIMARY KEY,
  "Profession" varchar(50) NOT NULL, "SortOrder" integer NULL, "AltLanguage" varchar(50) NULL);
CREATE TABLE IF NOT EXISTS "tblEducations" ("EducationId" smallint PRIMARY KEY,
  "Education" varchar(50) NOT NULL, "SortOrder" integer NULL, "AltLanguage" varchar(50) NULL);
CREATE TABLE IF NOT EXISTS "tblIdentificationTypes" ("IdentificationCode" varchar(1) PRIMARY KEY,
  "IdentificationTypes" varchar(50) NOT NULL, "AltLanguage" varchar(50) NULL, "SortOrder" integer NULL);
CREATE TABLE IF NOT EXISTS "tblRelations" ("RelationId" smallint PRIMARY KEY,
  "Relation" varchar(50) NOT NULL, "SortOrder" integer NULL, "AltLanguage" varchar(50) NULL);
CREATE TABLE IF NOT EXISTS "tblInsureeStatusReason" ("ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "ValidityTo" datetime NULL, "LegacyID" integer NULL, "StatusReasonId" smallint PRIMARY KEY,
  "StatusReason" varchar(50) NOT NULL, "Code" varchar(5) NOT NULL, "status_type" varchar(2) NOT NULL);
CREATE TABLE IF NOT EXISTS "tblInsuree" (
  "InsureeID" INTEGER PRIMARY KEY AUTOINCREMENT, "AuditUserID" integer NOT NULL, "CHFID" varchar(50) NULL,
  "CardIssued" boolean NULL, "CurrentAddress" varchar(200) NULL, "CurrentVillage" integer NULL,
  "DOB" date NULL, "Education" smallint NULL, "Email" varchar(100) NULL, "FamilyID" integer NULL,
  "Gender" varchar(1) NULL, "GeoLocation" varchar(250) NULL, "HFID" integer NULL,
  "InsureeUUID" varchar(36) NOT NULL UNIQUE, "IsHead" boolean NOT NULL, "LastName" varchar(100) NOT NULL,
  "LegacyID" integer NULL, "Marital" varchar(1) NULL, "OtherNames" varchar(100) NOT NULL,
  "Phone" varchar(50) NULL, "PhotoDate" date NULL, "PhotoID" integer NULL, "Profession" smallint NULL,
  "Relationship" smallint NULL, "RowID" BLOB NULL, "TypeOfId" varchar(1) NULL,
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL,
  "Vulnerability" boolean NULL, "isOffline" boolean NULL, "passport" varchar(25) NULL,
  "Source" varchar(50) NULL, "SourceVersion" varchar(15) NULL, "JsonExt" TEXT NULL,
  "status" varchar(2) NULL, "status_date" date NULL, "StatusReason" smallint NULL);
CREATE TABLE IF NOT EXISTS "tblFamilies" (
  "FamilyID" INTEGER PRIMARY KEY AUTOINCREMENT, "FamilyUUID" varchar(36) NOT NULL UNIQUE, "LegacyID" integer NULL,
  "Poverty" boolean NULL, "FamilyAddress" varchar(200) NULL, "isOffline" boolean NULL,
  "Ethnicity" varchar(1) NULL, "ConfirmationNo" varchar(12) NULL,
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL,
  "AuditUserID" integer NOT NULL, "ConfirmationType" varchar(3) NULL, "FamilyType" varchar(2) NULL,
  "InsureeID" integer NOT NULL, "LocationId" integer NULL, "RowID" text NULL,
  "Source" varchar(50) NULL, "SourceVersion" varchar(15) NULL, "JsonExt" TEXT NULL);
CREATE TABLE IF NOT EXISTS "tblPhotos" (
  "PhotoID" INTEGER PRIMARY KEY AUTOINCREMENT, "PhotoUUID" varchar(36) NOT NULL UNIQUE, "InsureeID" integer NULL,
  "CHFID" varchar(50) NULL, "PhotoFolder" varchar(255) NULL, "PhotoFileName" varchar(255) NULL,
  "OfficerID" integer NULL, "PhotoDate" date NULL, "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "ValidityTo" datetime NULL, "AuditUserID" integer NULL, "RowID" text NULL, "LegacyID" integer NULL,
  "photo" text NULL);
CREATE TABLE IF NOT EXISTS "tblInsureePolicy" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "InsureePolicyID" INTEGER PRIMARY KEY AUTOINCREMENT, "EnrollmentDate" date NULL, "StartDate" date NULL,
  "EffectiveDate" date NULL, "ExpiryDate" date NULL, "isOffline" boolean NULL,
  "AuditUserID" integer NOT NULL, "InsureeID" integer NOT NULL, "PolicyId" integer NOT NULL, "RowID" BLOB NULL);
CREATE TABLE IF NOT EXISTS "tblPolicyRenewalDetails" (
  "RenewalDetailID" INTEGER PRIMARY KEY AUTOINCREMENT, "RenewalID" integer NOT NULL, "InsureeID" integer NOT NULL,
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "AuditCreateUser" integer NOT NULL);
CREATE TABLE IF NOT EXISTS "insuree_InsureeMutation" ("id" varchar(36) PRIMARY KEY, "insuree_id" integer NOT NULL,
  "mutation_id" varchar(36) NOT NULL);
CREATE TABLE IF NOT EXISTS "insuree_FamilyMutation" ("id" varchar(36) PRIMARY KEY, "family_id" integer NOT NULL,
  "mutation_id" varchar(36) NOT NULL);
CREATE INDEX IF NOT EXISTS "insuree_chfid_idx" ON "tblInsuree" ("CHFID");
CREATE INDEX IF NOT EXISTS "insuree_family_idx" ON "tblInsuree" ("FamilyID");
