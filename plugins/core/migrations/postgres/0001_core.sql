-- Core's tables under the original's names. IF NOT EXISTS: on an existing openIMIS database
-- (legacy SQL + Django migrations) the tables are already there and are used as they are.
CREATE TABLE IF NOT EXISTS "tblLanguages" (
  "LanguageCode" varchar(5) PRIMARY KEY, "LanguageName" varchar(50) NOT NULL, "SortOrder" int NULL, "CountryCode" varchar(10) NULL);
CREATE TABLE IF NOT EXISTS "core_ModuleConfiguration" (
  "id" uuid PRIMARY KEY, "module" varchar(80) NOT NULL, "layer" varchar(2) NOT NULL DEFAULT 'be', "version" varchar(10) NOT NULL,
  "config" text NOT NULL, "is_exposed" boolean NOT NULL DEFAULT false, "is_disabled_until" timestamptz NULL);
CREATE TABLE IF NOT EXISTS "core_FieldControl" (
  "id" uuid PRIMARY KEY, "module_id" uuid NOT NULL REFERENCES "core_ModuleConfiguration" ("id"), "field" varchar(250) NOT NULL UNIQUE, "usage" int NULL);
CREATE TABLE IF NOT EXISTS "core_TechnicalUser" (
  "id" uuid PRIMARY KEY, "password" varchar(128) NOT NULL, "last_login" timestamptz NULL, "username" varchar(50) NOT NULL UNIQUE,
  "email" varchar(254) NULL, "is_staff" boolean NOT NULL DEFAULT false, "is_superuser" boolean NOT NULL DEFAULT false,
  "validity_from" timestamptz NULL DEFAULT now(), "validity_to" timestamptz NULL);
CREATE TABLE IF NOT EXISTS "tblRole" (
  "RoleID" serial PRIMARY KEY, "RoleUUID" varchar(36) NOT NULL UNIQUE, "RoleName" varchar(50) NOT NULL, "AltLanguage" varchar(50) NULL,
  "IsSystem" int NOT NULL, "IsBlocked" boolean NOT NULL, "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL,
  "LegacyID" int NULL, "AuditUserID" int NULL);
CREATE TABLE IF NOT EXISTS "tblRoleRight" (
  "RoleRightID" serial PRIMARY KEY, "RoleID" int NOT NULL REFERENCES "tblRole" ("RoleID"), "RightID" int NOT NULL,
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" int NULL, "AuditUserId" int NULL);
CREATE TABLE IF NOT EXISTS "tblUsers" (
  "id" bigserial PRIMARY KEY, "version" int NOT NULL DEFAULT 1, "UUID" uuid NOT NULL UNIQUE, "active" boolean NOT NULL DEFAULT true,
  "Json_ext" jsonb NULL, "date_deactivated" timestamptz NULL, "ValidityFrom" timestamptz NULL DEFAULT now(), "ValidityTo" timestamptz NULL,
  "LanguageID" varchar(5) NOT NULL REFERENCES "tblLanguages" ("LanguageCode"), "LastName" varchar(100) NOT NULL, "OtherNames" varchar(100) NOT NULL,
  "Phone" varchar(50) NULL, "LoginName" varchar(25) NOT NULL, "LastLogin" timestamp NULL, "HFID" int NULL, "EmailId" varchar(200) NULL,
  "PrivateKey" varchar(256) NULL, "StoredPassword" varchar(256) NULL, "PasswordValidity" timestamptz NULL, "IsAssociated" boolean NULL,
  "RoleID" int NULL, "DummyPwd" varchar(25) NULL, "password" bytea NULL);
CREATE TABLE IF NOT EXISTS "tblOfficer" (
  "OfficerID" serial PRIMARY KEY, "OfficerUUID" varchar(36) NOT NULL UNIQUE, "Code" varchar(8) NOT NULL, "LastName" varchar(100) NOT NULL,
  "OtherNames" varchar(100) NOT NULL, "DOB" date NULL, "Phone" varchar(50) NULL, "LocationId" int NULL,
  "OfficerIDSubst" int NULL REFERENCES "tblOfficer" ("OfficerID"), "WorksTo" timestamptz NULL, "VEOCode" varchar(8) NULL,
  "VEOLastName" varchar(100) NULL, "VEOOtherNames" varchar(100) NULL, "VEODOB" date NULL, "VEOPhone" varchar(25) NULL,
  "AuditUserID" int NOT NULL, "EmailId" varchar(200) NULL, "PhoneCommunication" boolean NULL, "permanentaddress" varchar(100) NULL,
  "HasLogin" boolean NULL, "JsonExt" jsonb NULL, "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL,
  "LegacyID" int NULL, "RowID" text NULL);
CREATE TABLE IF NOT EXISTS "tblClaimAdmin" (
  "ClaimAdminId" serial PRIMARY KEY, "ClaimAdminUUID" varchar(36) NOT NULL UNIQUE, "ClaimAdminCode" varchar(8) NULL, "LastName" varchar(100) NULL,
  "OtherNames" varchar(100) NULL, "DOB" date NULL, "EmailId" varchar(200) NULL, "Phone" varchar(50) NULL, "HFId" int NULL,
  "HasLogin" boolean NULL, "AuditUserId" int NULL, "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL,
  "LegacyID" int NULL, "RowId" bytea NULL);
CREATE TABLE IF NOT EXISTS "tblUserRole" (
  "UserRoleID" serial PRIMARY KEY, "UserID" bigint NOT NULL REFERENCES "tblUsers" ("id"), "RoleID" int NOT NULL REFERENCES "tblRole" ("RoleID"),
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" int NULL, "AudituserID" int NULL, "Assign" int NULL);
CREATE TABLE IF NOT EXISTS "core_User" (
  "id" uuid PRIMARY KEY, "version" int NOT NULL DEFAULT 1, "username" varchar(50) NOT NULL UNIQUE,
  "t_user_id" uuid NULL REFERENCES "core_TechnicalUser" ("id"), "i_user_id" bigint NULL REFERENCES "tblUsers" ("id"),
  "officer_id" int NULL REFERENCES "tblOfficer" ("OfficerID"), "claim_admin_id" int NULL REFERENCES "tblClaimAdmin" ("ClaimAdminId"));
CREATE TABLE IF NOT EXISTS "core_User_groups" (
  "id" serial PRIMARY KEY, "user_id" uuid NOT NULL REFERENCES "core_User" ("id"), "group_id" int NOT NULL);
CREATE TABLE IF NOT EXISTS "core_exportablequerymodel" (
  "id" serial PRIMARY KEY, "name" varchar(255) NOT NULL, "model" varchar(255) NOT NULL, "content" varchar(100) NOT NULL,
  "User" uuid NOT NULL REFERENCES "core_User" ("id"), "sql_query" text NOT NULL, "DateCreated" timestamptz NOT NULL DEFAULT now(),
  "DateExpiring" timestamptz NOT NULL, "is_deleted" boolean NOT NULL DEFAULT false, "file_format" varchar(255) NULL);
CREATE TABLE IF NOT EXISTS "core_Mutation_Log" (
  "id" uuid PRIMARY KEY, "json_content" text NOT NULL, "user_id" uuid NULL REFERENCES "core_User" ("id"),
  "request_date_time" timestamptz NOT NULL, "client_mutation_id" varchar(255) NULL, "client_mutation_label" varchar(255) NULL,
  "client_mutation_details" text NULL, "status" int NOT NULL DEFAULT 0, "error" text NULL, "autogenerated_code" text NULL, "JsonExt" jsonb NULL);
CREATE INDEX IF NOT EXISTS "core_Mutation_Log_client_mutation_id" ON "core_Mutation_Log" ("client_mutation_id");
CREATE TABLE IF NOT EXISTS "core_RoleMutation" (
  "id" uuid PRIMARY KEY, "role_id" int NOT NULL REFERENCES "tblRole" ("RoleID"), "mutation_id" uuid NOT NULL REFERENCES "core_Mutation_Log" ("id"));
CREATE TABLE IF NOT EXISTS "core_UserMutation" (
  "id" uuid PRIMARY KEY, "core_user_id" uuid NOT NULL REFERENCES "core_User" ("id"), "mutation_id" uuid NOT NULL REFERENCES "core_Mutation_Log" ("id"));
