-- Core's tables under the original's names (SQLite types). IF NOT EXISTS: on an existing openIMIS database
-- (legacy SQL + Django migrations) the tables are already there and are used as they are.
CREATE TABLE IF NOT EXISTS "tblLanguages" (
  "LanguageCode" varchar(5) PRIMARY KEY, "LanguageName" varchar(50) NOT NULL, "SortOrder" int NULL, "CountryCode" varchar(10) NULL);
CREATE TABLE IF NOT EXISTS "core_ModuleConfiguration" (
  "id" varchar(36) PRIMARY KEY, "module" varchar(80) NOT NULL, "layer" varchar(2) NOT NULL DEFAULT 'be', "version" varchar(10) NOT NULL,
  "config" text NOT NULL, "is_exposed" boolean NOT NULL DEFAULT false, "is_disabled_until" datetime NULL);
CREATE TABLE IF NOT EXISTS "core_FieldControl" (
  "id" varchar(36) PRIMARY KEY, "module_id" varchar(36) NOT NULL REFERENCES "core_ModuleConfiguration" ("id"), "field" varchar(250) NOT NULL UNIQUE, "usage" int NULL);
CREATE TABLE IF NOT EXISTS "core_TechnicalUser" (
  "id" varchar(36) PRIMARY KEY, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "username" varchar(50) NOT NULL UNIQUE,
  "email" varchar(254) NULL, "is_staff" boolean NOT NULL DEFAULT false, "is_superuser" boolean NOT NULL DEFAULT false,
  "validity_from" datetime NULL DEFAULT CURRENT_TIMESTAMP, "validity_to" datetime NULL);
CREATE TABLE IF NOT EXISTS "tblRole" (
  "RoleID" INTEGER PRIMARY KEY AUTOINCREMENT, "RoleUUID" varchar(36) NOT NULL UNIQUE, "RoleName" varchar(50) NOT NULL, "AltLanguage" varchar(50) NULL,
  "IsSystem" int NOT NULL, "IsBlocked" boolean NOT NULL, "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL,
  "LegacyID" int NULL, "AuditUserID" int NULL);
CREATE TABLE IF NOT EXISTS "tblRoleRight" (
  "RoleRightID" INTEGER PRIMARY KEY AUTOINCREMENT, "RoleID" int NOT NULL REFERENCES "tblRole" ("RoleID"), "RightID" int NOT NULL,
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL, "AuditUserId" int NULL);
CREATE TABLE IF NOT EXISTS "tblUsers" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT, "version" int NOT NULL DEFAULT 1, "UUID" varchar(36) NOT NULL UNIQUE, "active" boolean NOT NULL DEFAULT true,
  "Json_ext" text NULL, "date_deactivated" datetime NULL, "ValidityFrom" datetime NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL,
  "LanguageID" varchar(5) NOT NULL REFERENCES "tblLanguages" ("LanguageCode"), "LastName" varchar(100) NOT NULL, "OtherNames" varchar(100) NOT NULL,
  "Phone" varchar(50) NULL, "LoginName" varchar(25) NOT NULL, "LastLogin" datetime NULL, "HFID" int NULL, "EmailId" varchar(200) NULL,
  "PrivateKey" varchar(256) NULL, "StoredPassword" varchar(256) NULL, "PasswordValidity" datetime NULL, "IsAssociated" boolean NULL,
  "RoleID" int NULL, "DummyPwd" varchar(25) NULL, "password" blob NULL);
CREATE TABLE IF NOT EXISTS "tblOfficer" (
  "OfficerID" INTEGER PRIMARY KEY AUTOINCREMENT, "OfficerUUID" varchar(36) NOT NULL UNIQUE, "Code" varchar(8) NOT NULL, "LastName" varchar(100) NOT NULL,
  "OtherNames" varchar(100) NOT NULL, "DOB" date NULL, "Phone" varchar(50) NULL, "LocationId" int NULL,
  "OfficerIDSubst" int NULL REFERENCES "tblOfficer" ("OfficerID"), "WorksTo" datetime NULL, "VEOCode" varchar(8) NULL,
  "VEOLastName" varchar(100) NULL, "VEOOtherNames" varchar(100) NULL, "VEODOB" date NULL, "VEOPhone" varchar(25) NULL,
  "AuditUserID" int NOT NULL, "EmailId" varchar(200) NULL, "PhoneCommunication" boolean NULL, "permanentaddress" varchar(100) NULL,
  "HasLogin" boolean NULL, "JsonExt" text NULL, "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL,
  "LegacyID" int NULL, "RowID" text NULL);
CREATE TABLE IF NOT EXISTS "tblClaimAdmin" (
  "ClaimAdminId" INTEGER PRIMARY KEY AUTOINCREMENT, "ClaimAdminUUID" varchar(36) NOT NULL UNIQUE, "ClaimAdminCode" varchar(8) NULL, "LastName" varchar(100) NULL,
  "OtherNames" varchar(100) NULL, "DOB" date NULL, "EmailId" varchar(200) NULL, "Phone" varchar(50) NULL, "HFId" int NULL,
  "HasLogin" boolean NULL, "AuditUserId" int NULL, "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL,
  "LegacyID" int NULL, "RowId" blob NULL);
CREATE TABLE IF NOT EXISTS "tblUserRole" (
  "UserRoleID" INTEGER PRIMARY KEY AUTOINCREMENT, "UserID" bigint NOT NULL REFERENCES "tblUsers" ("id"), "RoleID" int NOT NULL REFERENCES "tblRole" ("RoleID"),
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL, "AudituserID" int NULL, "Assign" int NULL);
CREATE TABLE IF NOT EXISTS "core_User" (
  "id" varchar(36) PRIMARY KEY, "version" int NOT NULL DEFAULT 1, "username" varchar(50) NOT NULL UNIQUE,
  "t_user_id" varchar(36) NULL REFERENCES "core_TechnicalUser" ("id"), "i_user_id" bigint NULL REFERENCES "tblUsers" ("id"),
  "officer_id" int NULL REFERENCES "tblOfficer" ("OfficerID"), "claim_admin_id" int NULL REFERENCES "tblClaimAdmin" ("ClaimAdminId"));
CREATE TABLE IF NOT EXISTS "core_User_groups" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT, "user_id" varchar(36) NOT NULL REFERENCES "core_User" ("id"), "group_id" int NOT NULL);
CREATE TABLE IF NOT EXISTS "core_exportablequerymodel" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" varchar(255) NOT NULL, "model" varchar(255) NOT NULL, "content" varchar(100) NOT NULL,
  "User" varchar(36) NOT NULL REFERENCES "core_User" ("id"), "sql_query" text NOT NULL, "DateCreated" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "DateExpiring" datetime NOT NULL, "is_deleted" boolean NOT NULL DEFAULT false, "file_format" varchar(255) NULL);
CREATE TABLE IF NOT EXISTS "core_Mutation_Log" (
  "id" varchar(36) PRIMARY KEY, "json_content" text NOT NULL, "user_id" varchar(36) NULL REFERENCES "core_User" ("id"),
  "request_date_time" datetime NOT NULL, "client_mutation_id" varchar(255) NULL, "client_mutation_label" varchar(255) NULL,
  "client_mutation_details" text NULL, "status" int NOT NULL DEFAULT 0, "error" text NULL, "autogenerated_code" text NULL, "JsonExt" text NULL);
CREATE INDEX IF NOT EXISTS "core_Mutation_Log_client_mutation_id" ON "core_Mutation_Log" ("client_mutation_id");
CREATE TABLE IF NOT EXISTS "core_RoleMutation" (
  "id" varchar(36) PRIMARY KEY, "role_id" int NOT NULL REFERENCES "tblRole" ("RoleID"), "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"));
CREATE TABLE IF NOT EXISTS "core_UserMutation" (
  "id" varchar(36) PRIMARY KEY, "core_user_id" varchar(36) NOT NULL REFERENCES "core_User" ("id"), "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"));
