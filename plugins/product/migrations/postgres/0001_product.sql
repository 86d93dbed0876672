-- product's tables under the original's names and column types (PostgreSQL). IF NOT EXISTS: on an
-- existing openIMIS database they are there already and are used as they are. tblRelDistr is
-- claim_batch's table in the original (RelativeDistribution); product writes it, so it creates it
-- when missing.
CREATE TABLE IF NOT EXISTS "tblProduct" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "ProdID" serial PRIMARY KEY, "ProdUUID" varchar(36) NOT NULL UNIQUE, "ProductCode" varchar(8) NOT NULL,
  "ProductName" varchar(100) NOT NULL, "DateFrom" timestamptz NOT NULL, "DateTo" timestamptz NOT NULL,
  "LumpSum" numeric(18,2) NOT NULL, "MemberCount" smallint NOT NULL, "PremiumAdult" numeric(18,2) NULL, "PremiumChild" numeric(18,2) NULL,
  "DedInsuree" numeric(18,2) NULL, "DedOPInsuree" numeric(18,2) NULL, "DedIPInsuree" numeric(18,2) NULL,
  "MaxInsuree" numeric(18,2) NULL, "MaxOPInsuree" numeric(18,2) NULL, "MaxIPInsuree" numeric(18,2) NULL,
  "PeriodRelPrices" varchar(1) NULL, "PeriodRelPricesOP" varchar(1) NULL, "PeriodRelPricesIP" varchar(1) NULL,
  "AccCodePremiums" varchar(25) NULL, "AccCodeRemuneration" varchar(25) NULL,
  "DedTreatment" numeric(18,2) NULL, "DedOPTreatment" numeric(18,2) NULL, "DedIPTreatment" numeric(18,2) NULL,
  "MaxTreatment" numeric(18,2) NULL, "MaxOPTreatment" numeric(18,2) NULL, "MaxIPTreatment" numeric(18,2) NULL,
  "DedPolicy" numeric(18,2) NULL, "DedOPPolicy" numeric(18,2) NULL, "DedIPPolicy" numeric(18,2) NULL,
  "MaxPolicy" numeric(18,2) NULL, "MaxOPPolicy" numeric(18,2) NULL, "MaxIPPolicy" numeric(18,2) NULL,
  "GracePeriod" integer NOT NULL, "AuditUserID" integer NOT NULL,
  "MaxNoConsultation" integer NULL, "MaxNoSurgery" integer NULL, "MaxNoDelivery" integer NULL,
  "MaxNoHospitalizaion" integer NULL, "MaxNoVisits" integer NULL,
  "MaxAmountConsultation" numeric(18,2) NULL, "MaxAmountSurgery" numeric(18,2) NULL, "MaxAmountDelivery" numeric(18,2) NULL,
  "MaxAmountHospitalization" numeric(18,2) NULL, "GracePeriodRenewal" integer NULL, "MaxInstallments" integer NULL,
  "WaitingPeriod" integer NULL, "Threshold" integer NULL, "RenewalDiscountPerc" integer NULL,
  "RenewalDiscountPeriod" integer NULL, "MaxPolicyExtraMember" numeric(18,2) NULL, "MaxPolicyExtraMemberIP" numeric(18,2) NULL,
  "MaxPolicyExtraMemberOP" numeric(18,2) NULL, "MaxCeilingPolicy" numeric(18,2) NULL, "MaxCeilingPolicyIP" numeric(18,2) NULL,
  "MaxCeilingPolicyOP" numeric(18,2) NULL, "EnrolmentDiscountPerc" integer NULL, "EnrolmentDiscountPeriod" integer NULL,
  "MaxAmountAntenatal" numeric(18,2) NULL, "MaxNoAntenatal" integer NULL, "CeilingInterpretation" varchar(1) NULL,
  "LocationId" integer NULL REFERENCES "tblLocations" ("LocationId"), "AdministrationPeriod" integer NULL,
  "ConversionProdID" integer NULL REFERENCES "tblProduct" ("ProdID"),
  "GeneralAssemblyFee" numeric(18,2) NULL, "GeneralAssemblyLumpSum" numeric(18,2) NULL, "InsurancePeriod" smallint NOT NULL,
  "Level1" varchar(1) NULL, "Level2" varchar(1) NULL, "Level3" varchar(1) NULL, "Level4" varchar(1) NULL,
  "Sublevel1" varchar(1) NULL, "Sublevel2" varchar(1) NULL, "Sublevel3" varchar(1) NULL, "Sublevel4" varchar(1) NULL,
  "RegistrationFee" numeric(18,2) NULL, "RegistrationLumpSum" numeric(18,2) NULL, "RowID" text NULL, "ShareContribution" numeric(5,2) NULL,
  "StartCycle1" varchar(5) NULL, "StartCycle2" varchar(5) NULL, "StartCycle3" varchar(5) NULL, "StartCycle4" varchar(5) NULL,
  "WeightAdjustedAmount" numeric(5,2) NULL, "WeightInsuredPopulation" numeric(5,2) NULL,
  "WeightNumberFamilies" numeric(5,2) NULL, "WeightNumberInsuredFamilies" numeric(5,2) NULL,
  "WeightNumberVisits" numeric(5,2) NULL, "WeightPopulation" numeric(5,2) NULL, "Recurrence" smallint NULL,
  "CeilingType" varchar(1) NULL, "Max Age" integer NULL, "Min Age" integer NULL);
CREATE TABLE IF NOT EXISTS "tblProductItems" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "ProdItemID" serial PRIMARY KEY, "LimitationType" varchar(1) NULL, "PriceOrigin" varchar(1) NULL,
  "LimitAdult" numeric(18,2) NULL, "LimitChild" numeric(18,2) NULL, "WaitingPeriodAdult" integer NULL, "WaitingPeriodChild" integer NULL,
  "LimitNoAdult" integer NULL, "LimitNoChild" integer NULL, "LimitationTypeR" varchar(1) NULL, "LimitationTypeE" varchar(1) NULL,
  "LimitAdultR" numeric(18,2) NULL, "LimitAdultE" numeric(18,2) NULL, "LimitChildR" numeric(18,2) NULL, "LimitChildE" numeric(18,2) NULL,
  "CeilingExclusionAdult" varchar(1) NULL, "CeilingExclusionChild" varchar(1) NULL, "AuditUserID" integer NOT NULL,
  "ItemID" integer NOT NULL REFERENCES "tblItems" ("ItemID"), "ProdID" integer NOT NULL REFERENCES "tblProduct" ("ProdID"), "RowID" text NULL);
CREATE INDEX IF NOT EXISTS "tblProductItems_product" ON "tblProductItems" ("ProdID");
CREATE TABLE IF NOT EXISTS "tblProductServices" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "ProdServiceID" serial PRIMARY KEY, "LimitationType" varchar(1) NOT NULL, "PriceOrigin" varchar(1) NOT NULL,
  "LimitAdult" numeric(18,2) NULL, "LimitChild" numeric(18,2) NULL, "WaitingPeriodAdult" integer NULL, "WaitingPeriodChild" integer NULL,
  "LimitNoAdult" integer NULL, "LimitNoChild" integer NULL, "LimitationTypeR" varchar(1) NULL, "LimitationTypeE" varchar(1) NULL,
  "LimitAdultR" numeric(18,2) NULL, "LimitAdultE" numeric(18,2) NULL, "LimitChildR" numeric(18,2) NULL, "LimitChildE" numeric(18,2) NULL,
  "CeilingExclusionAdult" varchar(1) NULL, "CeilingExclusionChild" varchar(1) NULL, "AuditUserID" integer NOT NULL,
  "ProdID" integer NOT NULL REFERENCES "tblProduct" ("ProdID"), "ServiceID" integer NOT NULL REFERENCES "tblServices" ("ServiceID"), "RowID" text NULL);
CREATE INDEX IF NOT EXISTS "tblProductServices_product" ON "tblProductServices" ("ProdID");
CREATE TABLE IF NOT EXISTS "tblRelDistr" (
  "DistrID" serial PRIMARY KEY, "DistrType" smallint NOT NULL, "DistrCareType" varchar(1) NOT NULL, "Period" smallint NOT NULL,
  "DistrPerc" numeric(18,2) NULL, "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "AuditUserID" integer NOT NULL, "ProdID" integer NOT NULL REFERENCES "tblProduct" ("ProdID"), "RowID" timestamp NULL);
CREATE TABLE IF NOT EXISTS "product_ProductMutation" (
  "id" uuid PRIMARY KEY, "mutation_id" uuid NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "product_id" integer NOT NULL REFERENCES "tblProduct" ("ProdID"));
